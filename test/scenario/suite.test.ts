/**
 * The conformance suite itself (issue 8): every scenario file under scenarios/ loads, ids are
 * unique, the catalogue is large enough, and the whole suite passes against the reference stations.
 */
import { expect } from 'chai';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { loadScenarios } from '../../src/scenario/load.ts';
import { defaultSuiteRun } from '../support/defaultSuite.ts';
import type { Scenario } from '../../src/scenario/model.ts';

describe('the scenario suite (issue 8)', function () {
  this.timeout(180_000);
  let scenarios: Scenario[] = [];

  before(async () => {
    const r = await loadScenarios([SCENARIOS_DIR]);
    expect(r.issues.filter((i) => i.severity === 'error').map((i) => `${i.source}:${i.line}:${i.col} ${i.message}`)).to.deep.equal([]);
    scenarios = r.files.flatMap((f) => f.scenarios);
  });

  it('has at least 150 scenarios with unique ids, each titled and tagged', () => {
    expect(scenarios.length).to.be.at.least(150);
    const ids = scenarios.map((s) => s.id);
    expect(new Set(ids).size).to.equal(ids.length);
    for (const s of scenarios) {
      expect(s.title, s.id).to.be.a('string').and.not.equal('');
      expect(s.tags.length, `${s.id} has no tags`).to.be.greaterThan(0);
    }
  });

  it('carries the onboarding test cases EC-PSP-01, EC-PSP-02 and EC-PSP-02M', () => {
    for (const tc of ['EC-PSP-01', 'EC-PSP-02', 'EC-PSP-02M']) {
      expect(scenarios.filter((s) => s.testCase === tc).length, tc).to.be.greaterThan(0);
    }
  });

  it('passes whole against the reference stations', async () => {
    const { ends, summary } = await defaultSuiteRun();
    const bad = ends.filter((e) => e.state !== 'passed').map((e) => `${e.id}: ${e.state}${e.reason ? ` (${e.reason})` : ''}`);
    expect(bad).to.deep.equal([]);
    expect(summary.counts.passed).to.equal(scenarios.length);
  });
});
