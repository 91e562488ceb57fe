import { expect } from 'chai';
import { readSoapAction } from '../../src/soap/action.ts';
import { faultOf, post, startEndpoint, VERIFY_REQUEST, type TestEndpoint } from './endpointSupport.ts';

describe('soap: SOAPAction variants', () => {
  let ep: TestEndpoint;
  before(async () => {
    ep = await startEndpoint();
  });
  after(() => ep.close());

  const accepted: [string, Record<string, string>, string][] = [
    ['quoted', { SOAPAction: '"paVerifyPaymentNotice"' }, ''],
    ['unquoted', { SOAPAction: 'paVerifyPaymentNotice' }, ''],
    ['missing (routed by the Body element)', {}, ''],
    ['empty quotes (routed by the Body element)', { SOAPAction: '""' }, ''],
    ['as ?soapAction= query parameter', {}, '?soapAction=paVerifyPaymentNotice'],
    ['URI-prefixed', { SOAPAction: '"http://pagopa-api.pagopa.gov.it/paForNode/paVerifyPaymentNotice"' }, ''],
  ];
  for (const [name, headers, query] of accepted) {
    it(`accepts SOAPAction ${name}`, async () => {
      const before = ep.stats.handled;
      const r = await post(ep.url + query, VERIFY_REQUEST, headers);
      expect(r.status, r.text).to.equal(200);
      expect(r.text).to.include('<outcome>OK</outcome>');
      expect(ep.stats.handled).to.equal(before + 1);
    });
  }

  it('answers a Client fault when the SOAPAction names another operation than the Body', async () => {
    const before = ep.stats.handled;
    const r = await post(ep.url, VERIFY_REQUEST, { SOAPAction: '"paGetPayment"' });
    expect(r.status).to.equal(500);
    expect(faultOf(r.text)).to.deep.equal({
      faultcode: 'soapenv:Client',
      faultstring: "SOAPAction 'paGetPayment' does not match the Body element paVerifyPaymentNoticeReq (expected SOAPAction 'paVerifyPaymentNotice')",
    });
    expect(ep.stats.handled).to.equal(before);
  });

  it('the query parameter wins over the header', () => {
    expect(readSoapAction('"paGetPayment"', { soapAction: 'paSendRT' })).to.equal('paSendRT');
    expect(readSoapAction(["'paSendRTV2'"], {})).to.equal('paSendRTV2');
    expect(readSoapAction('urn:pagopa#paGetPaymentV2', undefined)).to.equal('paGetPaymentV2');
    expect(readSoapAction('  ', {})).to.equal(undefined);
  });
});
