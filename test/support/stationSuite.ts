/**
 * Test support for the station suite: the reference station served as ONE long-lived process-like
 * server (express on loopback, state kept between runs, like a user's station), and a run of
 * scenarios/station/ against a URL with a profile, returning the recorded result.
 */
import express from 'express';
import { join } from 'node:path';
import { RealClock } from '../../src/clock.ts';
import { loadRegistry } from '../../src/nodo/registry.ts';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { loadProfile, parseProfile, type StationProfile } from '../../src/profile/index.ts';
import { createRecorder, type RunResult } from '../../src/report/index.ts';
import { RunEmitter } from '../../src/scenario/events.ts';
import { loadScenarios } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/model.ts';
import { type RunOptions, runScenarios } from '../../src/scenario/run.ts';
import { planStationRun, type StationRunPlan } from '../../src/scenario/stationPlan.ts';
import type { SendGateway } from '../../src/scenario/sendGateway.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { schemasRouter } from '../../src/soap/wsdl.ts';
import { createReferenceStations, loadPositionsFile, type Position, type ReferenceStations } from '../../src/station/index.ts';
import { referenceStationDefs } from '../../src/world.ts';
import { listenApp, type Served } from './loopback.ts';

export interface ServedReference extends Served {
  stations: ReferenceStations;
  urlOf(idStation: string): string;
}

/**
 * The reference stations of registry.default.yaml serving positions.default.yaml and positions.send.yaml
 * (plus `extra`) on loopback; `sendUrl`: the SEND base URL its SYNC notice asks the price at (a gateway);
 * `defects`: broken-station catalogue entries switched on (src/station/defects.ts).
 */
export async function serveReferenceStation(extra: Position[] = [], sendUrl?: string, defects: readonly string[] = []): Promise<ServedReference> {
  const reg = loadRegistry(join(SCENARIOS_DIR, 'fixtures', 'registry.default.yaml'));
  const pos = loadPositionsFile(join(SCENARIOS_DIR, 'fixtures', 'positions.default.yaml'));
  const send = loadPositionsFile(join(SCENARIOS_DIR, 'fixtures', 'positions.send.yaml'));
  if (!reg.ok || !pos.ok || !send.ok) throw new Error('fixtures invalid');
  const stations = createReferenceStations({
    journal: new Journal(),
    clock: new RealClock(),
    sendBaseUrl: sendUrl,
    sendTimeoutMs: 3000,
    config: { ...pos.config, positions: [...pos.config.positions, ...send.config.positions, ...extra], stations: referenceStationDefs(reg.registry) },
    ...(defects.length ? { defects } : {}),
  });
  const app = express();
  app.use(schemasRouter());
  app.use(stations.router);
  const served = await listenApp(app);
  return { ...served, stations, urlOf: (id) => `${served.base}/stations/${id}` };
}

let suite: Scenario[] | undefined;

export async function stationSuite(): Promise<Scenario[]> {
  if (suite) return suite;
  const r = await loadScenarios([join(SCENARIOS_DIR, 'station')]);
  if (r.issues.some((i) => i.severity === 'error')) throw new Error(r.issues.map((i) => i.message).join('\n'));
  suite = r.files.flatMap((f) => f.scenarios);
  return suite;
}

export function profileOf(fileOrText: string): StationProfile {
  const r = fileOrText.includes('\n') ? parseProfile(fileOrText, 'station.yaml') : loadProfile(fileOrText);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.profile;
}

export const REFERENCE_PROFILE = join(SCENARIOS_DIR, 'fixtures', 'station.reference.yaml');
export const MINIMAL_PROFILE = join(SCENARIOS_DIR, 'fixtures', 'station.minimal.yaml');

/** One station-suite run against `url` (ids: only these scenarios; sendGateway: the SEND address the station calls). */
export async function runSuite(
  profile: StationProfile,
  url: string,
  ids?: string[],
  sendGateway?: SendGateway,
  options: Pick<RunOptions, 'caseTimeoutMs' | 'nodo'> = {},
): Promise<{ result: RunResult; plan: StationRunPlan }> {
  const all = (await stationSuite()).filter((s) => !ids || ids.includes(s.id));
  const plan = planStationRun(profile, all, { mode: 'target', url });
  const emitter = new RunEmitter();
  const recorder = createRecorder(emitter);
  await runScenarios(all, emitter, { ...options, station: plan, jobs: 1, seed: `${Date.now()}${Math.random()}`, ...(sendGateway ? { sendGateway } : {}) });
  return { result: recorder.result(), plan };
}

/** `id: rule → actual` of every failed check, for assertions and messages. */
export function failures(result: RunResult): string[] {
  return result.cases.flatMap((c) => c.checks.filter((k) => !k.passed).map((k) => `${c.id}: ${k.rule ?? '-'} ${k.name} → ${k.mismatch?.actual ?? ''}`));
}
