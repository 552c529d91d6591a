/**
 * The ceiling for JavaScript on this machine: a `net` server that parses nothing and writes one
 * canned `GET /hello` answer per request head it sees (enough for wrk's GETs, pipelined or not).
 */
import net from 'node:net';
import { benchPort, HELLO } from './common.js';

const CANNED = Buffer.from(
  `HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${HELLO.length}\r\n\r\n${HELLO}`,
  'latin1',
);
const END_OF_HEAD = Buffer.from('\r\n\r\n');

const server = net.createServer({ noDelay: true }, (socket) => {
  socket.on('data', (chunk: Buffer) => {
    let at = chunk.indexOf(END_OF_HEAD);
    while (at !== -1) {
      socket.write(CANNED);
      at = chunk.indexOf(END_OF_HEAD, at + 4);
    }
  });
  socket.on('error', () => socket.destroy());
});
server.listen(benchPort(), '127.0.0.1');
