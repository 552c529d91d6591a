// node:http hello world: the floor any framework on node:http starts above.
import { createServer } from 'node:http';

createServer((_req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end('Hello from node:http!');
}).listen(Number(process.env.PORT));
