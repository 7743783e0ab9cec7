/**
 * The read-path benchmark's baseline: a bare Fastify 5 server answering `GET /` with
 * `{"hello":"world"}`, no plugin, no logger. It listens on 127.0.0.1 at the port given as its first
 * argument until it is sent SIGTERM.
 */
import Fastify from 'fastify';

const port = Number.parseInt(process.argv[2] ?? '', 10);
if (!Number.isSafeInteger(port)) throw new Error('usage: hello-world-server.ts PORT');
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port });
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
