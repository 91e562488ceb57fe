/**
 * The test data a user's station must hold when it is the station under test (`--station`).
 *
 * The reference stations start every scenario afresh; a user's station keeps its state. So,
 * against a user's station, a scenario is skipped (with the reason) rather than failed when it
 * needs a notice that the station cannot have in the expected state:
 * - a notice the scenario declares itself (not in the published fixtures the user loads), or
 *   declares differently from them;
 * - a notice an earlier scenario of the same run already paid on that station;
 * - an EC the scenario associates with that station (its registry or a registryPatch step) that the
 *   published registry does not: the reference stations follow such a change, a user's station cannot.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS_DIR } from '../paths.ts';
import { loadRegistry, routeNotice } from '../nodo/index.ts';
import { loadPositionsFile } from '../station/index.ts';
import type { Position } from '../station/index.ts';
import type { World } from '../world.ts';
import type { Scenario } from './model.ts';
import { noticeOf } from './pspCall.ts';

/** The fixture files whose positions a user's station is asked to load (see README, "Test your own station"). */
export const TARGET_FIXTURES = ['positions.default.yaml', 'positions.send.yaml'];

const PSP_NOTICE_STEPS = new Set(['verifyPaymentNotice', 'verificaBollettino', 'activatePaymentNotice', 'activatePaymentNoticeV2']);
const key = (fiscalCode: string, noticeNumber: string) => `${fiscalCode}/${noticeNumber}`;

let published: Map<string, string> | undefined;

/** Positions of the published fixtures, as comparable JSON by `fiscalCode/noticeNumber`. */
function publishedPositions(): Map<string, string> {
  if (published) return published;
  published = new Map();
  const dir = join(SCENARIOS_DIR, 'fixtures');
  for (const f of readdirSync(dir).filter((n) => TARGET_FIXTURES.includes(n))) {
    const r = loadPositionsFile(join(dir, f));
    if (r.ok) for (const p of r.config.positions) published.set(key(p.fiscalCode, p.noticeNumber), comparable(p));
  }
  return published;
}

const comparable = (p: Position): string => JSON.stringify({ ...p, station: undefined });

/** The published registry a user's station is configured from. */
export const TARGET_REGISTRY = 'registry.default.yaml';
let publishedPairs: Set<string> | undefined;

/** The `stationCode/fiscalCode` pairs the published registry associates (primary or broadcast). */
function publishedAssociations(): Set<string> {
  if (publishedPairs) return publishedPairs;
  const r = loadRegistry(join(SCENARIOS_DIR, 'fixtures', TARGET_REGISTRY));
  publishedPairs = new Set(r.ok ? r.registry.associations.map((a) => `${a.stationCode}/${a.fiscalCode}`) : []);
  return publishedPairs;
}

/** ECs the scenario associates with one of the target stations (its registry, its registryPatch steps) that the published registry does not. */
function addedAssociations(s: Scenario, targets: Record<string, string>): Array<{ station: string; fiscalCode: string }> {
  const patched = s.steps
    .filter((st) => st.kind === 'registryPatch')
    .flatMap((st) => ((st.params as { associations?: unknown } | undefined)?.associations as Array<Record<string, unknown>> | undefined) ?? [])
    .filter((a) => !a['remove']);
  const out = new Map<string, { station: string; fiscalCode: string }>();
  for (const a of [...s.setup.registry.associations, ...patched]) {
    const station = a['stationCode'];
    const fiscalCode = a['fiscalCode'];
    if (typeof station !== 'string' || typeof fiscalCode !== 'string' || !(station in targets)) continue;
    if (!publishedAssociations().has(`${station}/${fiscalCode}`)) out.set(`${station}/${fiscalCode}`, { station, fiscalCode });
  }
  return [...out.values()];
}

/** Notices a scenario asks the PSP steps about that are routed to one of the target stations. */
export function targetNotices(s: Scenario, targets: Record<string, string>): Array<{ fiscalCode: string; noticeNumber: string; station: string }> {
  const asked = [noticeOf(s, {})];
  for (const step of s.steps) {
    if (!PSP_NOTICE_STEPS.has(step.kind) || !step.params || typeof step.params !== 'object') continue;
    const p = step.params as { noticeNumber?: unknown; fiscalCode?: unknown };
    if (typeof p.noticeNumber === 'string' && !p.noticeNumber.includes('${'))
      asked.push(noticeOf(s, { noticeNumber: p.noticeNumber, ...(typeof p.fiscalCode === 'string' ? { fiscalCode: p.fiscalCode } : {}) }));
  }
  const out = new Map<string, { fiscalCode: string; noticeNumber: string; station: string }>();
  for (const n of asked) {
    const r = routeNotice(s.setup.registry, n.fiscalCode, n.noticeNumber);
    if (r.ok && r.route.station.stationCode in targets) out.set(key(n.fiscalCode, n.noticeNumber), { ...n, station: r.route.station.stationCode });
  }
  return [...out.values()];
}

/** Whether a scenario sends an outcome (and so may pay a notice on the station under test). */
export function paysNotice(s: Scenario): boolean {
  return s.steps.some((st) => st.kind === 'sendPaymentOutcome' || st.kind === 'sendPaymentOutcomeV2');
}

/** What a run learns about the stations under test: which notices earlier scenarios paid on them. */
export class TargetLedger {
  private readonly paid = new Map<string, string>();

  /** Why the scenario cannot run against the user's station, if it cannot. */
  skipReason(s: Scenario, targets: Record<string, string>): string | undefined {
    for (const id of Object.keys(targets)) {
      const st = s.setup.registry.stations.find((x) => x.stationCode === id);
      if (st && st.endpoint !== 'reference' && st.endpoint !== targets[id])
        return `points station ${id} at an endpoint of its own (${st.endpoint}) to test the Nodo's handling of it, so it cannot be your station`;
    }
    const added = addedAssociations(s, targets);
    if (added.length)
      return `associates ${added.map((a) => `EC ${a.fiscalCode} with station ${a.station}`).join(', ')} (not in scenarios/fixtures/${TARGET_REGISTRY}) to test the Nodo's handling of it; your station serves the ECs of that registry, so it would refuse them (PAA_ID_DOMINIO_ERRATO)`;
    for (const n of targetNotices(s, targets)) {
      const k = key(n.fiscalCode, n.noticeNumber);
      const by = this.paid.get(k);
      if (by)
        return `notice ${k} was already paid on your station ${n.station} by scenario ${by} in this run; reload your station's test data (${TARGET_FIXTURES.join(', ')}) and run this scenario alone with --grep ${s.id}`;
      const own = s.setup.positions.positions.find((p) => p.fiscalCode === n.fiscalCode && p.noticeNumber === n.noticeNumber);
      if (!own) continue;
      const pub = publishedPositions().get(k);
      if (pub === undefined)
        return `needs notice ${k}, which the scenario declares itself and your station ${n.station} does not hold (it is not in scenarios/fixtures/${TARGET_FIXTURES[0]})`;
      if (pub !== comparable(own))
        return `needs notice ${k} in a state or content the scenario declares itself, different from scenarios/fixtures/${TARGET_FIXTURES[0]}, which is what your station ${n.station} holds`;
    }
    return undefined;
  }

  /** Records the notices a finished scenario paid on the stations under test. */
  record(s: Scenario, world: World, targets: Record<string, string>): void {
    for (const p of world.nodo.paidNotices()) {
      if (p.idStation in targets) {
        const k = key(p.fiscalCode, p.noticeNumber);
        if (!this.paid.has(k)) this.paid.set(k, s.id);
      }
    }
  }
}
