/**
 * `serve`: one long-lived world on one port for people (PSP developers pointing their code at a
 * local Nodo, station authors, anyone exploring the primitives): the mock Nodo (with its
 * stand-in), the reference stations, GPD (with its receipts API), ACA, SEND and the explorer, on a clock that is real time plus an offset a developer
 * can advance. With no files, the built-in demo world (demo/registry.yaml, demo/positions.yaml,
 * plus a GPD position and a SEND notification created at start, see demo.ts).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACA_PATH, DEFAULT_SUBSCRIPTION_KEY } from '../aca/index.ts';
import { OffsetClock } from '../clock.ts';
import { createExplorer } from '../explorer/index.ts';
import { formatRegistryIssue, loadRegistry, type Registry } from '../nodo/index.ts';
import { STANDIN_CONTROL_PATH } from '../nodo/index.ts';
import { Journal } from '../soap/index.ts';
import { loadPositionsFile } from '../station/index.ts';
import { emptyConfig, type StationsConfig } from '../station/index.ts';
import { createWorld, type World } from '../world.ts';
import { seedDemo } from './demo.ts';

export const DEMO_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'demo');
export const DEMO_REGISTRY = join(DEMO_DIR, 'registry.yaml');
export const DEMO_POSITIONS = join(DEMO_DIR, 'positions.yaml');
export const DEFAULT_PORT = 8090;

export interface ServeOptions {
  /** Registry file (default: the demo registry). */
  registry?: string;
  /** Positions file of the reference stations (default: the demo positions with the demo registry, none otherwise). */
  positions?: string;
  port?: number;
  host?: string;
  /** Control API protection (src/control): the token to require, or `enabled: false`. */
  control?: { token?: string; enabled?: boolean };
  /** Where our own bugs go. */
  onBug?: (message: string) => void;
}

/** Every address a user needs, printed at start. */
export interface ServeUrls {
  base: string;
  explorer: string;
  nodeForPsp: string;
  nodeForPspWsdl: string;
  stations: Array<{ idStation: string; url: string; wsdl: string; primitiveVersion?: number; ecs: string[] }>;
  gpd: string;
  gpdPaForNode: string;
  /** GPD's receipts API for asynchronous ECs: `<gpdReceipts>/<fiscalCode>/receipts[/<iuv>]`. */
  gpdReceipts: string;
  /** ACA's paCreatePosition (synchronous ECs confer their positions here). */
  aca: string;
  /** The APIM subscription key ACA and the GPD receipts API accept. */
  subscriptionKey: string;
  /** The Nodo's stand-in: stations in stand-in, events, probes; POST/DELETE `stations/<code>` by hand. */
  standIn: string;
  send: string;
  control: string;
}

export interface Served {
  world: World;
  clock: OffsetClock;
  journal: Journal;
  urls: ServeUrls;
  /** What was loaded, for the banner: files and counts. */
  loaded: { registry: string; positions?: string; demo: boolean; positionCount: number; warnings: string[] };
  stop(): Promise<void>;
}

export type ServeResult = { ok: true; served: Served } | { ok: false; kind: 'config' | 'listen'; message: string };

function readRegistry(file: string): { ok: true; registry: Registry } | { ok: false; message: string } {
  const r = loadRegistry(file);
  return r.ok ? { ok: true, registry: r.registry } : { ok: false, message: r.issues.map(formatRegistryIssue).join('\n') };
}

function readPositions(file: string): { ok: true; config: StationsConfig; warnings: string[] } | { ok: false; message: string } {
  const r = loadPositionsFile(file);
  if (!r.ok) return { ok: false, message: r.issues.map((i) => `${i.source ?? file}:${i.line}:${i.col} ${i.message}`).join('\n') };
  return { ok: true, config: r.config, warnings: r.warnings.map((w) => `${w.source ?? file}:${w.line}:${w.col} warning: ${w.message}`) };
}

export function urlsOf(world: World, base: string): ServeUrls {
  const registry = world.nodo.registry();
  return {
    base,
    explorer: `${base}/`,
    nodeForPsp: `${base}/nodo`,
    nodeForPspWsdl: `${base}/nodo?wsdl`,
    stations: world.stations.stations().map((s) => ({
      idStation: s.idStation,
      url: world.stations.urlOf(s.idStation, base),
      wsdl: `${world.stations.urlOf(s.idStation, base)}?wsdl`,
      primitiveVersion: registry.stations.find((x) => x.stationCode === s.idStation)?.primitiveVersion,
      ecs: s.ecs,
    })),
    gpd: `${base}/gpd`,
    gpdPaForNode: `${base}/gpd/paForNode`,
    gpdReceipts: `${base}/gpd/payments`,
    aca: `${base}${ACA_PATH}`,
    subscriptionKey: world.aca.subscriptions()[0]?.key ?? DEFAULT_SUBSCRIPTION_KEY,
    standIn: `${base}${STANDIN_CONTROL_PATH}`,
    send: `${base}/send`,
    control: `${base}/_control`,
  };
}

/** Loads the files, builds the world with the explorer, listens. Config and listen problems are returned. */
export async function startServe(opts: ServeOptions = {}): Promise<ServeResult> {
  const registryFile = opts.registry ?? DEMO_REGISTRY;
  const reg = readRegistry(registryFile);
  if (!reg.ok) return { ok: false, kind: 'config', message: `Failed to load the registry ${registryFile}:\n${reg.message}` };
  const positionsFile = opts.positions ?? (opts.registry === undefined ? DEMO_POSITIONS : undefined);
  let positions = emptyConfig();
  let warnings: string[] = [];
  if (positionsFile) {
    const pos = readPositions(positionsFile);
    if (!pos.ok) return { ok: false, kind: 'config', message: `Failed to load the positions file ${positionsFile}:\n${pos.message}` };
    positions = pos.config;
    warnings = pos.warnings;
  }

  const clock = new OffsetClock();
  const journal = new Journal();
  const host = opts.host ?? '127.0.0.1';
  const world = createWorld({ registry: reg.registry, positions, clock, journal, onBug: opts.onBug, control: { ...opts.control, host } });
  const demo = { registry: registryFile === DEMO_REGISTRY, positions: positionsFile === DEMO_POSITIONS };
  world.mount(
    createExplorer({
      world,
      services: positions.services,
      reloadRegistry: () => readRegistry(registryFile),
      reseed: () => seedDemo(world, demo),
    }),
  );

  let base: string;
  try {
    base = await world.start({ port: opts.port ?? DEFAULT_PORT, host });
  } catch (e) {
    clock.close();
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return {
      ok: false,
      kind: 'listen',
      message: `Failed to listen on ${host}:${opts.port ?? DEFAULT_PORT}: ${code}. Choose another --port (0 picks a free one) or --host.`,
    };
  }
  await seedDemo(world, demo);

  return {
    ok: true,
    served: {
      world,
      clock,
      journal,
      urls: urlsOf(world, base),
      loaded: { registry: registryFile, positions: positionsFile, demo: demo.registry && demo.positions, positionCount: positions.positions.length, warnings },
      async stop() {
        clock.close();
        await world.stop();
      },
    },
  };
}
