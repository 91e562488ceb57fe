/**
 * Every expectation matcher of src/scenario/expect.ts, as a table: each row is a matcher, an
 * actual value (as xml/read.ts gives it: strings, `{}` for an empty element, arrays for repeated
 * ones, undefined when absent) and the verdict. Every matcher has rows that pass AND rows that
 * fail, so a matcher made always true (or always false) turns this test red.
 */
import { expect } from 'chai';
import { checkFields, describeMatcher, matches, type Matcher } from '../../src/scenario/expect.ts';

type Row = [label: string, matcher: Matcher, actual: unknown, passes: boolean];

const TABLE: Record<string, Row[]> = {
  'scalar equality (string, boolean)': [
    ['same text', 'OK', 'OK', true],
    ['other text', 'OK', 'KO', false],
    ['case matters', 'OK', 'ok', false],
    ['absent value', 'OK', undefined, false],
    ['a one-item list is its item', 'x', ['x'], true],
    ['a two-item list is not a scalar', 'x', ['x', 'x'], false],
    ['an empty element is the empty string', '', {}, true],
    ['an element with children is not a scalar', 'x', { a: 'x' }, false],
    ['boolean true matches "true"', true, 'true', true],
    ['boolean true does not match "false"', true, 'false', false],
  ],
  'scalar equality (numeric)': [
    ['100 matches 100.00', 100, '100.00', true],
    ['100 matches 100', 100, '100', true],
    ['100 does not match 100.01', 100, '100.01', false],
    ['0 does not match an empty element', 0, {}, false],
    ['0 does not match blanks', 0, '  ', false],
    ['1.5 matches 1.50', 1.5, '1.50', true],
    ['a number does not match text', 100, 'cento', false],
    ['a number does not match an absent value', 100, undefined, false],
  ],
  'null (absent)': [
    ['absent value', null, undefined, true],
    ['a value', null, 'x', false],
    ['an empty element is present', null, {}, false],
  ],
  absent: [
    ['absent value', { absent: true }, undefined, true],
    ['a value', { absent: true }, 'x', false],
    ['an empty element is present', { absent: true }, {}, false],
    ['an empty string is present', { absent: true }, '', false],
  ],
  present: [
    ['a value', { present: true }, 'x', true],
    ['an empty element', { present: true }, {}, true],
    ['a list', { present: true }, ['a', 'b'], true],
    ['absent value', { present: true }, undefined, false],
  ],
  matches: [
    ['regex matches', { matches: '^30[0-9]{16}$' }, '301000000000100121', true],
    ['regex does not match', { matches: '^30[0-9]{16}$' }, '3010', false],
    ['absent value', { matches: '.*' }, undefined, false],
    ['an element with children is no text', { matches: '.*' }, { a: 'x' }, false],
    ['an empty element is the empty string', { matches: '^$' }, {}, true],
  ],
  oneOf: [
    ['listed text', { oneOf: ['OK', 'KO'] }, 'KO', true],
    ['text not listed', { oneOf: ['OK', 'KO'] }, 'NO', false],
    ['listed number, numerically', { oneOf: [1, 2] }, '2.00', true],
    ['number not listed', { oneOf: [1, 2] }, '3', false],
    ['absent value', { oneOf: ['OK'] }, undefined, false],
    ['empty list matches nothing', { oneOf: [] }, 'OK', false],
  ],
  contains: [
    ['text contains', { contains: 'TARI' }, 'TARI 2026 rata unica', true],
    ['text does not contain', { contains: 'IMU' }, 'TARI 2026 rata unica', false],
    ['an element with children, as JSON', { contains: 'IT60X' }, { IBAN: 'IT60X0542811101000000123456' }, true],
    ['an element with children without it', { contains: 'IT99' }, { IBAN: 'IT60X0542811101000000123456' }, false],
    ['absent value', { contains: '' }, undefined, false],
  ],
  count: [
    ['two items', { count: 2 }, ['a', 'b'], true],
    ['one item when two are expected', { count: 2 }, ['a'], false],
    ['a single element counts 1', { count: 1 }, 'a', true],
    ['a single element is not 0', { count: 0 }, 'a', false],
    ['absent counts 0', { count: 0 }, undefined, true],
    ['absent is not 1', { count: 1 }, undefined, false],
  ],
};

describe('expectation matchers (table)', () => {
  for (const [matcher, rows] of Object.entries(TABLE)) {
    describe(matcher, () => {
      it('has rows that pass and rows that fail', () => {
        expect(rows.some((r) => r[3])).to.equal(true);
        expect(rows.some((r) => !r[3])).to.equal(true);
      });
      for (const [label, m, actual, passes] of rows) {
        it(`${passes ? 'passes' : 'fails'}: ${label} (${describeMatcher(m)})`, () => {
          expect(matches(m, actual)).to.equal(passes);
        });
      }
    });
  }

  it('reads fields by path and reports a failed matcher with path, expected and actual', () => {
    const answer = {
      outcome: 'OK',
      data: { paymentAmount: '100.00', transferList: { transfer: [{ IBAN: 'IT60X0542811101000000123456' }, { IBAN: 'IT12A0000000000000000000001' }] } },
    };
    const checks = checkFields(
      answer,
      {
        outcome: 'OK',
        'data.paymentAmount': 100,
        'data.transferList.transfer': { count: 2 },
        'data.transferList.transfer.1.IBAN': { matches: '^IT12' },
        'data.debtor': { absent: true },
        'data.transferList.transfer.0.IBAN': { oneOf: ['IT99'] },
        'data.description': { present: true },
      },
      'paGetPaymentV2Response',
      7,
    );
    expect(checks.map((c) => c.passed)).to.deep.equal([true, true, true, true, true, false, false]);
    expect(checks[5]).to.deep.include({ name: 'paGetPaymentV2Response data.transferList.transfer.0.IBAN is one of IT99', line: 7 });
    expect(checks[5]!.mismatch).to.deep.equal({
      type: 'value',
      path: 'paGetPaymentV2Response.data.transferList.transfer.0.IBAN',
      expected: 'one of IT99',
      actual: 'IT60X0542811101000000123456',
    });
    expect(checks[6]!.mismatch).to.include({ type: 'missing', expected: 'present', actual: '(absent)' });
  });
});
