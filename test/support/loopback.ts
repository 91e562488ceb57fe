/** Test support: serve an express app or a raw TCP/HTTP handler on an ephemeral loopback port, and close it. */
import http, { type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';

export interface Served {
  server: Server;
  /** `http://127.0.0.1:<port>` */
  base: string;
  close(): Promise<void>;
}

/** Closes a server, dropping its keep-alive connections. */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((done) => server.close(() => done()));
}

function serve(server: Server): Promise<Served> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        base: `http://127.0.0.1:${port}`,
        close: () => closeServer(server),
      });
    });
  });
}

/** An express app on port 0. */
export const listenApp = (app: express.Express): Promise<Served> => serve(http.createServer(app));

/** A bare node:http handler on port 0 (for misbehaving peers). */
export const listenRaw = (handler: RequestListener): Promise<Served> => serve(http.createServer(handler));

/** POSTs a body and returns status, content type and text (no SOAP logic: a plain HTTP peer). */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string; text: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'text/xml; charset=utf-8', ...headers } });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, ms: performance.now() - started };
}
