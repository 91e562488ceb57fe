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
