import { expect } from 'chai';
import { listenRaw, type Served } from '../support/loopback.ts';
import { NS } from '../../src/xml/schemas.ts';
import { faultOf, post, startEndpoint, VERIFY_REQUEST, type TestEndpoint } from './endpointSupport.ts';

const STACK = /\n\s+at |\.ts:\d+|node_modules/;

describe('soap: endpoint hardening over HTTP (createSoapEndpoint on a loopback port)', () => {
  let ep: TestEndpoint;
  let small: TestEndpoint;
  let canary: Served;
  let canaryHits = 0;
  before(async () => {
    ep = await startEndpoint();
    small = await startEndpoint({ maxBytes: 1024 });
    canary = await listenRaw((_req, res) => {
      canaryHits++;
      res.end('<!ENTITY leak "LEAKED">');
    });
  });
  after(async () => {
    await ep.close();
    await small.close();
    await canary.close();
  });

  /** POSTs, checks the HTTP status and SOAP 1.1 fault code, returns the faultstring. */
  async function expectFault(
    body: string,
    status: number,
    code: 'Client' | 'VersionMismatch',
    headers: Record<string, string> = {},
    url = ep.url,
  ): Promise<{ faultstring: string; text: string; ms: number }> {
    const r = await post(url, body, headers);
    expect(r.status, r.text).to.equal(status);
    expect(r.contentType).to.match(/^text\/xml/);
    const fault = faultOf(r.text);
    expect(fault, r.text).to.not.equal(undefined);
    expect(fault!.faultcode).to.equal(`soapenv:${code}`);
    expect(fault!.faultstring).to.not.match(STACK);
    return { faultstring: fault!.faultstring, text: r.text, ms: r.ms };
  }

  it('answers a valid request (the baseline the other cases break)', async () => {
    const r = await post(ep.url, VERIFY_REQUEST, { SOAPAction: '"paVerifyPaymentNotice"' });
    expect(r.status).to.equal(200);
    expect(r.text).to.include('<outcome>OK</outcome>');
  });

  it('XXE with a file:// entity: refused fast, no file content in the answer', async () => {
    const body = `<?xml version="1.0"?>\n<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n<soapenv:Envelope xmlns:soapenv="${NS.soap11}"><soapenv:Body><x>&xxe;</x></soapenv:Body></soapenv:Envelope>`;
    const r = await expectFault(body, 500, 'Client');
    expect(r.faultstring).to.equal(
      'DOCTYPE declarations are not allowed (no DTD, no entities: XXE and entity-expansion protection). Remove the <!DOCTYPE ...> declaration.',
    );
    expect(r.text).to.not.match(/root:|nologin|bin\/(ba)?sh/);
    expect(r.ms).to.be.lessThan(500);
  });

  it('XXE with an http:// entity and an external DTD: refused, the network is never touched', async () => {
    const entity = `<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "${canary.base}/entity"> ]>\n<foo>&xxe;</foo>`;
    const external = `<?xml version="1.0"?>\n<!DOCTYPE foo SYSTEM "${canary.base}/evil.dtd">\n<foo/>`;
    const parameter = `<!DOCTYPE foo [ <!ENTITY % p SYSTEM "${canary.base}/p"> %p; ]>\n<foo/>`;
    for (const body of [entity, external, parameter]) {
      const r = await expectFault(body, 500, 'Client');
      expect(r.faultstring).to.match(/^DOCTYPE declarations are not allowed/);
      expect(r.text).to.not.include('LEAKED');
    }
    expect(canaryHits).to.equal(0);
  });

  it('billion laughs: refused in well under a second', async () => {
    const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)].join('\n');
    const body = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${lol}\n]>\n<lolz>&lol9;</lolz>`;
    const r = await expectFault(body, 500, 'Client');
    expect(r.faultstring).to.match(/^DOCTYPE declarations are not allowed/);
    expect(r.ms).to.be.lessThan(500);
  });

  it('an ENTITY declaration without DOCTYPE is refused too', async () => {
    const r = await expectFault(`<!ENTITY x "y"><foo/>`, 500, 'Client');
    expect(r.faultstring).to.match(/^ENTITY declarations are not allowed/);
  });

  it('size cap: a body over the configured limit is refused with 413 and the limit named', async () => {
    const big = VERIFY_REQUEST.replace('<soapenv:Body>', `<soapenv:Header><pad>${'x'.repeat(2000)}</pad></soapenv:Header><soapenv:Body>`);
    const r = await expectFault(big, 413, 'Client', {}, small.url);
    expect(r.faultstring).to.equal('Request body exceeds the limit of 1024 bytes');
    expect(small.stats.handled).to.equal(0);
  });

  it('size cap: the default limit is 5 MB', async () => {
    const justOver = VERIFY_REQUEST.replace('<soapenv:Body>', `<soapenv:Header><pad>${'x'.repeat(5 * 1024 * 1024)}</pad></soapenv:Header><soapenv:Body>`);
    const r = await expectFault(justOver, 413, 'Client');
    expect(r.faultstring).to.equal(`Request body exceeds the limit of ${5 * 1024 * 1024} bytes`);
  });

  it('non-XML and empty bodies are Client faults that say so', async () => {
    expect((await expectFault('{"hello": "world"}', 500, 'Client')).faultstring).to.equal('Not XML: the message starts with "{\\"hello\\": \\"world\\"}"');
    expect((await expectFault('', 500, 'Client')).faultstring).to.equal('The message is empty: expected an XML document');
    expect(
      (await expectFault('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>', 500, 'Client')).faultstring,
    ).to.match(/^Malformed XML: /);
  });

  it('a wrong Content-Type is a Client fault naming it', async () => {
    const r = await expectFault(VERIFY_REQUEST, 500, 'Client', { 'Content-Type': 'application/json' });
    expect(r.faultstring).to.equal("Unsupported Content-Type 'application/json': SOAP 1.1 requires text/xml");
  });

  it('a SOAP 1.2 envelope is a VersionMismatch fault', async () => {
    const body = VERIFY_REQUEST.replaceAll(NS.soap11, NS.soap12);
    const r = await expectFault(body, 500, 'VersionMismatch');
    expect(r.faultstring).to.equal(`SOAP 1.2 envelope (${NS.soap12}) received on a SOAP 1.1 endpoint: send a SOAP 1.1 envelope in ${NS.soap11}`);
  });

  it('the SOAP 1.2 content type is a VersionMismatch fault, whatever the envelope', async () => {
    const r = await expectFault(VERIFY_REQUEST, 500, 'VersionMismatch', {
      'Content-Type': 'application/soap+xml; charset=utf-8; action="paVerifyPaymentNotice"',
    });
    expect(r.faultstring).to.equal('Content-Type application/soap+xml is SOAP 1.2: this endpoint speaks SOAP 1.1. Send text/xml with a SOAP 1.1 envelope');
  });

  it('an Envelope in no namespace is a VersionMismatch fault', async () => {
    const body = '<Envelope><Body><x/></Body></Envelope>';
    expect((await expectFault(body, 500, 'VersionMismatch')).faultstring).to.equal(`Envelope is in no namespace: a SOAP 1.1 Envelope must be in ${NS.soap11}`);
  });

  it('an empty Body, a missing Body and two Body children are Client faults', async () => {
    const env = (inner: string) => `<soapenv:Envelope xmlns:soapenv="${NS.soap11}">${inner}</soapenv:Envelope>`;
    expect((await expectFault(env('<soapenv:Body/>'), 500, 'Client')).faultstring).to.equal(
      'The SOAP Body is empty: expected exactly one pagoPA message element',
    );
    expect((await expectFault(env('<soapenv:Header/>'), 500, 'Client')).faultstring).to.equal(
      `The SOAP Envelope has no Body element: put the pagoPA message in <soapenv:Body> (${NS.soap11})`,
    );
    const two = VERIFY_REQUEST.replace('</soapenv:Body>', `<pafn:paSendRTReq xmlns:pafn="${NS.paForNode}"/></soapenv:Body>`);
    expect((await expectFault(two, 500, 'Client')).faultstring).to.equal(
      `The SOAP Body has 2 child elements (the second is {${NS.paForNode}}paSendRTReq): expected exactly one pagoPA message element`,
    );
  });

  it('never calls the handler for a refused message, and journals every refusal', async () => {
    const before = ep.journal.lastSeq;
    await expectFault('', 500, 'Client');
    const [last] = ep.journal.list({ since: before });
    expect(last!.faultCode).to.equal('soap:Client');
    expect(last!.httpStatus).to.equal(500);
    expect(last!.notes).to.deep.equal(['The message is empty: expected an XML document']);
  });
});
