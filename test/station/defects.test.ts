/**
 * The broken-station catalogue (src/station/defects.ts), table-driven:
 * - the catalogue itself: at least 15 defects, each named, described and caught by a rule;
 *   names parsed with "did you mean"; `station --defect list` / unknown name exit codes;
 * - every defect that the scenario suite can see: the scenarios the entry names FAIL when the
 *   reference stations of their world have that defect, with the rule (the entry's fragment) in a
 *   failing check, and PASS against the unbroken stations. So a scenario that stops checking what
 *   catches the defect turns this red, and so does a defect that stops breaking the station.
 * The proof against a station served as its own process, through the station suite, is
 * test/station/defectsProcess.test.ts.
 */
import { expect } from 'chai';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { RunEmitter, type CaseEnd } from '../../src/scenario/events.ts';
import type { Check } from '../../src/scenario/expect.ts';
import { loadScenarios } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/model.ts';
import { runScenarios, type RunOptions } from '../../src/scenario/run.ts';
import { closestDefects, DEFECTS, parseDefects } from '../../src/station/defects.ts';
import { runInProcess } from '../support/cli.ts';

interface Outcome {
  state: CaseEnd['state'];
  failed: Check[];
}

async function runEach(scenarios: Scenario[], opts: RunOptions): Promise<Map<string, Outcome>> {
  const emitter = new RunEmitter();
  const out = new Map<string, Outcome>();
  const failed = new Map<string, Check[]>();
  emitter.on('check', (e) => {
    if (!e.check.passed) failed.set(e.caseId, [...(failed.get(e.caseId) ?? []), e.check]);
  });
  emitter.on('case:end', (e) => out.set(e.id, { state: e.state, failed: failed.get(e.id) ?? [] }));
  await runScenarios(scenarios, emitter, { jobs: 4, ...opts });
  return out;
}

const text = (c: Check) => [c.name, c.mismatch?.expected, c.mismatch?.actual, c.mismatch?.hint].filter(Boolean).join(' | ');

describe('broken stations: the catalogue', () => {
  it('has at least 15 defects, each with a unique name, a description and the rules that catch it', () => {
    expect(DEFECTS.length).to.be.at.least(15);
    expect(new Set(DEFECTS.map((d) => d.name)).size).to.equal(DEFECTS.length);
    for (const d of DEFECTS) {
      expect(d.name, d.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(d.description.length, d.name).to.be.greaterThan(20);
      expect(d.rules.length, `${d.name} names no rule that catches it`).to.be.greaterThan(0);
    }
  });

  it('parses names and values, and says "did you mean" for an unknown one', () => {
    const ok = parseDefects(['stateless', 'slow=9s']);
    expect(ok.ok && [...ok.defects.entries()]).to.deep.equal([
      ['stateless', undefined],
      ['slow', '9s'],
    ]);
    const typo = parseDefects(['statless']);
    expect(typo.ok).to.equal(false);
    expect(!typo.ok && typo.message).to.equal(
      "Failed to switch on defect 'statless': no such broken station. Did you mean stateless? List them with --defect list.",
    );
    expect(closestDefects('idpa')).to.deep.equal(['ignores-idpa']);
    const value = parseDefects(['stateless=1']);
    expect(!value.ok && value.message).to.match(/takes no value/);
    const badSlow = parseDefects(['slow=soon']);
    expect(!badSlow.ok && badSlow.message).to.match(/^Failed to switch on defect 'slow': invalid duration 'soon'/);
  });

  it('station --defect list prints the catalogue (exit 0); an unknown defect exits 2 with "did you mean"', async () => {
    let printed = '';
    const orig = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      printed += chunk.toString();
      return true;
    }) as typeof process.stdout.write;
    let listed: { code: number };
    try {
      listed = await runInProcess(['station', '--defect', 'list']);
    } finally {
      process.stdout.write = orig;
    }
    expect(listed.code).to.equal(0);
    for (const d of DEFECTS) expect(printed).to.contain(d.name);
    const bad = await runInProcess(['station', '--positions', 'scenarios/fixtures/positions.default.yaml', '--defect', 'accepts-duplicate-receipts']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain("Failed to switch on defect 'accepts-duplicate-receipts': no such broken station. Did you mean accepts-duplicate-receipt?");
  });
});

describe('broken stations: the scenarios that catch them (reference stations with one defect, in process)', function () {
  this.timeout(120_000);
  let byId = new Map<string, Scenario>();
  const named = DEFECTS.filter((d) => d.scenarios.length > 0);

  before(async () => {
    const loaded = await loadScenarios([SCENARIOS_DIR]);
    byId = new Map(loaded.files.flatMap((f) => f.scenarios).map((s) => [s.id, s]));
  });

  const pick = (ids: string[]): Scenario[] =>
    ids.map((id) => {
      const s = byId.get(id);
      if (!s) throw new Error(`scenario ${id} named by the defect catalogue does not exist`);
      return s;
    });

  it('every named scenario passes against the unbroken reference stations', async () => {
    const ids = [...new Set(named.flatMap((d) => d.scenarios.map((x) => x.id)))];
    const r = await runEach(pick(ids), {});
    expect(ids.filter((id) => r.get(id)?.state !== 'passed')).to.deep.equal([]);
  });

  for (const d of named) {
    it(`${d.name}: ${d.scenarios.map((x) => x.id).join(', ')} fail with ${d.scenarios.map((x) => `'${x.check}'`).join(', ')}`, async () => {
      // slow: the Nodo's own timeout is shortened (the fallback of stations without one) so the proof takes a second, not 8.
      const opts: RunOptions =
        d.name === 'slow'
          ? { stationDefects: ['slow=1s'], nodo: { timeouts: { paVerifyPaymentNotice: 300, paGetPayment: 300 } } }
          : { stationDefects: [d.name] };
      const r = await runEach(pick(d.scenarios.map((x) => x.id)), opts);
      for (const { id, check } of d.scenarios) {
        const o = r.get(id)!;
        expect(o.state, `${id} passed against a station with defect ${d.name}`).to.equal('failed');
        expect(
          o.failed.map(text).some((t) => t.includes(check)),
          `${id}: no failed check mentions '${check}':\n${o.failed.map(text).join('\n')}`,
        ).to.equal(true);
      }
    });
  }
});
