/**
 * Issue 18 item 7: answers that break the contract, on the world app (Nodo, reference
 * stations, GPD, SEND and the schemas on one port) over real HTTP. Every reproducer of
 * the issue: no stack trace or absolute path in any answer, nothing copied unescaped into
 * XML, our own answers always well-formed, SOAP 1.1's 500-with-Fault for body errors,
 * 413 for control bodies over the limit, no X-Powered-By.
 */
import http from 'node:http';
import { expect } from 'chai';
import { loadRegistry } from '../../src/nodo/registry.ts';
import { unwrap } from '../../src/soap/envelope.ts';
import { OPERATIONS } from '../../src/soap/operations.ts';
import { emptyConfig } from '../../src/station/model.ts';
import { createWorld, type World } from '../../src/world.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { NS } from '../../src/xml/schemas.ts';
import { REGISTRY_FILE } from '../nodo/helpers.ts';

const LEAK = /\n\s+at |node_modules|\.ts:\d+|\/home\/|\/work\/|\/tmp\/|<pre>/;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A raw HTTP request (any Host header, any bytes in the path) to the world. */
function request(base: string, method: string, path: string, body = '', headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A minimal valid-looking request envelope of an operation (validity does not matter here). */
const envelopeOf = (ns: string, element: string) =>
  `<soapenv:Envelope xmlns:soapenv="${NS.soap11}"><soapenv:Body><x:${element} xmlns:x="${ns}"/></soapenv:Body></soapenv:Envelope>`;

describe('soap: answers keep the contract (issue 18 item 7, world app over HTTP)', () => {
  let w: World;
  const bugs: string[] = [];
  before(async () => {
    const reg = loadRegistry(REGISTRY_FILE);
    if (!reg.ok) throw new Error('default registry invalid');
    w = createWorld({ registry: reg.registry, positions: emptyConfig(), onBug: (m) => bugs.push(m) });
    await w.start();
  });
  after(async () => w.stop());

  it('a malformed percent-escape in any path is a 400 without stack trace or path, JSON or SOAP Fault', async () => {
    const cases: [string, string, string][] = [
      ['POST', '/stations/%ZZ', envelopeOf(NS.paForNode, 'paVerifyPaymentNoticeReq')],
      ['GET', '/stations/%ZZ?wsdl', ''],
      ['GET', '/_schemas/wsdl/xsd/%ZZ', ''],
      ['GET', '/_control/nodo/receipts/payments/%ZZ', ''],
      ['GET', '/_control/nodo/receipts/stations/%E0%A4%A', ''],
      ['GET', '/_control/stations/%ZZ/receipts', ''],
    ];
    for (const [method, path, body] of cases) {
      const r = await request(w.baseUrl, method, path, body, body ? { 'content-type': 'text/xml', soapaction: 'paVerifyPaymentNotice' } : {});
      const what = `${method} ${path}: ${r.status} ${r.text}`;
      expect(r.status, what).to.equal(body ? 500 : 400);
      expect(r.text, what).to.not.match(LEAK);
      expect(r.text, what).to.contain('malformed percent-escape');
      expect(r.headers['x-powered-by'], what).to.equal(undefined);
      if (body) expect(unwrap(r.text).ok, what).to.equal(true);
      else expect(() => JSON.parse(r.text), what).to.not.throw();
    }
  });

  it('a malformed percent-escape in a GPD or SEND path parameter is a 400 problem, not a 500 reported as our bug', async () => {
    bugs.length = 0;
    for (const [method, path] of [
      ['GET', '/gpd/organizations/%ZZ/debtpositions'],
      ['DELETE', '/gpd/organizations/77777777777/debtpositions/%ZZ'],
      ['GET', '/gpd/organizations/77777777777/paymentoptions/%ZZ'],
      ['GET', '/gpd/payments/%ZZ/receipts'],
      ['GET', '/send/delivery/%ZZ/requests'],
      ['PUT', '/send/delivery/v2.0/notifications/cancel/%ZZ'],
      ['GET', '/_control/send/costs/%ZZ'],
    ] as const) {
      const r = await request(w.baseUrl, method, path);
      const what = `${method} ${path}: ${r.status} ${r.text}`;
      expect(r.status, what).to.equal(400);
      expect(r.headers['content-type'], what).to.match(/^application\/(problem\+)?json/);
      expect(r.text, what).to.not.match(LEAK);
      const body = JSON.parse(r.text) as { detail?: string; error?: string };
      expect(body.detail ?? body.error, what).to.contain('malformed percent-escape');
    }
    expect(bugs).to.deep.equal([]);
  });

  it('a path no route serves is a 404 in JSON, or a SOAP Fault to a SOAP caller; never an HTML page', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/%ZZ'],
      ['DELETE', '/_schemas/x'],
      ['PUT', '/aca/v1/nope'],
    ]) {
      const r = await request(w.baseUrl, method!, path!);
      const what = `${method} ${path}: ${r.status} ${r.text}`;
      expect(r.status, what).to.be.oneOf([400, 404]);
      expect(r.headers['content-type'], what).to.match(/^application\/json/);
      expect(JSON.parse(r.text).error, what).to.match(/^Failed to /);
    }
    const soap = await request(w.baseUrl, 'POST', '/stations-typo/77777777777_01', envelopeOf(NS.paForNode, 'paVerifyPaymentNoticeReq'), {
      'content-type': 'text/xml',
      soapaction: 'paVerifyPaymentNotice',
    });
    expect(soap.status, soap.text).to.equal(404);
    const un = unwrap(soap.text);
    expect(un.ok && un.message.fault?.faultcode, soap.text).to.equal('soapenv:Client');
    expect(soap.text).to.contain('Failed to find POST /stations-typo/77777777777_01');
  });

  it('?soapAction=%01 / %00 / %EF%BF%BF is never copied raw into a Fault: every answer of every operation is well-formed', async () => {
    for (const action of ['%01', '%00', '%EF%BF%BF', '%ED%A0%80', '%3C%2Fx%3E%26']) {
      for (const op of OPERATIONS.filter((o) => o.iface === 'paForNode' || o.iface === 'nodeForPsp')) {
        const path = op.iface === 'nodeForPsp' ? '/nodo' : '/stations/77777777777_01';
        const r = await request(w.baseUrl, 'POST', `${path}?soapAction=${action}`, envelopeOf(op.ns, op.request), { 'content-type': 'text/xml' });
        const parsed = parseXml(r.text);
        expect(parsed.ok, `${op.name} ${action}: ${r.text}`).to.equal(true);
        if (parsed.ok) parsed.value.doc.dispose();
        expect(r.text).to.not.match(LEAK);
      }
    }
  });

  it('the Host header is never copied into the WSDL: a hostile one gives a well-formed WSDL on the address we were reached on', async () => {
    for (const host of ['evil"><x', "a'b", 'x&y', 'ok.example:8080']) {
      const r = await request(w.baseUrl, 'GET', '/nodo?wsdl', '', { host });
      expect(r.status).to.equal(200);
      const parsed = parseXml(r.text);
      expect(parsed.ok, r.text.slice(0, 300)).to.equal(true);
      if (parsed.ok) parsed.value.doc.dispose();
      const location = /<soap:address\s+location="([^"]*)"/.exec(r.text)?.[1];
      if (host === 'ok.example:8080') expect(location).to.equal('http://ok.example:8080/nodo');
      else expect(location).to.equal(`${w.baseUrl}/nodo`);
    }
  });

  it('a fault description is never cut in the middle of an emoji: our own answers stay valid (no PAA_SYSTEM_ERROR)', async () => {
    // The station's KO description (clipped to 1000 characters by the station, then by the Nodo relaying it) ends in emojis.
    for (const pad of [997, 998, 999]) {
      w.clearInjections();
      expect(
        w.stations.inject({ operation: 'paVerifyPaymentNotice', action: { fault: 'PAA_SEMANTICA', description: 'x'.repeat(pad) + '😀'.repeat(10) } }).ok,
      ).to.equal(true);
      const body = `<soapenv:Envelope xmlns:soapenv="${NS.soap11}"><soapenv:Body><nfp:verifyPaymentNoticeReq xmlns:nfp="${NS.nodeForPsp}"><idPSP>88888888888</idPSP><idBrokerPSP>88888888888</idBrokerPSP><idChannel>88888888888_01</idChannel><password>PLACEHOLDER</password><qrCode><fiscalCode>77777777777</fiscalCode><noticeNumber>301000000000100121</noticeNumber></qrCode></nfp:verifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>`;
      const r = await request(w.baseUrl, 'POST', '/nodo', body, { 'content-type': 'text/xml; charset=utf-8', soapaction: 'verifyPaymentNotice' });
      const un = unwrap(r.text);
      if (!un.ok) throw new Error(un.problem.message);
      expect(un.message.issues, r.text).to.deep.equal([]);
      const fault = un.message.bodyChild.value['fault'] as Record<string, string>;
      expect(fault['originalFaultCode'], `pad ${pad}: ${fault['description']?.slice(0, 80)}`).to.equal('PAA_SEMANTICA');
      expect(fault['description'], JSON.stringify(fault['description']?.slice(-10))).to.match(/^x+😀*…$/u);
      expect(r.text).to.not.match(/\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
      const bugs = w.journal
        .list()
        .flatMap((e) => e.notes)
        .filter((n) => n.startsWith('BUG'));
      expect(bugs).to.deep.equal([]);
    }
    w.clearInjections();
  });

  it('a body the parser cannot read is SOAP 1.1: HTTP 500 with a Client Fault, not 400', async () => {
    const r = await request(w.baseUrl, 'POST', '/nodo', 'not gzip at all', {
      'content-type': 'text/xml',
      'content-encoding': 'gzip',
      soapaction: 'verifyPaymentNotice',
    });
    expect(r.status, r.text).to.equal(500);
    const un = unwrap(r.text);
    expect(un.ok && un.message.fault?.faultcode).to.equal('soapenv:Client');
    expect(r.text).to.not.match(LEAK);
    const enc = await request(w.baseUrl, 'POST', '/nodo', 'x', {
      'content-type': 'text/xml',
      'content-encoding': 'compress',
      soapaction: 'verifyPaymentNotice',
    });
    expect(enc.status, enc.text).to.equal(500);
    expect(enc.text).to.contain('Content-Encoding is not supported');
  });

  it('control bodies over the limit are 413 (stations: 5 MB), not 400', async () => {
    const big = JSON.stringify({ positions: [{ pad: 'x'.repeat(5 * 1024 * 1024 + 10) }] });
    const r = await request(w.baseUrl, 'POST', '/_control/stations/positions', big, { 'content-type': 'application/json' });
    expect(r.status, r.text.slice(0, 200)).to.equal(413);
    expect(r.text).to.not.match(LEAK);
    const n = await request(w.baseUrl, 'PUT', '/_control/nodo/registry', JSON.stringify({ pad: 'x'.repeat(3 * 1024 * 1024) }), {
      'content-type': 'application/json',
    });
    expect(n.status, n.text.slice(0, 200)).to.equal(413);
  });

  it('no X-Powered-By on any answer', async () => {
    for (const [method, path] of [
      ['GET', '/nodo?wsdl'],
      ['GET', '/_control/nodo/journal'],
      ['GET', '/no/such/path'],
      ['POST', '/nodo'],
    ]) {
      const r = await request(w.baseUrl, method!, path!, '', { 'content-type': 'text/xml' });
      expect(r.headers['x-powered-by'], `${method} ${path}`).to.equal(undefined);
    }
  });
});
