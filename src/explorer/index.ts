/**
 * The explorer: a browser page at `/` to try every operation of the four pagoPA WSDLs against
 * the running world, watch the journal live (each PSP request with the station calls and
 * receipt deliveries it caused, and the sequence of a payment), and drive the world (reset,
 * clock, faults, station versions and broadcast flags, stand-in, conferring to ACA); it shows the
 * ACA positions and the GPD receipts.
 *
 * Server side, this router serves the page, its script (bundled from client/ with esbuild, once,
 * in memory: no build step) and a small JSON API under /_control/explorer. Everything else the
 * page does goes through the ordinary endpoints (POST /nodo, /stations/<id>) and control APIs
 * (/_control/journal, /_control/nodo/..., /_control/stations/...), from the same origin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response, type Router } from 'express';
import { DEFAULT_SUBSCRIPTION_KEY } from '../aca/index.ts';
import type { Registry } from '../nodo/index.ts';
import { operationsOf, type Interface } from '../soap/index.ts';
import { unwrap } from '../soap/index.ts';
import type { DemandService } from '../station/index.ts';
import type { World } from '../world.ts';
import { bundleClient } from './bundle.ts';
import { exampleData, exampleEnvelope } from './examples.ts';
import { pageHtml } from './page.ts';

export const EXPLORER_CONTROL_PATH = '/_control/explorer';
const HERE = fileURLToPath(new URL('.', import.meta.url));

export interface ExplorerOptions {
  world: World;
  /** Services of the spontaneous-payment catalogue (for the paDemandPaymentNotice example). */
  services?: DemandService[];
  /** Reloads the registry from its file (reset world). */
  reloadRegistry?: () => { ok: true; registry: Registry } | { ok: false; message: string };
  /** Re-creates what the world holds besides its files (demo GPD position, SEND notification). */
  reseed?: () => Promise<unknown>;
}

const INTERFACES: Array<{ iface: Interface; title: string; who: string }> = [
  { iface: 'nodeForPsp', title: 'nodeForPsp', who: 'PSP → Nodo: what a PSP sends to pagoPA' },
  { iface: 'paForNode', title: 'paForNode', who: 'Nodo → EC station: what a station must answer' },
  { iface: 'nodeForPa', title: 'nodeForPa', who: 'EC → Nodo (reporting): not served here, validate only' },
  { iface: 'pspForNode', title: 'pspForNode', who: 'Nodo → PSP: not served here, validate only' },
];

function targetsOf(world: World, iface: Interface): Array<{ label: string; path: string }> {
  if (iface === 'nodeForPsp') return [{ label: 'mock Nodo', path: '/nodo' }];
  if (iface !== 'paForNode') return [];
  const registry = world.nodo.registry();
  const stations = world.stations.stations().map((s) => {
    const pv = registry.stations.find((x) => x.stationCode === s.idStation)?.primitiveVersion;
    return { label: `station ${s.idStation}${pv ? ` (primitiveVersion ${pv})` : ''}`, path: `/stations/${encodeURIComponent(s.idStation)}` };
  });
  const gpd = registry.stations.some((s) => s.endpoint === 'gpd') ? [{ label: 'GPD (paForNode port)', path: '/gpd/paForNode' }] : [];
  return [...stations, ...gpd];
}

const problem = (res: Response, status: number, error: string) => res.status(status).json({ error });
const send = (res: Response, body: unknown) => res.type('application/json').send(JSON.stringify(body));

export function createExplorer(opts: ExplorerOptions): Router {
  const { world } = opts;
  const subscriptionKey = () => world.aca.subscriptions()[0]?.key ?? DEFAULT_SUBSCRIPTION_KEY;
  const r = express.Router();
  const css = () => readFileSync(join(HERE, 'client', 'explorer.css'), 'utf8');

  r.get('/', (_req, res) => {
    res.type('html').set('Cache-Control', 'no-store').send(pageHtml());
  });
  r.get('/_explorer/explorer.css', (_req, res) => {
    res.type('css').set('Cache-Control', 'no-store').send(css());
  });
  r.get('/_explorer/explorer.js', async (_req, res) => {
    const b = await bundleClient();
    if (!b.ok) return void res.status(500).type('text/plain').send(b.message);
    res.type('application/javascript').set('Cache-Control', 'no-store').send(b.code);
  });

  const api = express.Router();
  api.use(express.json({ limit: '6mb' }));

  api.get('/catalogue', (_req, res) => {
    const data = exampleData(world, opts.services);
    // Sent as text, not res.json: the control guard masks `<password>` in JSON read-outs, and these
    // examples are requests the page sends as they are, so they must carry the channel password the
    // Nodo checks. Only what the guard lets through (same origin, token off loopback) reads them.
    send(res, {
      interfaces: INTERFACES.map(({ iface, title, who }) => ({
        iface,
        title,
        who,
        wsdl: iface === 'nodeForPsp' ? '/nodo?wsdl' : iface === 'paForNode' ? targetsOf(world, iface)[0]?.path.concat('?wsdl') : undefined,
        targets: targetsOf(world, iface),
        operations: operationsOf(iface).map((op) => ({ name: op.name, request: op.request, response: op.response, example: exampleEnvelope(op, data) })),
      })),
      data: { pa: data.pa, notice: { fiscalCode: data.notice.fiscalCode, noticeNumber: data.notice.noticeNumber, amount: data.notice.amount } },
    });
  });

  api.get('/state', (_req, res) => {
    const registry = world.nodo.registry();
    const clock = world.clock as { offset?: number };
    const inStandIn = new Map(world.nodo.standIn.stations().map((x) => [x.station, x]));
    res.json({
      now: world.clock.now().toISOString(),
      offsetMs: clock.offset ?? 0,
      stations: registry.stations.map((s) => ({
        stationCode: s.stationCode,
        brokerCode: s.brokerCode,
        enabled: s.enabled,
        primitiveVersion: s.primitiveVersion,
        endpoint: s.endpoint,
        flagStandIn: s.flagStandIn === true,
        forceStandIn: s.forceStandIn,
        standIn: inStandIn.get(s.stationCode),
        associations: registry.associations
          .filter((a) => a.stationCode === s.stationCode)
          .map((a) => ({
            fiscalCode: a.fiscalCode,
            auxDigit: a.auxDigit,
            segregationCode: a.segregationCode,
            applicationCode: a.applicationCode,
            broadcast: a.broadcast,
            aca: a.aca === true,
            standIn: a.standIn === true,
          })),
      })),
      standInEvents: world.nodo.standIn.events().slice(-20),
      standInProbes: world.nodo.standIn.probes().slice(-10),
      subscriptionKey: subscriptionKey(),
      aca: world.aca.positions().flatMap((p) =>
        p.paymentOption.map((o) => ({
          fiscalCode: p.organizationFiscalCode,
          iuv: o.iuv,
          noticeNumber: o.nav,
          amount: o.amount,
          status: p.status,
          payStandIn: p.payStandIn !== false,
        })),
      ),
      gpdReceipts: world.gpd.receipts.all().map(({ document: _document, ...row }) => row),
      referenceStations: world.stations.stations().map((s) => s.idStation),
      injections: world.stations.injections(),
      sessions: world.nodo
        .sessions()
        .map((s) => ({ paymentToken: s.paymentToken, fiscalCode: s.fiscalCode, noticeNumber: s.noticeNumber, state: s.state, expiresAt: s.expiresAt })),
      positions: world.stations
        .positions()
        .map((p) => ({ fiscalCode: p.fiscalCode, noticeNumber: p.noticeNumber, state: p.state, description: p.description, send: p.send })),
    });
  });

  // Validate-only: any pagoPA message, as an envelope or bare; issues carry line:col in the text sent.
  api.post('/validate', (req: Request, res: Response) => {
    const xml = (req.body as { xml?: unknown } | undefined)?.xml;
    if (typeof xml !== 'string')
      return problem(res, 400, 'Failed to validate: the body must be JSON {"xml": "<the message>"}. Send the XML text in the xml field.');
    const u = unwrap(xml, { allowBare: true });
    if (!u.ok) return void res.json({ valid: false, issues: u.problem.issues, problem: u.problem.message });
    const m = u.message;
    res.json({
      valid: m.issues.length === 0,
      element: `{${m.bodyChild.ns}}${m.bodyChild.local}`,
      fault: m.fault ?? undefined,
      issues: m.fault ? [] : m.issues,
    });
  });

  // The reference back office of a station confers the payable positions it holds to the world's ACA,
  // over HTTP with the APIM key (paCreatePosition, one call each, in the journal).
  api.post('/stations/:stationCode/confer', async (req: Request, res: Response) => {
    const code = String(req.params['stationCode']);
    if (!world.stations.stations().some((x) => x.idStation === code))
      return problem(
        res,
        404,
        `Failed to confer the positions of station ${code} to ACA: it is not a reference station. See GET ${EXPLORER_CONTROL_PATH}/state.`,
      );
    const results = await world.stations.conferToAca(code, `${world.baseUrl}/aca/v1`, subscriptionKey());
    res.json({ stationCode: code, results });
  });

  // A station's primitiveVersion, or an association's broadcast flag: the registry changes like
  // PUT /_control/nodo/registry would change it (the reference stations follow).
  api.patch('/stations/:stationCode', (req: Request, res: Response) => {
    const code = String(req.params['stationCode']);
    const pv = (req.body as { primitiveVersion?: unknown } | undefined)?.primitiveVersion;
    if (pv !== 1 && pv !== 2) return problem(res, 400, 'Failed to change the station: primitiveVersion must be 1 or 2. Send {"primitiveVersion": 2}.');
    const registry = world.nodo.registry();
    if (!registry.stations.some((s) => s.stationCode === code))
      return problem(res, 404, `Failed to change station ${code}: it is not in the registry. See GET ${EXPLORER_CONTROL_PATH}/state.`);
    world.nodo.setRegistry({ ...registry, stations: registry.stations.map((s) => (s.stationCode === code ? { ...s, primitiveVersion: pv } : s)) });
    res.json({ stationCode: code, primitiveVersion: pv });
  });
  api.patch('/associations', (req: Request, res: Response) => {
    const b = (req.body ?? {}) as { fiscalCode?: unknown; stationCode?: unknown; broadcast?: unknown };
    if (typeof b.fiscalCode !== 'string' || typeof b.stationCode !== 'string' || typeof b.broadcast !== 'boolean')
      return problem(res, 400, 'Failed to change the association: send {"fiscalCode", "stationCode", "broadcast": true|false}.');
    const registry = world.nodo.registry();
    if (!registry.associations.some((a) => a.fiscalCode === b.fiscalCode && a.stationCode === b.stationCode))
      return problem(res, 404, `Failed to change the association ${b.fiscalCode} → ${b.stationCode}: there is none. See GET ${EXPLORER_CONTROL_PATH}/state.`);
    world.nodo.setRegistry({
      ...registry,
      associations: registry.associations.map((a) =>
        a.fiscalCode === b.fiscalCode && a.stationCode === b.stationCode ? { ...a, broadcast: b.broadcast as boolean } : a,
      ),
    });
    res.json({ fiscalCode: b.fiscalCode, stationCode: b.stationCode, broadcast: b.broadcast });
  });

  // Back to the start: registry from its file, positions as loaded, no sessions, receipts, injections or journal.
  api.post('/reset', async (_req, res) => {
    if (opts.reloadRegistry) {
      const reg = opts.reloadRegistry();
      if (!reg.ok) return problem(res, 409, `Failed to reset the world: the registry file no longer loads (${reg.message}). Fix the file and retry.`);
      world.nodo.setRegistry(reg.registry);
    }
    world.nodo.reset();
    world.stations.reset();
    world.clearInjections();
    world.gpd.reset();
    world.aca.reset();
    world.send.reset();
    world.journal.clear();
    await opts.reseed?.();
    res.json({ reset: true });
  });

  api.use((err: { status?: number; type?: string; message?: string }, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (res.headersSent || typeof err?.status !== 'number' || err.status >= 500) return next(err);
    problem(
      res,
      err.status,
      `Failed to read the request body: ${err.type === 'entity.parse.failed' ? 'it is not valid JSON' : (err.message ?? 'refused')}. Send Content-Type: application/json with a JSON body.`,
    );
  });
  r.use(EXPLORER_CONTROL_PATH, api);
  return r;
}
