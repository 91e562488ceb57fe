/**
 * The last error handler of every app and part router. Express's own answers an error with
 * an HTML page holding the stack trace and absolute paths (outside production), e.g. for a
 * malformed percent-escape in a path (`/stations/%ZZ`). Here: SOAP callers get a SOAP 1.1
 * Fault (HTTP 500, or the 4xx of the error), everyone else a JSON problem; never a stack.
 * A path no route serves gets a 404 of the same kinds (express's own is an HTML page).
 */
import type { Application, NextFunction, Request, Response } from 'express';
import { soapFaultEnvelope } from './fault.ts';

type HttpError = Error & { status?: number; statusCode?: number; type?: string };

export function statusOf(err: HttpError): number {
  const s = err.status ?? err.statusCode;
  return typeof s === 'number' && s >= 400 && s < 600 ? s : 500;
}

/** What went wrong, in words; the error's own message is used only for the known, harmless kinds. */
export function describeHttpError(err: HttpError, status: number): string {
  if (err instanceof URIError || /^Failed to decode param/.test(err.message)) {
    return 'Failed to read the request path: it holds a malformed percent-escape (such as %ZZ). Encode a literal % as %25.';
  }
  if (err.type === 'entity.too.large' || status === 413)
    return 'Failed to read the request body: it is larger than this endpoint accepts. Send a smaller body.';
  if (err.type === 'entity.parse.failed') return 'Failed to read the request body: it is not valid JSON. Send Content-Type: application/json with a JSON body.';
  if (status < 500) return `Failed to serve the request (HTTP ${status}). Check the method, path and body.`;
  return 'Failed to serve the request: internal error of the harness. See its log; report it if it persists.';
}

function wantsSoap(req: Request): boolean {
  return req.method === 'POST' && (req.headers['soapaction'] !== undefined || /^(text\/xml|application\/soap\+xml)/i.test(req.headers['content-type'] ?? ''));
}

/** The error-handling middleware (four arguments): mount it last. `onBug` hears about 5xx. */
export function lastErrorHandler(onBug?: (message: string) => void) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    const e = (err instanceof Error ? err : new Error(String(err))) as HttpError;
    const status = statusOf(e);
    if (status >= 500) onBug?.(`${req.method} ${req.path}: ${e.message}`);
    if (res.headersSent) {
      next(err);
      return;
    }
    const message = describeHttpError(e, status);
    if (wantsSoap(req)) {
      const soapStatus = status === 413 ? 413 : 500;
      res
        .status(soapStatus)
        .type('text/xml; charset=utf-8')
        .send(soapFaultEnvelope(status >= 500 ? 'Server' : 'Client', message));
      return;
    }
    res
      .status(status)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ error: message }));
  };
}

/** The answer for a path no route serves: 404, a SOAP 1.1 Client Fault to SOAP callers, JSON to the others. */
export function notFound() {
  return (req: Request, res: Response): void => {
    const message = `Failed to find ${req.method} ${req.path.slice(0, 200)}: no route of the harness serves it. Check the URL (GET /_control lists the control routes).`;
    if (wantsSoap(req)) {
      res.status(404).type('text/xml; charset=utf-8').send(soapFaultEnvelope('Client', message));
      return;
    }
    res
      .status(404)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ error: message }));
  };
}

/**
 * No `X-Powered-By`, no ETag (express hashed every SOAP answer with SHA-1 for a header no SOAP
 * client uses: ~1% of a station's time, issue 19), and `lastErrorHandler` after everything
 * mounted so far, after `notFound` for the paths none of it serves. Call after the last `app.use`.
 */
export function finishApp(app: Application, onBug?: (message: string) => void): Application {
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(notFound());
  app.use(lastErrorHandler(onBug));
  return app;
}
