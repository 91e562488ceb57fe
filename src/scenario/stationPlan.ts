/**
 * Planning a station-suite run: which notice of the profile each scenario's roles get.
 * A stateful station is paid for real, so each payable notice is paid at most once per run
 * (paying scenarios run last, after every scenario that only reads the notices); a scenario
 * whose role or requirement the profile cannot meet is skipped with what to add. The plan
 * also says how many notices of each role the run pays, so the user knows what to reload.
 */
import { join } from 'node:path';
import { SCENARIOS_DIR } from '../paths.ts';
import { loadProfile, profileRegistry, ROLE_MEANING, PAYABLE_ROLES, type NoticeRole, type ProfileNotice, type StationProfile } from '../profile/index.ts';
import type { Registry } from '../nodo/index.ts';
import type { Scenario } from './model.ts';
import type { RoleBinding } from './stationCase.ts';
import { ERR, HarnessError } from '../errors.ts';

/** The profile of the reference station (scenarios/fixtures), used when the suite runs without --profile. */
export const REFERENCE_PROFILE = join(SCENARIOS_DIR, 'fixtures', 'station.reference.yaml');

export interface CasePlan {
  bindings: Record<string, RoleBinding>;
  /** Why the scenario cannot run with this profile, and what to add. */
  skip?: string;
  /** Set when the skip is for lack of data: what to add to the profile. */
  missing?: string;
}

export interface StationRunPlan {
  profile: StationProfile;
  /** The mock Nodo's registry derived from the profile. */
  registry: Registry;
  stationCode: string;
  /**
   * `target`: the user's station at `url`, one long-lived stateful server (notices paid at most once,
   * paying scenarios last). `reference`: a fresh in-process reference station per scenario (the self-test run).
   */
  mode: 'target' | 'reference';
  url?: string;
  cases: Map<string, CasePlan>;
  /** Per payable role: notices the run pays, and how many the profile lists. */
  pays: Array<{ role: NoticeRole; needed: number; listed: number }>;
}

const key = (n: { fiscalCode: string; noticeNumber: string }) => `${n.fiscalCode}/${n.noticeNumber}`;

/** Whether the scenario pays one of its notices. */
export const stationPays = (s: Scenario): boolean => Object.values(s.station?.roles ?? {}).some((r) => r.pays);

/** Station-suite order against a stateful station: scenarios that only read notices first, those that pay last (stable). */
export function stationRunOrder(scenarios: Scenario[]): Scenario[] {
  return [...scenarios].sort((a, b) => Number(stationPays(a)) - Number(stationPays(b)));
}

function requirementGap(s: Scenario, p: StationProfile, mode: 'target' | 'reference'): string | undefined {
  const r = s.station?.requires ?? {};
  if (r.broadcast && ![...p.ecs, ...p.secondaryEcs].some((e) => e.broadcast))
    return `needs a station that is a broadcast station of some EC: if yours is, add broadcast: true to that EC in ${p.file}`;
  if (r.primitiveVersion !== undefined && p.station.primitiveVersion !== r.primitiveVersion)
    return `applies to stations with primitiveVersion ${r.primitiveVersion}; ${p.file} declares ${p.station.primitiveVersion}`;
  if (r.aca && !p.aca.confers)
    return `needs an EC that confers its positions to ACA (synchronous ECs must, docs/aca-standin.md §2): add aca: { confers: true, url: <the harness ACA your back office calls> } to ${p.file}`;
  if (r.aca && mode === 'target' && !p.aca.url)
    return `needs the address of the harness ACA your back office confers to: start one with station-harness aca --profile ${p.file} --port 8087, point your back office at http://127.0.0.1:8087/aca/v1, and add aca: { url: http://127.0.0.1:8087 } to ${p.file}`;
  if (r.sendSync && !p.send.sync) return `needs a SEND SYNC station: if yours calls SEND's price API, add send: { sync: true } to ${p.file}`;
  return undefined;
}

export interface PlanOptions {
  mode: 'target' | 'reference';
  /** The station's URL in target mode (default: the profile's). */
  url?: string;
}

/** Binds every station-suite scenario's roles to notices of the profile (in run order). */
export function planStationRun(profile: StationProfile, scenarios: Scenario[], opts: PlanOptions): StationRunPlan {
  const derived = profileRegistry(profile, opts.mode === 'reference' ? { endpoint: 'reference' } : { endpoint: opts.url ?? profile.station.url });
  if (!derived.ok) throw new HarnessError(ERR.CONFIG, derived.issues.map((i) => `${i.source}:${i.line}:${i.col} ${i.message}`).join('\n'));
  const fresh = opts.mode === 'reference';
  const paidBy = new Map<string, string>();
  const cases = new Map<string, CasePlan>();
  const needed = new Map<NoticeRole, number>();
  for (const s of stationRunOrder(scenarios.filter((x) => x.station))) {
    const plan: CasePlan = { bindings: {} };
    cases.set(s.id, plan);
    const gap = requirementGap(s, profile, opts.mode);
    if (gap) {
      plan.skip = gap;
      if (!/applies to stations/.test(gap)) plan.missing = gap;
      continue;
    }
    const usedHere = new Set<string>();
    for (const [name, need] of Object.entries(s.station!.roles)) {
      if (need.pays) needed.set(need.role, (needed.get(need.role) ?? 0) + 1);
      const listed = profile.notices[need.role];
      const pick = (n: ProfileNotice) => !usedHere.has(key(n)) && (fresh || !need.pays || !paidBy.has(key(n)));
      // Payers take the notices nobody paid yet; readers prefer them too (they run first anyway).
      const chosen = listed.find((n) => pick(n) && !paidBy.has(key(n))) ?? listed.find(pick);
      if (!chosen) {
        const what = `${ROLE_MEANING[need.role]}`;
        if (listed.length === 0) {
          plan.missing = `add notices.${need.role}: ["<notice number>"] to ${profile.file}: ${what}`;
          plan.skip = `needs ${what} (role ${need.role}); ${plan.missing}`;
        } else {
          const takers = [...new Set(listed.map((n) => paidBy.get(key(n))).filter(Boolean))];
          plan.missing = `add one more notice to notices.${need.role} in ${profile.file} (${what})`;
          plan.skip = `needs a ${need.role} notice to pay, and the ${listed.length} listed under notices.${need.role} are paid by ${takers.join(', ')} in this run (each notice is paid at most once); ${plan.missing}`;
        }
        plan.bindings = {};
        break;
      }
      usedHere.add(key(chosen));
      plan.bindings[name] = {
        name,
        role: need.role,
        fiscalCode: chosen.fiscalCode,
        noticeNumber: chosen.noticeNumber,
        generated: chosen.generated,
        pays: need.pays,
      };
    }
    if (!plan.skip && !fresh) for (const b of Object.values(plan.bindings)) if (b.pays) paidBy.set(key(b), s.id);
  }
  const pays = PAYABLE_ROLES.filter((r) => needed.has(r)).map((role) => ({ role, needed: needed.get(role)!, listed: profile.notices[role].length }));
  return {
    profile,
    registry: derived.registry,
    stationCode: profile.station.idStation,
    mode: opts.mode,
    ...(opts.mode === 'target' ? { url: opts.url ?? profile.station.url } : {}),
    cases,
    pays,
  };
}

/** The plan of the self-test run: the suite against an in-process reference station, with the reference profile. */
export function referencePlan(scenarios: Scenario[]): StationRunPlan {
  const r = loadProfile(REFERENCE_PROFILE);
  if (!r.ok)
    throw new HarnessError(
      ERR.CONFIG,
      `Failed to load the reference station profile: ${r.issues.map((i) => `${i.source}:${i.line}:${i.col} ${i.message}`).join('; ')}`,
    );
  return planStationRun(r.profile, scenarios, { mode: 'reference' });
}

/** The notices a finished run paid (or may have paid), by scenario that ran. */
export function consumedNotices(plan: StationRunPlan, ran: ReadonlySet<string>): Array<{ scenario: string; binding: RoleBinding }> {
  const out: Array<{ scenario: string; binding: RoleBinding }> = [];
  for (const [id, c] of plan.cases) {
    if (!ran.has(id) || c.skip) continue;
    for (const b of Object.values(c.bindings)) if (b.pays) out.push({ scenario: id, binding: b });
  }
  return out;
}
