/**
 * Root-cause folding (issues 12.3, 13.2): a schema-invalid answer is the root cause; the checks
 * on the fields of the answer the PSP then got fold under it; so do later `${name...}` checks
 * of a failed named step. Each rule with a counter-case where it must not fold.
 */
import { expect } from 'chai';
import { fail, pass, type Check } from '../../src/scenario/expect.ts';
import { failuresInOrder, foldChecks } from '../../src/report/fold.ts';
import { ruleCheck } from '../../src/scenario/rules.ts';

const schemaBad = fail('paGetPaymentV2Response (nodo → station:77777777777_01) is schema-valid', {
  type: 'schema',
  path: 'paGetPaymentV2Response',
  expected: 'valid against the XSD',
  actual: "/…/data/paymentAmount (line 9:9): Element 'paymentAmount': …",
});
const outcome = fail('outcome is OK', {
  type: 'value',
  path: 'response.outcome',
  expected: 'OK',
  actual: 'KO (faultCode PPT_STAZIONE_INT_PA_ERRORE_RESPONSE)',
});
const field = (name: string, type: 'missing' | 'value' = 'missing') =>
  fail(`response ${name} is x`, { type, path: `response.${name}`, expected: 'x', actual: type === 'missing' ? '(absent)' : 'y' });
const stationCount = fail('the Nodo called stations 2 time(s)', { type: 'count', path: 'station calls', expected: '2', actual: '1' });
const capture = (ref: string) => fail(`\${${ref}} has a value`, { type: 'missing', path: `\${${ref}}`, expected: 'a captured value', actual: '(absent)' });
const causes = (steps: Check[][]) =>
  foldChecks(steps.map((checks, index) => ({ index, ...(index === 0 ? { name: 'act' } : {}), checks })))
    .flat()
    .map((c) => c.causedBy);

describe('report: root-cause folding of checks', () => {
  it('a schema-invalid station answer is the root of the failed checks on the PSP answer of its step, wherever it comes in the list', () => {
    expect(causes([[outcome, field('fiscalCodePA'), field('totalAmount', 'value'), pass('x'), schemaBad]])).to.deep.equal([4, 4, 4, undefined, undefined]);
  });

  it('checks that are not on the PSP answer (station call counts) stay root causes', () => {
    expect(causes([[outcome, stationCount, schemaBad]])).to.deep.equal([2, undefined, undefined]);
  });

  it('a schema check of a message declared invalid that turned out valid is not a root of anything', () => {
    const stated = fail('paGetPaymentV2Response (nodo → station:x) is schema-invalid, as stated', {
      type: 'schema',
      path: 'paGetPaymentV2Response',
      expected: 'schema-invalid',
      actual: 'valid',
    });
    expect(causes([[field('fiscalCodePA'), stated]])).to.deep.equal([undefined, undefined]);
  });

  it('without a schema root, a failed outcome is the root of the fields found absent, not of fields with another value', () => {
    expect(causes([[outcome, field('paymentToken'), field('totalAmount', 'value')]])).to.deep.equal([undefined, 0, undefined]);
  });

  it('without a schema root, a failed transport check (HTTP error, no answer in time) is the root of the checks judged on that answer', () => {
    const http = fail('HTTP-SOAP-ANSWER: the answer comes with HTTP 200 and text/xml', {
      type: 'transport',
      path: 'http',
      expected: 'HTTP 200, text/xml',
      actual: 'HTTP 500 (a response needs HTTP 200): KO PAA_PAGAMENTO_SCADUTO',
    });
    const ruleOnAnswer = fail('NOTICE-EXPIRED: paVerifyPaymentNotice is answered KO PAA_PAGAMENTO_SCADUTO', {
      type: 'value',
      path: 'response',
      expected: 'KO PAA_PAGAMENTO_SCADUTO',
      actual: 'HTTP 500 (a response needs HTTP 200): KO PAA_PAGAMENTO_SCADUTO',
    });
    const ruleElsewhere = fail('HEADER-IDPA: ...', { type: 'value', path: 'request', expected: 'KO', actual: 'OK' });
    expect(causes([[http, ruleOnAnswer, ruleElsewhere, stationCount]])).to.deep.equal([undefined, 0, undefined, undefined]);
    // A schema root comes first: the transport check (not on the answer's fields) stays a root of its own.
    expect(causes([[http, ruleOnAnswer, schemaBad]])).to.deep.equal([undefined, 2, undefined]);
    // A passed transport check is the root of nothing.
    expect(causes([[pass('HTTP-SOAP-ANSWER'), ruleOnAnswer]])).to.deep.equal([undefined, undefined]);
  });

  it('a passed outcome is the root of nothing', () => {
    expect(causes([[pass('outcome is OK'), field('paymentToken')]])).to.deep.equal([undefined, undefined]);
  });

  it('a later `${act...}` check folds under the root cause of the failed step named act (not under a knock-on)', () => {
    expect(causes([[outcome, schemaBad], [capture('act.paymentToken')]])).to.deep.equal([1, undefined, 1]);
  });

  it('a `${act...}` check whose step act passed stays a root cause; so does one naming another step', () => {
    expect(causes([[pass('outcome is OK')], [capture('act.paymentToken')]])).to.deep.equal([undefined, undefined]);
    expect(causes([[outcome], [capture('other.paymentToken')]])).to.deep.equal([undefined, undefined]);
  });

  it('a failed check of a rule with premises folds under the root of an earlier failed premise, in another step (STANDIN-PROBE-ENDS after STANDIN-PROBE)', () => {
    const probe = ruleCheck('STANDIN-PROBE', 'station x answers the stand-in probe positively', {
      type: 'value',
      path: 'probe:x',
      expected: 'positive',
      actual: 'negative: HTTP 404',
    });
    const ends = () =>
      ruleCheck('STANDIN-PROBE-ENDS', 'station x is not in stand-in', { type: 'state', path: 'standIn:x', expected: 'not in stand-in', actual: 'in stand-in' });
    expect(ends().premises).to.deep.equal(['STANDIN-PROBE']);
    expect(causes([[probe], [pass('advance')], [ends(), ends()]])).to.deep.equal([undefined, undefined, 0, 0]);
    // The premise itself folded under a late answer: the knock-on points at that root, never at a folded check.
    const late = ruleCheck('ANSWER-TIME', 'the probe is answered within 1000 ms', {
      type: 'transport',
      path: 'time',
      expected: 'an answer within 1000 ms',
      actual: 'no answer within 1000 ms',
    });
    const probeOnAnswer = ruleCheck('STANDIN-PROBE', 'probe positive', { type: 'value', path: 'probe:x', expected: 'positive', actual: 'negative: timeout' });
    expect(causes([[late, probeOnAnswer], [ends()]])).to.deep.equal([undefined, 0, 0]);
  });

  it('a rule with premises stays a root cause when its premise passed, failed later, or is absent; a rule without premises never folds that way', () => {
    const ends = ruleCheck('STANDIN-PROBE-ENDS', 'station x is not in stand-in', {
      type: 'state',
      path: 'standIn:x',
      expected: 'not in stand-in',
      actual: 'in stand-in',
    });
    const probeOk = ruleCheck('STANDIN-PROBE', 'probe positive', undefined);
    const probeBad = ruleCheck('STANDIN-PROBE', 'probe positive', { type: 'value', path: 'probe:x', expected: 'positive', actual: 'negative' });
    expect(causes([[probeOk], [ends]])).to.deep.equal([undefined, undefined]);
    expect(causes([[ends], [probeBad]])).to.deep.equal([undefined, undefined]);
    expect(causes([[ends]])).to.deep.equal([undefined]);
    const receipt = ruleCheck('STANDIN-RECEIPT', 'receipt answered OK', { type: 'value', path: 'notice n', expected: 'OK', actual: 'KO' });
    expect(receipt.premises).to.equal(undefined);
    expect(causes([[probeBad], [receipt]])).to.deep.equal([undefined, undefined]);
    // Only failed checks carry their premises (report.json stays lean).
    expect(ruleCheck('STANDIN-PROBE-ENDS', 'ok', undefined).premises).to.equal(undefined);
  });

  it('does not modify its input; failuresInOrder puts each root first with its folded checks after it', () => {
    const steps = [{ index: 0, checks: [outcome, field('fiscalCodePA'), stationCount, schemaBad] }];
    const folded = foldChecks(steps).flat();
    expect(outcome.causedBy).to.equal(undefined);
    expect(failuresInOrder(folded).map((c) => c.name)).to.deep.equal([stationCount.name, schemaBad.name, outcome.name, field('fiscalCodePA').name]);
  });
});
