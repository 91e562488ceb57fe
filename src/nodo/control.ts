/**
 * The mock Nodo's JSON control API under /_control/nodo (a thin layer over the
 * programmatic object): journal, registry (show, reload, replace), clock advance,
 * reset, sessions.
 */
import express, { type Request, type Response, type Router } from 'express';
import { parseDuration, type Clock } from '../clock.ts';
import type { Journal } from '../soap/index.ts';
import { requireControlGuard } from '../control/index.ts';
import { normalizeRegistry, type Registry } from './registry.ts';
import type { PaymentSession } from './sessions.ts';

export const NODO_CONTROL_PATH = '/_control/nodo';

/** What the control API reads and changes on the Nodo (the Nodo of index.ts). */
export interface ControlledNodo {
  registry(): Registry;
  setRegistry(r: Registry): void;
  reset(): void;
  sessions(): PaymentSession[];
  session(paymentToken: string): PaymentSession | undefined;
}

export interface ControlDeps {
  nodo: ControlledNodo;
  journal: Journal;
  clock: Clock;
  loadRegistry?: () => { ok: true; registry: Registry } | { ok: false; message: string };
}

const problem = (res: Response, status: number, message: string) => res.status(status).json({ error: message });

export function controlRouter(d: ControlDeps): Router {
  const r = express.Router();
  const base = NODO_CONTROL_PATH;
  r.use(base, requireControlGuard, express.json({ limit: '2mb' }));

  r.get(`${base}/journal`, (req: Request, res: Response) => {
    const since = req.query['since'] !== undefined ? Number(req.query['since']) : undefined;
    const operation = typeof req.query['operation'] === 'string' ? req.query['operation'] : undefined;
    res.json(d.journal.list({ party: 'nodo', ...(since !== undefined && !Number.isNaN(since) ? { since } : {}), ...(operation ? { operation } : {}) }));
  });

  r.get(`${base}/registry`, (_req, res) => {
    res.json(d.nodo.registry());
  });

  r.put(`${base}/registry`, (req: Request, res: Response) => {
    const result = normalizeRegistry(req.body, { file: 'PUT /_control/nodo/registry' });
    // A JSON body has no lines: each issue is `<path>: <why> [<rule>]`.
    if (!result.ok)
      return res.status(400).json({
        error: 'Failed to replace the registry: it breaks the rules below. Fix them and retry.',
        issues: result.issues.map((i) => `${i.path || '(top level)'}: ${i.message.replace(/^Failed to load the registry: /, '')} [${i.code}]`),
      });
    d.nodo.setRegistry(result.registry);
    res.json({ ok: true });
  });

  r.post(`${base}/registry/reload`, (_req, res) => {
    if (!d.loadRegistry)
      return problem(res, 409, 'Failed to reload the registry: this Nodo was not started from a registry file. Use PUT /_control/nodo/registry instead.');
    const result = d.loadRegistry();
    if (!result.ok) return problem(res, 400, result.message);
    d.nodo.setRegistry(result.registry);
    res.json({ ok: true });
  });

  r.post(`${base}/clock/advance`, (req: Request, res: Response) => {
    const v = (req.body as { ms?: number; by?: string } | undefined) ?? {};
    let ms: number;
    try {
      ms = parseDuration(v.ms ?? v.by ?? '');
    } catch (e) {
      return problem(res, 400, `Failed to advance the clock: ${(e as Error).message}. Send {"by": "10m"} or {"ms": 600000}.`);
    }
    if (!d.clock.advance(ms))
      return problem(res, 409, 'Failed to advance the clock: the Nodo runs on the real clock. Start it with a manual clock (scenarios do).');
    res.json({ now: d.clock.now().toISOString() });
  });

  r.post(`${base}/reset`, (_req, res) => {
    d.nodo.reset();
    res.json({ ok: true });
  });

  r.get(`${base}/sessions`, (_req, res) => {
    res.json(d.nodo.sessions());
  });

  r.get(`${base}/sessions/:token`, (req: Request, res: Response) => {
    const s = d.nodo.session(String(req.params['token']));
    if (!s) return problem(res, 404, `Failed to find paymentToken ${String(req.params['token'])}: no such session. List them with GET ${base}/sessions.`);
    res.json(s);
  });
  // A body that is not JSON (or too large) is a 4xx in JSON, never express's HTML page with a stack.
  r.use(base, (err: unknown, _req: Request, res: Response, next: (e?: unknown) => void) => {
    const e = err as { status?: number; type?: string; message?: string };
    if (res.headersSent || !e?.type || typeof e.status !== 'number' || e.status >= 500) return next(err); // not a body error: the last handler answers
    problem(
      res,
      e.status,
      `Failed to read the request body: ${e.type === 'entity.parse.failed' ? 'it is not valid JSON' : (e.message ?? 'refused')}. Send Content-Type: application/json with a JSON body.`,
    );
  });
  return r;
}
