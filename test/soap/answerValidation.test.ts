/**
 * Every answer a port sends is validated against the XSD on the hot path too: a handler that
 * builds a schema-invalid answer is our bug, caught with the schema error (path, line, col),
 * and the caller gets the port's system error instead. Real HTTP on loopback, direct path.
 */
import { expect } from 'chai';
import express from 'express';
import { ManualClock } from '../../src/clock.ts';
import { soapFirst } from '../../src/soap/dispatch.ts';
import { createSoapPort } from '../../src/soap/endpoint.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { NS } from '../../src/xml/schemas.ts';
import { listenRaw, post, type Served } from '../support/loopback.ts';
import { VERIFY_REQUEST } from './endpointSupport.ts';

describe('soap: our own answers are validated before they are sent', () => {
  let served: Served;
  const bugs: string[] = [];
  const journal = new Journal();
  before(async () => {
    const port = createSoapPort({
      iface: 'paForNode',
      journal,
      party: 'station:s1',
      caller: 'nodo',
      now: () => new ManualClock().now(),
      onBug: (m) => bugs.push(m),
      // outcome MAYBE is not a StOutcome: the answer is schema-invalid.
      handle: async () => ({
        kind: 'response',
        body: { 'pafn:paVerifyPaymentNoticeRes': { '@_xmlns:pafn': NS.paForNode, outcome: 'MAYBE', fiscalCodePA: '77777777777' } },
      }),
      systemError: () => ({
        'pafn:paVerifyPaymentNoticeRes': {
          '@_xmlns:pafn': NS.paForNode,
          outcome: 'KO',
          fault: { faultCode: 'PAA_SYSTEM_ERROR', faultString: 'system error', id: '77777777777' },
        },
      }),
    });
    const app = express();
    app.use('/s1', port.router);
    served = await listenRaw(soapFirst(app, [(p) => (p === '/s1' ? port : undefined)]));
  });
  after(() => served.close());

  it('a schema-invalid answer is replaced by the system error and reported as our bug with path, line and col', async () => {
    const r = await post(`${served.base}/s1`, VERIFY_REQUEST, { SOAPAction: 'paVerifyPaymentNotice' });
    expect(r.status).to.equal(200);
    expect(r.text).to.contain('<faultCode>PAA_SYSTEM_ERROR</faultCode>');
    expect(r.text).not.to.contain('MAYBE');
    const [e] = journal.list();
    const issue = e!.responseIssues[0]!;
    expect(issue).to.include({ code: 'XSD_INVALID', line: 6, col: 7 });
    expect(issue.path).to.match(/paVerifyPaymentNoticeRes\/outcome$/);
    expect(issue.message).to.contain('MAYBE');
    expect(e!.notes[0]).to.match(/^BUG: our paVerifyPaymentNoticeRes failed schema validation: .*outcome/);
    expect(bugs).to.have.length(1);
  });
});
