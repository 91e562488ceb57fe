/**
 * One world: the mock Nodo, the reference stations, the GPD, ACA and SEND emulators on ONE express
 * app listening on an ephemeral loopback port, sharing one Journal and one ManualClock.
 * The scenario runner builds a fresh world per scenario (fresh state, own ids), so
 * scenarios can run in parallel. The reference stations' identities come from the
 * registry: every station whose endpoint is `reference`, with the ECs associated to it;
 * they follow the registry when it changes during a run (nodo.setRegistry).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import { createAca, type Aca, type AcaOptions } from './aca/index.ts';
import { ManualClock, type Clock } from './clock.ts';
import { createControlAccess, type ControlAccess } from './control/index.ts';
import { createNodo, NODO_PATH, type Nodo, type NodoOptionsInput } from './nodo/index.ts';
import type { ReceiptRecord } from './nodo/index.ts';
import type { Registry } from './nodo/index.ts';
import { createGpd, type Gpd } from './gpd/index.ts';
import { createSend, type Send } from './send/index.ts';
import { routeNotice } from './nodo/index.ts';
import { controlIndexRouter } from './controlIndex.ts';
import { Journal } from './soap/index.ts';
import { finishApp } from './soap/index.ts';
import { schemasRouter, soapFirstServer } from './soap/index.ts';
import { createReferenceStations, type ReferenceStations } from './station/index.ts';
import { emptyConfig, type Injection, type StationDef, type StationsConfig } from './station/index.ts';

export interface WorldOptions {
  registry: Registry;
  positions?: StationsConfig;
  clock?: Clock;
  /** Seed of generated ids (payment tokens). */
  seed?: string;
  /** Stations served at a user URL instead of the reference implementation (`--station id=url`). */
  stationOverrides?: Record<string, string>;
  /** Extra options of the mock Nodo (timeouts, receipt retry schedule, switches). */
  nodo?: NodoOptionsInput;
  journal?: Journal;
  /** Options of the ACA emulator (subscriptions, switches: src/aca/README.md). */
  aca?: AcaOptions;
  /** Where our own bugs go (default: stderr). */
  onBug?: (message: string) => void;
  /**
   * Control API protection (src/control): a token to require, or `enabled: false` to turn /_control off.
   * `host` is the interface `start()` will be given (default loopback); off loopback a token is required.
   */
  control?: { token?: string; enabled?: boolean; host?: string };
  /** Broken reference stations (src/station/defects.ts): every reference station of the world has these defects. */
  stationDefects?: readonly string[];
}

export interface World {
  readonly journal: Journal;
  readonly clock: Clock;
  readonly nodo: Nodo;
  readonly stations: ReferenceStations;
  readonly gpd: Gpd;
  /** ACA emulator (paCreatePosition); its positions live in the GPD store, where the Nodo's stand-in serves them. */
  readonly aca: Aca;
  /** SEND emulator; its routing says where the Nodo really sends a notice (station endpoint `gpd` or not). */
  readonly send: Send;
  /** `http://127.0.0.1:<port>` once started. */
  readonly baseUrl: string;
  /** The nodeForPsp endpoint. */
  readonly nodoUrl: string;
  /** The protection in front of every /_control route of this world. */
  readonly control: ControlAccess;
  /** Listens (default: an ephemeral port on 127.0.0.1) and resolves to the base URL. */
  start(at?: { port?: number; host?: string }): Promise<string>;
  /** Serves one more router on the world's app (before start), e.g. the explorer. */
  mount(router: Router): void;
  stop(): Promise<void>;
  /** Adds a fault injection on a reference station. */
  inject(injection: Injection): void;
  /** Removes the injections of one station, or all. */
  clearInjections(station?: string): void;
  /** Receipts the Nodo is delivering or delivered. */
  deliveries(): ReceiptRecord[];
  /**
   * Resolves when the world has settled: no receipt delivery attempt, SEND task or reference
   * station answer in flight (a station still answering after the Nodo gave up on it), and a
   * whole pass over them recorded nothing new.
   * Event-driven (it awaits the work itself, never a sleep): with the scenario's ManualClock
   * nothing starts on its own afterwards, so what a step caused is all in the journal.
   */
  idle(): Promise<void>;
}

/** Reference station identities: stations with endpoint `reference`, their broker and associated ECs. */
export function referenceStationDefs(registry: Registry, overrides: Record<string, string> = {}): StationDef[] {
  return registry.stations
    .filter((s) => s.endpoint === 'reference' && !overrides[s.stationCode])
    .map((s) => ({
      idStation: s.stationCode,
      idBrokerPA: s.brokerCode,
      ecs: [...new Set(registry.associations.filter((a) => a.stationCode === s.stationCode).map((a) => a.fiscalCode))],
    }))
    .filter((d) => d.ecs.length > 0);
}

export function createWorld(opts: WorldOptions): World {
  const journal = opts.journal ?? new Journal();
  const clock = opts.clock ?? new ManualClock();
  const overrides = opts.stationOverrides ?? {};
  const nodo = createNodo({
    journal,
    clock,
    registry: opts.registry,
    onBug: opts.onBug,
    // The reference stations' identities come from the registry: they follow its changes.
    onRegistryChange: (r) => stations.setStations(referenceStationDefs(r, overrides)),
    options: { ...opts.nodo, seed: opts.seed ?? opts.nodo?.seed, stationUrls: { ...opts.nodo?.stationUrls, ...overrides } },
  });
  const stations = createReferenceStations({
    journal,
    clock,
    config: opts.positions ?? emptyConfig(),
    stations: referenceStationDefs(opts.registry, overrides),
    onBug: opts.onBug,
    defects: opts.stationDefects,
  });
  const gpd = createGpd({
    journal,
    clock,
    onBug: opts.onBug,
    paymentInProgress: (fc, nav) => nodo.paymentInProgress(fc, nav),
    // gpd-payments reads the association flags from api-config: here, the Nodo's registry.
    associations: (idPA, idStation) => {
      const a = nodo.registry().associations.find((x) => x.fiscalCode === idPA && x.stationCode === idStation);
      return a ? { aca: a.aca === true, standIn: a.standIn === true } : undefined;
    },
  });
  const aca = createAca({ journal, clock, store: gpd.store, registry: () => nodo.registry(), options: opts.aca, onBug: opts.onBug });

  const send = createSend({
    journal,
    clock,
    onBug: opts.onBug,
    routing: (fc, nav) => {
      const r = routeNotice(nodo.registry(), fc, nav);
      return r.ok ? (r.route.station.endpoint === 'gpd' ? 'gpd' : 'station') : undefined;
    },
  });

  const control = createControlAccess({ host: '127.0.0.1', ...opts.control });
  const app = express();
  // Before every router: it guards all of /_control (nodo, receipts, stations, gpd, send and any later one).
  control.mount(app);
  app.use(schemasRouter());
  app.use(nodo.router);
  app.use(stations.router);
  app.use(gpd.router);
  app.use(aca.router);
  app.use(send.router);
  app.use(journalControlRouter(journal));
  const extra = express.Router();
  app.use(extra);
  app.use(controlIndexRouter(app));
  finishApp(app, opts.onBug);

  let server: Server | undefined;
  let baseUrl = '';

  const world: World = {
    journal,
    clock,
    nodo,
    stations,
    gpd,
    aca,
    send,
    control,
    get baseUrl() {
      return baseUrl;
    },
    get nodoUrl() {
      return `${baseUrl}${NODO_PATH}`;
    },
    start(at = {}) {
      const host = at.host ?? '127.0.0.1';
      return new Promise<string>((resolve, reject) => {
        // SOAP POSTs to the Nodo and the stations go straight to their ports; the rest to the express app.
        const s = soapFirstServer(app, [nodo.soapRoute, stations.soapRoute]);
        s.listen(at.port ?? 0, host);
        s.once('error', reject);
        s.once('listening', () => {
          server = s;
          // A wildcard bind is reached on loopback from inside (the Nodo calling the stations).
          const reach = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
          baseUrl = `http://${reach.includes(':') ? `[${reach}]` : reach}:${(s.address() as AddressInfo).port}`;
          nodo.setBaseUrl(baseUrl);
          stations.setSendBaseUrl(`${baseUrl}/send`);
          send.setGpdBaseUrl(`${baseUrl}/gpd`);
          resolve(baseUrl);
        });
      });
    },
    async stop() {
      nodo.close();
      send.close();
      const s = server;
      server = undefined;
      if (!s) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
    mount(router) {
      extra.use(router);
    },
    inject(injection) {
      stations.inject(injection);
    },
    clearInjections(station) {
      if (station === undefined) stations.clearInjections();
      else for (const i of stations.injections().filter((x) => x.station === station)) stations.clearInjections(i.id);
    },
    deliveries: () => nodo.receipts.all(),
    idle: async () => {
      for (;;) {
        const seq = journal.lastSeq;
        await stations.whenIdle();
        await send.settle();
        await nodo.whenIdle();
        if (journal.lastSeq === seq && stations.inFlight() === 0 && nodo.receipts.inFlight() === 0) return;
      }
    },
  };
  return world;
}

/**
 * `GET /_control/journal`: every party's records (the whole world's journal), oldest first.
 * Query: `since` (seq), `correlationId` (one PSP exchange and what it caused), `party`, `operation`.
 * Answers `{ lastSeq, exchanges }`; poll with `since=<lastSeq>` for what is new.
 */
export function journalControlRouter(journal: Journal): Router {
  const r = express.Router();
  r.get('/_control/journal', (req, res) => {
    const q = (k: string) => (typeof req.query[k] === 'string' && req.query[k] !== '' ? (req.query[k] as string) : undefined);
    const since = q('since') === undefined ? undefined : Number(q('since'));
    if (since !== undefined && !Number.isInteger(since))
      return void res
        .status(400)
        .json({ error: `Failed to read the journal: since '${q('since')}' is not a sequence number. Pass the lastSeq of the previous answer.` });
    res.json({ lastSeq: journal.lastSeq, exchanges: journal.list({ since, correlationId: q('correlationId'), party: q('party'), operation: q('operation') }) });
  });
  return r;
}
