/**
 * JSON control API of the reference stations, mounted at `/_control/stations`: a thin
 * layer over the programmatic object (see README.md for the routes).
 */
import express, { type Request, type Response, type Router } from 'express';
import { issue, type Issue } from '../xml/index.ts';
import { requireControlGuard } from '../control/index.ts';
import { externalBase } from '../soap/index.ts';
import { routesOf } from '../controlIndex.ts';
import { POSITION_STATES, type PositionState } from './model.ts';
import { normalizePositions, parsePositionsYaml, type LoadResult } from './positions.ts';
import type { ReferenceStations } from './referenceStations.ts';

function badRequest(res: Response, message: string, issues: Issue[] = []): void {
  res.status(400).json({ error: message, issues });
}

const q = (req: Request, k: string): string | undefined => {
  const v = (req.query as Record<string, unknown>)[k];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

function loadBody(req: Request): LoadResult {
  if (typeof req.body === 'string') return parsePositionsYaml(req.body, 'request body');
  const body = req.body as unknown;
  if (body === undefined || body === null || typeof body !== 'object')
    return { ok: false, issues: [issue('POSITIONS_SCHEMA', 'the body must be a JSON object (or YAML text) in the positions file format')] };
  // A bare array is a list of positions.
  return normalizePositions(Array.isArray(body) ? { positions: body } : body, { source: 'request body' });
}

export function createControlRouter(get: () => ReferenceStations): Router {
  const r = express.Router();
  r.use(requireControlGuard);
  r.use(express.json({ limit: '5mb' }), express.text({ type: ['application/yaml', 'application/x-yaml', 'text/yaml'], limit: '5mb' }));

  r.get('/', (req, res) => {
    const base = externalBase(req);
    res.json({
      stations: get()
        .stations()
        .map((s) => ({ ...s, url: get().urlOf(s.idStation, base) })),
      routes: routesOf(r, '/_control/stations'),
    });
  });

  r.get('/exchanges', (req, res) => {
    const since = q(req, 'since');
    res.json({
      exchanges: get().exchanges({
        station: q(req, 'station'),
        operation: q(req, 'operation'),
        since: since === undefined ? undefined : Number(since),
        ...(q(req, 'noticeNumber') ? { meta: { noticeNumber: q(req, 'noticeNumber')! } } : {}),
      }),
    });
  });
  r.delete('/exchanges', (_req, res) => {
    get().clearExchanges();
    res.status(204).end();
  });

  r.get('/positions', (req, res) => {
    res.json({ positions: get().positions(q(req, 'fiscalCode')) });
  });
  const load = (replace: boolean) => (req: Request, res: Response) => {
    const loaded = loadBody(req);
    if (!loaded.ok)
      return badRequest(
        res,
        `Failed to load positions: ${loaded.issues.length} problem(s) in the request body. Fix them and send the positions again.`,
        loaded.issues,
      );
    get().loadConfig(loaded.config, { replace });
    res.json({ loaded: loaded.config.positions.length + (loaded.config.packed?.size ?? 0), warnings: loaded.warnings, positions: get().positions().length });
  };
  r.put('/positions', load(true));
  r.post('/positions', load(false));
  r.get('/positions/:fiscalCode/:noticeNumber', (req, res) => {
    const p = get().position(String(req.params['fiscalCode']), String(req.params['noticeNumber']));
    if (!p)
      return void res.status(404).json({
        error: `Failed to find notice ${String(req.params['noticeNumber'])} of EC ${String(req.params['fiscalCode'])}: no such position. List them with GET /_control/stations/positions.`,
      });
    res.json(p);
  });
  r.patch('/positions/:fiscalCode/:noticeNumber', (req, res) => {
    const state = (req.body as { state?: unknown } | undefined)?.state;
    if (typeof state !== 'string' || !POSITION_STATES.includes(state as PositionState))
      return badRequest(res, `Failed to change the position: state must be one of ${POSITION_STATES.join(', ')}. Send {"state": "paid"} for example.`);
    if (!get().setPositionState(String(req.params['fiscalCode']), String(req.params['noticeNumber']), state as PositionState))
      return void res.status(404).json({ error: 'Failed to change the position: no such position. List them with GET /_control/stations/positions.' });
    res.json(get().position(String(req.params['fiscalCode']), String(req.params['noticeNumber'])));
  });

  r.get('/receipts', (req, res) => {
    res.json({
      receipts: get().receipts({ station: q(req, 'station'), ec: q(req, 'ec'), noticeNumber: q(req, 'noticeNumber'), receiptId: q(req, 'receiptId') }),
    });
  });
  r.get('/receipts/ec/:fiscalCode', (req, res) => {
    res.json({ receipts: get().receipts({ ec: String(req.params['fiscalCode']) }) });
  });

  r.get('/injections', (_req, res) => {
    res.json({ injections: get().injections() });
  });
  r.post('/injections', (req, res) => {
    const specs = Array.isArray(req.body) ? (req.body as unknown[]) : [req.body];
    const added = [];
    for (const s of specs) {
      const out = get().inject(s);
      if (!out.ok)
        return badRequest(
          res,
          'Failed to set the injection: it does not match the injection format. See src/station/README.md, "Fault injection".',
          out.issues,
        );
      added.push(out.injection);
    }
    res.status(201).json({ injections: added });
  });
  r.delete('/injections', (_req, res) => {
    res.json({ removed: get().clearInjections() });
  });
  r.delete('/injections/:id', (req, res) => {
    const n = get().clearInjections(String(req.params['id']));
    if (!n)
      return void res
        .status(404)
        .json({ error: `Failed to remove injection ${String(req.params['id'])}: no such injection. List them with GET /_control/stations/injections.` });
    res.json({ removed: n });
  });

  r.post('/reset', (_req, res) => {
    get().reset();
    res.json({ reset: true });
  });

  r.get('/:idStation/receipts', (req, res) => {
    res.json({ receipts: get().receipts({ station: String(req.params['idStation']), ec: q(req, 'ec') }) });
  });

  // Malformed JSON and other body errors: a JSON problem, never an HTML stack trace.
  r.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: express.NextFunction) => {
    if (err.type === 'entity.too.large') {
      res.status(413).json({ error: 'Failed to read the request body: it is larger than 5 MB. Send fewer positions per request.', issues: [] });
      return;
    }
    if (!err.type || typeof err.status !== 'number' || err.status >= 500) return next(err); // not a body error: the last handler answers
    badRequest(
      res,
      `Failed to read the request body: ${err.type === 'entity.parse.failed' ? 'it is not valid JSON' : 'it could not be read'}. Send JSON (or YAML with Content-Type application/yaml).`,
    );
  });
  return r;
}
