/**
 * Journal records for the REST emulators (GPD, SEND): every inbound call and every
 * outbound call lands in the shared Journal like SOAP exchanges do, with the JSON
 * bodies as text and ids in `meta` so scenarios can assert on them.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Journal } from '../soap/exchange.ts';

type Meta = Record<string, string | number | boolean | undefined>;

export interface RestRecorder {
  /** Express middleware recording the exchange when the response is finished. */
  inbound(operation: string, metaOf?: (req: Request) => Meta): (req: Request, res: Response, next: NextFunction) => void;
}

export function restRecorder(journal: Journal, party: string, caller: string, now: () => Date): RestRecorder {
  return {
    inbound(operation, metaOf) {
      return (req, res, next) => {
        const started = performance.now();
        const at = now().toISOString();
        const origSend = res.send.bind(res);
        let responseText = '';
        res.send = ((body?: unknown) => {
          responseText = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? '');
          return origSend(body as never);
        }) as typeof res.send;
        res.on('finish', () => {
          const meta: Meta = { ...(metaOf?.(req) ?? {}), ...((res.locals['journalMeta'] as Meta | undefined) ?? {}) };
          journal.record({
            at,
            party,
            direction: 'inbound',
            from: caller,
            to: party,
            operation,
            url: req.originalUrl,
            httpStatus: res.statusCode,
            request: req.body && typeof req.body === 'object' && Object.keys(req.body as object).length ? JSON.stringify(req.body) : '',
            response: responseText,
            durationMs: performance.now() - started,
            notes: (res.locals['journalNotes'] as string[] | undefined) ?? [],
            meta,
          });
        });
        next();
      };
    },
  };
}

/** Adds a note / meta to the journal record of the current REST exchange. */
export function annotate(res: Response, notes: string[], meta: Meta = {}): void {
  res.locals['journalNotes'] = [...((res.locals['journalNotes'] as string[] | undefined) ?? []), ...notes];
  res.locals['journalMeta'] = { ...((res.locals['journalMeta'] as Meta | undefined) ?? {}), ...meta };
}
