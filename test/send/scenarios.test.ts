/** The SEND scenarios of scenarios/send/ run through the scenario engine and pass. */
import { expect } from 'chai';
import { loadScenarios, formatLoadIssue } from '../../src/scenario/load.ts';
import { runScenarios } from '../../src/scenario/run.ts';
import { RunEmitter, type CaseEnd } from '../../src/scenario/events.ts';
import type { Check } from '../../src/scenario/expect.ts';

describe('send/scenarios (scenarios/send through the engine)', () => {
  it('load without issues and every scenario passes', async () => {
    const loaded = await loadScenarios(['scenarios/send']);
    expect(loaded.issues.map(formatLoadIssue)).to.deep.equal([]);
    const scenarios = loaded.files.flatMap((f) => f.scenarios);
    expect(scenarios.length).to.be.greaterThan(10);
    const emitter = new RunEmitter();
    const ends: CaseEnd[] = [];
    const failed: string[] = [];
    emitter.on('case:end', (e) => ends.push(e));
    emitter.on('check', (c: { caseId: string; check: Check }) => {
      if (!c.check.passed) failed.push(`${c.caseId}: ${c.check.name} — expected ${c.check.mismatch?.expected} got ${c.check.mismatch?.actual}`);
    });
    await runScenarios(scenarios, emitter, { jobs: 4, onBug: (m) => failed.push(`BUG ${m}`) });
    expect(failed).to.deep.equal([]);
    expect(ends.filter((e) => e.state !== 'passed').map((e) => `${e.id} ${e.state} ${e.reason ?? ''}`)).to.deep.equal([]);
  });
});
