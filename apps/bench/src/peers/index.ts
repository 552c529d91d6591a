import { startBbwebservice } from './bbwebservice-peer.js';
import { startFastify } from './fastify-peer.js';
import { startNodeHttp } from './node-http-peer.js';
import { startRawNet } from './raw-net-peer.js';

/** The servers the plaintext benchmark races, by name. */
export const PEERS: Readonly<Record<string, (port: number) => Promise<void>>> = {
  bbwebservice: startBbwebservice,
  fastify: startFastify,
  'node:http': startNodeHttp,
  'raw net': startRawNet,
};
