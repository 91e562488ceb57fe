/**
 * The README demo, repeated: the reference station served as ONE long-lived process and the
 * scenarios whose verdict used to depend on background receipt delivery (issue 12:
 * outcome-v2-late-ok-token-scaduto failed 6 runs in 10, receipts-retry-recipients-independent 2
 * in 10) run against it several times in a row. Every run must pass whole. The full figure (every
 * scenario, 20 runs) comes from `npx tsx bench/longLivedStation.ts`.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { repeatAgainstLongLivedStation } from '../../bench/longLivedStation.ts';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { loadScenarios } from '../../src/scenario/load.ts';

describe('verdicts against one long-lived station process', function () {
  this.timeout(180_000);

  it('are the same run after run: the receipt scenarios pass 3 runs in a row', async () => {
    const loaded = await loadScenarios([join(SCENARIOS_DIR, 'outcome', 'outcome-v2.yaml'), join(SCENARIOS_DIR, 'receipts', 'retries.yaml')]);
    const scenarios = loaded.files.flatMap((f) => f.scenarios);
    for (const id of ['outcome-v2-late-ok-token-scaduto', 'receipts-retry-recipients-independent']) expect(scenarios.map((s) => s.id)).to.include(id);
    const runs = await repeatAgainstLongLivedStation(scenarios, 3);
    expect(runs.map((r) => r.bad)).to.deep.equal([[], [], []]);
    // Both affected scenarios really ran against the station process (they are not skipped).
    for (const r of runs) expect(r.passed).to.be.at.least(2);
    expect(runs.every((r) => r.passed === runs[0]!.passed)).to.equal(true);
  });
});
