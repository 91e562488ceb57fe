/**
 * JSON control API of the Nodo's stand-in (a thin layer over the programmatic object),
 * after pagopa-stand-in-manager's own (docs/aca-standin.md §4.3):
 *   GET    /_control/nodo/standin                          stations in stand-in, events, probes
 *   POST   /_control/nodo/standin/stations/:station        put in stand-in by hand (ADDED)
 *   DELETE /_control/nodo/standin/stations/:station        take out by hand (REMOVED)
 *   POST   /_control/nodo/standin/stations/:station/probe  one probe now, no effect
 */
import express, { type Router } from 'express';
import { requireControlGuard } from '../../control/index.ts';
import type { StandIn } from './index.ts';

export const STANDIN_CONTROL_PATH = '/_control/nodo/standin';

export function standInRouter(s: StandIn): Router {
  const r = express.Router();
  const base = STANDIN_CONTROL_PATH;
  r.use(base, requireControlGuard);
  r.get(base, (_req, res) => {
    res.json({ stations: s.stations(), events: s.events(), probes: s.probes(), options: s.options });
  });
  r.post(`${base}/stations/:station`, (req, res) => {
    const why = s.add(String(req.params['station']));
    if (why) return void res.status(409).json({ error: why });
    res.json({ stations: s.stations() });
  });
  r.delete(`${base}/stations/:station`, (req, res) => {
    const why = s.remove(String(req.params['station']));
    if (why) return void res.status(409).json({ error: why });
    res.json({ stations: s.stations() });
  });
  r.post(`${base}/stations/:station/probe`, async (req, res) => {
    res.json(await s.probe(String(req.params['station'])));
  });
  return r;
}
