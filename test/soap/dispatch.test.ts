/**
 * soap/dispatch.ts: a SOAP POST to a port's exact path is served on the direct node:http path
 * (no express router, no body-parser); every request that needs what only express does goes to
 * the app, answered as before. Real HTTP on loopback.
 */
import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { connect } from 'node:net';
import { startEndpoint, VERIFY_REQUEST, faultOf, post, type TestEndpoint } from './endpointSupport.ts';

describe('soap: SOAP ports served before the express app (dispatch)', () => {
  let ep: TestEndpoint;
  beforeEach(async () => {
    ep = await startEndpoint({ maxBytes: 64 * 1024 });
  });
  afterEach(() => ep.close());

  it('a POST to the exact path is answered, validated and journaled without going through express', async () => {
    const r = await post(ep.url, VERIFY_REQUEST, { SOAPAction: 'paVerifyPaymentNotice' });
    expect(r.status).to.equal(200);
    expect(r.contentType).to.equal('text/xml; charset=utf-8');
    expect(r.text).to.contain('<outcome>OK</outcome>');
    expect(ep.stats).to.deep.equal({ handled: 1, viaExpress: 0 });
    const [e] = ep.journal.list();
    expect(e).to.include({ operation: 'paVerifyPaymentNotice', httpStatus: 200, outcome: 'OK', url: '/stations/s1' });
    expect(e!.requestIssues).to.deep.equal([]);
    expect(e!.responseIssues).to.deep.equal([]);
  });

  it('a query string, a Content-Encoding or a chunked body go through express and are answered the same way', async () => {
    const q = await post(`${ep.url}?soapAction=paVerifyPaymentNotice`, VERIFY_REQUEST);
    expect(q.text).to.contain('<outcome>OK</outcome>');
    const gz = await fetch(ep.url, {
      method: 'POST',
      body: gzipSync(VERIFY_REQUEST),
      headers: { 'content-type': 'text/xml', 'content-encoding': 'gzip', soapaction: 'paVerifyPaymentNotice' },
    });
    expect(await gz.text()).to.contain('<outcome>OK</outcome>');
    const chunked = await fetch(ep.url, {
      method: 'POST',
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(VERIFY_REQUEST));
          c.close();
        },
      }),
      duplex: 'half',
      headers: { 'content-type': 'text/xml', soapaction: 'paVerifyPaymentNotice' },
    } as RequestInit);
    expect(await chunked.text()).to.contain('<outcome>OK</outcome>');
    expect(ep.stats).to.deep.equal({ handled: 3, viaExpress: 3 });
  });

  it('a body over the cap announced by Content-Length is left to express: 413 SOAP Fault, journaled', async () => {
    const r = await post(ep.url, `${VERIFY_REQUEST}${' '.repeat(70 * 1024)}`, { SOAPAction: 'paVerifyPaymentNotice' });
    expect(r.status).to.equal(413);
    expect(faultOf(r.text)?.faultstring).to.contain('exceeds the limit of 65536 bytes');
    expect(ep.stats.viaExpress).to.equal(1);
    expect(ep.journal.list()[0]!.notes[0]).to.contain('exceeds the limit');
  });

  it('a body cut off on the direct path is journaled with why, and the port keeps serving', async () => {
    const sock = connect(Number(new URL(ep.base).port), '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    const arrived = new Promise((r) => ep.server.once('request', r));
    sock.write(
      `POST /stations/s1 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: ${VERIFY_REQUEST.length}\r\n\r\n${VERIFY_REQUEST.slice(0, 100)}`,
    );
    await arrived; // the server has the request and part of its body: now the client goes
    sock.destroy();
    // Settled by the event, not a timer: the journal records the cut request when the server sees the close.
    await new Promise<void>((r) => (ep.journal.list().length ? r() : ep.journal.once('exchange', () => r())));
    const [e] = ep.journal.list();
    expect(e!.notes[0]).to.equal(
      'Failed to read the request body: the client closed the connection before the body was complete. Send the SOAP envelope as the plain body of the POST.',
    );
    expect(ep.stats).to.deep.equal({ handled: 0, viaExpress: 0 });
    const r = await post(ep.url, VERIFY_REQUEST, { SOAPAction: 'paVerifyPaymentNotice' });
    expect(r.text).to.contain('<outcome>OK</outcome>');
  });
});
