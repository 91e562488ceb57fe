/**
 * The request listener of a server that has SOAP ports (issue 19): a POST to a port's exact path
 * goes straight to the port (SoapPort.serve: node:http, the body read once as a Buffer with the size
 * cap), skipping express's router stack and body-parser, which cost a station about a fifth of its
 * CPU per request. Everything else (GET ?wsdl, control routes, the explorer, a path with a query
 * string or a trailing slash, a body the port leaves to express) goes to the express app unchanged.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { SoapPort } from './endpoint.ts';

/** The port that serves POSTs to exactly `path` (no query string), if any. */
export type SoapRoute = (path: string) => SoapPort | undefined;

export function soapFirst(app: RequestListener, routes: readonly SoapRoute[]): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST') {
      const url = req.url ?? '';
      if (!url.includes('?')) {
        for (const route of routes) {
          const port = route(url);
          if (port) {
            if (port.serve(req, res)) return;
            break;
          }
        }
      }
    }
    app(req, res);
  };
}

/** An HTTP server for `app` with its SOAP ports served first (what `app.listen` would create otherwise). */
export function soapFirstServer(app: RequestListener, routes: readonly SoapRoute[]): Server {
  return createServer(soapFirst(app, routes));
}
