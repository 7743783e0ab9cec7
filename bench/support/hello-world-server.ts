/**
 * The read-path benchmark's baseline: a bare Fastify 5 server answering `GET /` with
 * `{"hello":"world"}`, no plugin, no logger. It listens on 127.0.0.1 at the port given as its first
 * argument until it is sent SIGTERM. Given a file as its second argument, it also answers `GET /bytes`
 * with that file's bytes as JSON (read once): what sending a document of that size costs by itself.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const port = Number.parseInt(process.argv[2] ?? '', 10);
if (!Number.isSafeInteger(port)) throw new Error('usage: hello-world-server.ts PORT');
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
const bytesFile = process.argv[3];
if (bytesFile) {
  const bytes = readFileSync(bytesFile);
  app.get('/bytes', async (_request, reply) => reply.type('application/json; charset=utf-8').send(bytes));
}
await app.listen({ host: '127.0.0.1', port });
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
