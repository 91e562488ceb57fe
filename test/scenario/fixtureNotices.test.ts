/**
 * The published fixtures say which scenario uses each copied notice (`usedBy`): that note must be
 * true, and the copy that scenario's alone, or a run against your own station (run --station) finds
 * the notice already paid by another scenario.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { loadScenarios, type Scenario } from '../../src/scenario/index.ts';
import { usesSetupNotice } from '../../src/scenario/load.ts';
import { stepKinds, type StepKind } from '../../src/scenario/step.ts';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { loadRegistry, routeNotice, type Registry } from '../../src/nodo/index.ts';
import { loadPositionsFile } from '../../src/station/index.ts';
import type { CaseResult } from '../../src/report/index.ts';
import type { SendGateway } from '../../src/scenario/sendGateway.ts';
import { targetNotices, TargetLedger } from '../../src/scenario/targetData.ts';
import { skipReason } from '../../src/scenario/targetPolicy.ts';
import { defaultSuiteRun, type DefaultSuiteRun } from '../support/defaultSuite.ts';

type RawPosition = { noticeNumber?: unknown; usedBy?: string | string[] };

/** The notice numbers a scenario uses: its setup.notice when a step takes it (a suite's may not be), and those its steps name. */
function noticesOf(s: Scenario, kinds: Map<string, StepKind>): Set<string> {
  const out = new Set<string>();
  if (s.setup.notice?.noticeNumber && usesSetupNotice(s, kinds)) out.add(s.setup.notice.noticeNumber);
  const walk = (v: unknown): void => {
    if (typeof v === 'string' && /^\d{18}$/.test(v)) out.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const step of s.steps) walk(step.params);
  return out;
}

/** What is false in the `usedBy` notes of a positions document. */
function usedByProblems(file: string, positions: RawPosition[], scenarios: Scenario[], kinds: Map<string, StepKind>): string[] {
  const problems: string[] = [];
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const asked = new Map(scenarios.map((s) => [s.id, noticesOf(s, kinds)]));
  for (const p of positions) {
    if (p.usedBy === undefined) continue;
    const nn = String(p.noticeNumber);
    const claimed = [p.usedBy].flat();
    for (const id of claimed) {
      if (!byId.has(id)) problems.push(`${file}: ${nn} usedBy ${id}: no scenario has that id`);
      else if (!asked.get(id)!.has(nn)) problems.push(`${file}: ${nn} usedBy ${id}: that scenario never names it`);
    }
    const others = scenarios.filter((s) => !claimed.includes(s.id) && asked.get(s.id)!.has(nn)).map((s) => s.id);
    if (others.length) problems.push(`${file}: ${nn} usedBy ${claimed.join(', ')}: also used by ${others.join(', ')}`);
  }
  return problems;
}

describe('published fixtures: each usedBy note names the one scenario that uses the notice (issue 17 item 8)', () => {
  let scenarios: Scenario[];
  let kinds: Map<string, StepKind>;
  before(async function () {
    this.timeout(60_000);
    kinds = await stepKinds();
    const r = await loadScenarios([SCENARIOS_DIR]);
    expect(r.issues.filter((i) => i.severity === 'error')).to.deep.equal([]);
    scenarios = r.files.flatMap((f) => f.scenarios);
  });

  const fixture = (name: string) => (parse(readFileSync(join(SCENARIOS_DIR, 'fixtures', name), 'utf8')) as { positions: RawPosition[] }).positions;

  it('positions.default.yaml: every note is true', () => {
    const positions = fixture('positions.default.yaml');
    expect(positions.filter((p) => p.usedBy !== undefined).length).to.be.greaterThan(50);
    expect(usedByProblems('positions.default.yaml', positions, scenarios, kinds)).to.deep.equal([]);
  });

  it('a false note fails: a scenario that does not name the notice, an id that does not exist, a notice another scenario uses too', () => {
    const positions = fixture('positions.default.yaml').filter((p) => p.usedBy !== undefined);
    const [a, b, c] = positions;
    const tampered = [
      { ...a, usedBy: String(b!.usedBy) },
      { ...b, usedBy: 'no-such-scenario' },
      { ...c, usedBy: [c!.usedBy].flat().slice(1) },
    ];
    const problems = usedByProblems('tampered.yaml', tampered as RawPosition[], scenarios, kinds);
    expect(problems).to.include(`tampered.yaml: ${String(a!.noticeNumber)} usedBy ${String(b!.usedBy)}: that scenario never names it`);
    expect(problems).to.include(`tampered.yaml: ${String(b!.noticeNumber)} usedBy no-such-scenario: no scenario has that id`);
    expect(problems.some((p) => p.startsWith(`tampered.yaml: ${String(c!.noticeNumber)} usedBy : also used by ${String(c!.usedBy)}`))).to.equal(true);
  });
});

/**
 * Against your own station (run --station) paid stays paid: a notice one scenario paid on your station
 * makes every later scenario that needs it skip ("already paid by ...; reload"), and so never touch your
 * station. So a notice of the default fixture that a scenario pays on your station must be needed by no
 * other scenario that can run against that station. "Pays" is what happened in the run of the whole
 * suite against the reference stations: the station held the notice (it is its primary station) and
 * accepted a receipt for it. "Needs" and "can run" are the run's own rules (targetNotices,
 * skipReason, the ledger). Each station of the default registry is taken in turn as your station.
 */
function sharedPaidNotices(scenarios: Scenario[], cases: readonly CaseResult[], registry: Registry, held: Set<string>): string[] {
  const problems: string[] = [];
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  for (const st of registry.stations.filter((x) => x.endpoint === 'reference')) {
    const X = st.stationCode;
    const targets = { [X]: 'http://your-station.invalid/paForNode' };
    // As with --send-port: scenarios that need SEND's price API run too.
    const runnable = (s: Scenario) => !s.station && !skipReason(s, targets, {} as SendGateway) && !new TargetLedger().skipReason(s, targets);
    const needs = new Map<string, Set<string>>();
    for (const s of scenarios) if (runnable(s)) needs.set(s.id, new Set(targetNotices(s, targets).map((n) => `${n.fiscalCode}/${n.noticeNumber}`)));
    for (const c of cases) {
      if (!needs.has(c.id)) continue;
      const paid = new Set<string>();
      for (const e of c.exchanges) {
        if (e.party !== `station:${X}` || e.direction !== 'inbound' || !/^paSendRT/.test(e.operation) || e.outcome !== 'OK') continue;
        const k = `${String(e.meta['idPA'])}/${String(e.meta['noticeNumber'])}`;
        const r = routeNotice(byId.get(c.id)!.setup.registry, String(e.meta['idPA']), String(e.meta['noticeNumber']));
        if (held.has(k) && r.ok && r.route.station.stationCode === X) paid.add(k);
      }
      for (const k of paid) {
        const others = [...needs].filter(([id, ns]) => id !== c.id && ns.has(k)).map(([id]) => id);
        if (others.length) problems.push(`${k} on ${X}: paid by ${c.id}, also needed by ${others.join(', ')}`);
      }
    }
  }
  return problems;
}

describe('published fixtures: no two scenarios pay the same notice on your station (paid stays paid)', function () {
  this.timeout(180_000);
  let run: DefaultSuiteRun;
  let registry: Registry;
  let held: Set<string>;
  before(async () => {
    run = await defaultSuiteRun();
    const reg = loadRegistry(join(SCENARIOS_DIR, 'fixtures', 'registry.default.yaml'));
    const pos = loadPositionsFile(join(SCENARIOS_DIR, 'fixtures', 'positions.default.yaml'));
    if (!reg.ok || !pos.ok) throw new Error('Failed to load the default fixtures.');
    registry = reg.registry;
    held = new Set(pos.config.positions.map((p) => `${p.fiscalCode}/${p.noticeNumber}`));
  });

  it('each notice of positions.default.yaml a scenario pays on a station is needed by no other scenario that can run against it', () => {
    expect(run.ends.filter((e) => e.state !== 'passed').map((e) => e.id)).to.deep.equal([]);
    expect(sharedPaidNotices(run.scenarios, run.result.cases, registry, held)).to.deep.equal([]);
  });

  it('fails when a second scenario pays the same notice: the V1 station payment run twice', () => {
    const id = 'payment-v1-station-mono';
    const s = run.scenarios.find((x) => x.id === id);
    const c = run.result.cases.find((x) => x.id === id);
    if (!s || !c) throw new Error(`${id} not found`);
    const problems = sharedPaidNotices([...run.scenarios, { ...s, id: `${id}-again` }], [...run.result.cases, { ...c, id: `${id}-again` }], registry, held);
    const nn = String(s.setup.notice?.noticeNumber);
    expect(problems).to.deep.equal([
      `77777777777/${nn} on 77777777777_02: paid by ${id}, also needed by ${id}-again`,
      `77777777777/${nn} on 77777777777_02: paid by ${id}-again, also needed by ${id}`,
    ]);
  });
});
