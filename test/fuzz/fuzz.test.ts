/**
 * A short seeded fuzz run in the test suite (issue 18): a few structured mutations of a valid
 * request of every operation of the mock Nodo and the reference station, each judged by the
 * properties of test/fuzz/target.ts. fast-check shrinks a failure to the smallest spec that
 * still breaks a property and prints it with the seed, so it replays. `npm run fuzz` runs
 * 10,000+ per operation.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { specArb } from './mutator.ts';
import { FUZZ_OPERATIONS, startTarget, type Finding } from './target.ts';

const SEED = 20261128;
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 10);
/**
 * No answer-time budget here: a loaded CI machine must not turn a slow answer into a verdict.
 * A request unanswered for 60 s is still a finding (a hang); `npm run fuzz` holds answers to 2 s.
 */
const BUDGET_MS = null;

describe('fuzz: mutated requests of every operation, seeded (issue 18)', function () {
  this.timeout(300_000);
  for (const operation of FUZZ_OPERATIONS) {
    it(`${operation}: ${RUNS} mutated requests keep every property`, async () => {
      const target = await startTarget(operation, BUDGET_MS);
      try {
        await fc.assert(
          fc.asyncProperty(specArb, async (spec) => {
            const found: Finding[] = await target.run(spec);
            if (found.length) throw new Error(found.map((f) => `${f.property}: ${f.detail}`).join('\n'));
          }),
          { seed: SEED, numRuns: RUNS, endOnFailure: false },
        );
        expect(await target.serving()).to.deep.equal([]);
      } finally {
        await target.close();
      }
    });
  }
});
