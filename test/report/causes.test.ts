/**
 * Failures grouped by cause (issue 13.2): one cause per rule (or per expectation and actual value)
 * across scenarios, counted once per scenario; in the terminal each cause once, then where it
 * occurred, telling a rule broken again in the same scenario apart from checks folded under it.
 */
import { expect } from 'chai';
import { fail, type Check } from '../../src/scenario/expect.ts';
import { formatCauses, groupCauses } from '../../src/report/causes.ts';
import type { CaseResult } from '../../src/report/model.ts';

const rule = (id: string, actual: string, extra: Partial<Check> = {}): Check => ({
  ...fail(`${id}: the answer is right`, { type: 'value', path: 'http', expected: 'right', actual }),
  rule: id,
  ...extra,
});
const failed = (id: string, checks: Check[]) => ({ id, title: id, file: 'f.yaml', line: 3, state: 'failed', checks }) as unknown as CaseResult;

describe('report: failures grouped by cause', () => {
  it('one cause per rule across scenarios, most frequent first; a second root of the same rule in a scenario is "2 times", not a knock-on', () => {
    const cases = [
      failed('a', [
        rule('HTTP-SOAP-ANSWER', 'HTTP 500, text/html'),
        rule('HTTP-SOAP-ANSWER', 'HTTP 500, text/html'),
        rule('NOTICE-PAYABLE', 'x', { causedBy: 0 }),
      ]),
      failed('b', [rule('AMOUNT-SUM', '100.00')]),
      failed('c', [rule('HTTP-SOAP-ANSWER', 'HTTP 200, text/html')]),
    ];
    const groups = groupCauses({ cases });
    expect(groups.map((g) => [g.rule, g.occurrences.map((o) => `${o.caseId} again ${o.again} folded ${o.folded}`), g.variants])).to.deep.equal([
      ['HTTP-SOAP-ANSWER', ['a again 1 folded 1', 'c again 0 folded 0'], 2],
      ['AMOUNT-SUM', ['b again 0 folded 0'], 1],
    ]);
    const text = formatCauses(groups);
    expect(text).to.match(/^✗ Cause 1 of 2: 2 scenario\(s\) · rule HTTP-SOAP-ANSWER$/m);
    expect(text).to.contain('      a f.yaml:3 (2 times, +1 knock-on check(s) folded)\n      c f.yaml:3\n');
    expect(text).to.contain('(the check above is the first of 2 different ones under this rule');
  });

  it('without a rule, the expectation and the actual value make the cause (line numbers of schema issues left out)', () => {
    const schema = (line: number) =>
      fail('paGetPaymentV2Response (nodo → station:x) is schema-valid', {
        type: 'schema',
        path: 'paGetPaymentV2Response',
        expected: 'valid against the XSD',
        actual: `/data/paymentAmount (line ${line}:9): pattern`,
      });
    const groups = groupCauses({
      cases: [
        failed('a', [schema(9)]),
        failed('b', [schema(12)]),
        failed('c', [fail('outcome is KO', { type: 'value', path: 'response.outcome', expected: 'KO', actual: 'OK' })]),
      ],
    });
    expect(groups.map((g) => g.occurrences.map((o) => o.caseId).join(','))).to.deep.equal(['a,b', 'c']);
  });
});
