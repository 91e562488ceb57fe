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
import type { StandInOptions } from './options.ts';
import type { ProbeResult } from './probe.ts';

export const STANDIN_CONTROL_PATH = '/_control/nodo/standin';

/** What the control API reads and changes on stand-in (the StandIn of index.ts); stations and events it only sends as JSON. */
export interface ControlledStandIn {
  stations(): unknown[];
  events(): unknown[];
  probes(): ProbeResult[];
  options: StandInOptions;
  add(stationCode: string): string | undefined;
  remove(stationCode: string): string | undefined;
  probe(stationCode: string): Promise<ProbeResult>;
}

export function standInRouter(s: ControlledStandIn): Router {
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
