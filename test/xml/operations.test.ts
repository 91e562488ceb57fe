import { expect } from 'chai';
import { unwrap } from '../../src/soap/envelope.ts';
import { OPERATIONS } from '../../src/soap/operations.ts';
import { fixture, operationFixtures } from '../support/fixtures.ts';

const MODEL3 = [
  'paVerifyPaymentNotice',
  'paGetPayment',
  'paGetPaymentV2',
  'paSendRT',
  'paSendRTV2',
  'paDemandPaymentNotice',
  'verifyPaymentNotice',
  'verificaBollettino',
  'activatePaymentNotice',
  'activatePaymentNoticeV2',
  'sendPaymentOutcome',
  'sendPaymentOutcomeV2',
  'demandPaymentNotice',
];

describe('xml: the 13 model-3 operations (docs/primitives.md §1), valid and invalid messages', () => {
  const fixtures = operationFixtures();

  it('has a fixture folder for each of the 13 operations, naming the table elements', () => {
    expect(fixtures.map((f) => f.operation).sort()).to.deep.equal([...MODEL3].sort());
    for (const f of fixtures) {
      const op = OPERATIONS.find((o) => o.name === f.operation)!;
      expect([f.request, f.response]).to.deep.equal([op.request, op.response]);
    }
  });

  for (const f of fixtures) {
    for (const kind of ['request', 'response'] as const) {
      const element = f[kind];
      it(`${f.operation}: a valid ${element} has no issue`, () => {
        const r = unwrap(fixture(f.operation, `${kind}.xml`));
        if (!r.ok) throw new Error(r.problem.message);
        expect(r.message.bodyChild.local).to.equal(element);
        expect(r.message.issues).to.deep.equal([]);
      });
      const exp = f.invalid[kind];
      it(`${f.operation}: ${element} with ${exp.why} is reported at ${exp.line}:${exp.col}`, () => {
        const r = unwrap(fixture(f.operation, `${kind}-invalid.xml`));
        if (!r.ok) throw new Error(r.problem.message);
        expect(r.message.issues, 'issues').to.have.length.greaterThan(0);
        const first = r.message.issues[0]!;
        expect(first.message).to.include(exp.message);
        expect({ line: first.line, col: first.col }).to.deep.equal({ line: exp.line, col: exp.col });
        expect(first.source).to.equal(element);
        expect(first.code).to.equal('XSD_INVALID');
        if (exp.path) expect(first.path).to.equal(exp.path);
        else expect(first.path).to.match(new RegExp(`^/soapenv:Envelope/soapenv:Body/\\w+:${element}/`));
      });
    }
  }
});
