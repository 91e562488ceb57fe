/**
 * Journal records for the REST emulators (GPD, SEND): every inbound call and every
 * outbound call lands in the shared Journal like SOAP exchanges do, with the JSON
 * bodies as text and ids in `meta` so scenarios can assert on them.
 */
import type { NextFunction, Request, Response } from 'express';
import { CORRELATION_HEADER, correlationFromHeader, withCorrelation, type Journal } from '../soap/index.ts';

type Meta = Record<string, string | number | boolean | undefined>;

export interface RestRecorder {
  /**
   * Express middleware recording the exchange when the response is finished (or the caller
   * went away). `meta.arrivedAfterSeq` is the journal's last sequence number when the
   * request arrived, so a slow call can still be placed among the other exchanges.
   */
  inbound(operation: string, metaOf?: (req: Request) => Meta): (req: Request, res: Response, next: NextFunction) => void;
  /** Resolves when no inbound request is being served. */
  idle(): Promise<void>;
}

export function restRecorder(journal: Journal, party: string, caller: string, now: () => Date): RestRecorder {
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const done = () => {
    inFlight -= 1;
    if (inFlight === 0) {
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    }
  };
  return {
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    inbound(operation, metaOf) {
      return (req, res, next) => {
        const started = performance.now();
        const at = now().toISOString();
        const arrivedAfterSeq = journal.lastSeq;
        // The chain this call belongs to: the caller's (header), or a new one that starts here.
        const adopted = correlationFromHeader(req.headers[CORRELATION_HEADER]);
        const chain = adopted ? { correlationId: adopted } : { correlationId: journal.newCorrelationId(), origin: true };
        inFlight += 1;
        let recorded = false;
        const origSend = res.send.bind(res);
        let responseText = '';
        res.send = ((body?: unknown) => {
          responseText = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? '');
          return origSend(body as never);
        }) as typeof res.send;
        res.on('close', () => {
          if (recorded) return;
          recorded = true;
          const meta: Meta = { ...(metaOf?.(req) ?? {}), ...((res.locals['journalMeta'] as Meta | undefined) ?? {}), arrivedAfterSeq };
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
            notes: [
              ...((res.locals['journalNotes'] as string[] | undefined) ?? []),
              ...(res.writableFinished ? [] : ['the caller closed the connection before the answer was sent']),
            ],
            meta,
            ...chain,
          });
          done();
        });
        withCorrelation(chain.correlationId, () => next());
      };
    },
  };
}

/** Adds a note / meta to the journal record of the current REST exchange. */
export function annotate(res: Response, notes: string[], meta: Meta = {}): void {
  res.locals['journalNotes'] = [...((res.locals['journalNotes'] as string[] | undefined) ?? []), ...notes];
  res.locals['journalMeta'] = { ...((res.locals['journalMeta'] as Meta | undefined) ?? {}), ...meta };
}
