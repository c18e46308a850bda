/**
 * The HTTP server the app runs in, with server-side limits on slow clients. Node's defaults let a
 * request take 300 s and only look for overdue ones every 30 s, so a client trickling a body held its
 * connection (and whatever it had reserved) for five minutes. `npm start` and the tests both build
 * the server here, so what is tested is what runs.
 */
import http from 'node:http';
import type { RequestListener } from 'node:http';
import type { CauceConfig } from '../lib/config';

export type ServerTimeouts = CauceConfig['http']['timeouts'];

export function createHttpServer(app: RequestListener, timeouts: ServerTimeouts): http.Server {
  const server = http.createServer(
    {
      // 408 and close once the headers, or the whole request, are not in by then.
      headersTimeout: Math.min(timeouts.headersMs, timeouts.requestMs),
      requestTimeout: timeouts.requestMs,
      // How often Node checks the two above; its 30 s default would stretch a 10 s limit to 40 s.
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(Math.min(timeouts.headersMs, timeouts.requestMs) / 4))),
      keepAliveTimeout: timeouts.keepAliveMs,
    },
    app,
  );
  // No bytes either way for this long while a request is open: the socket is destroyed.
  server.setTimeout(timeouts.idleSocketMs);
  return server;
}

/** Listens on `port`/`host`; a port in use is reported as such. */
export function listen(server: http.Server, port: number, host: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`HTTP port ${host}:${port} is in use (set PORT)`) : err),
    );
    server.listen(port, host, () => resolve(server));
  });
}
