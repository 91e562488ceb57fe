import type { Socket } from 'node:net';
import { expect } from 'chai';
import { callSoap, type CallFailure, type CallOptions } from '../../src/soap/client.ts';
import { soapFaultEnvelope } from '../../src/soap/fault.ts';
import { wrap } from '../../src/soap/envelope.ts';
import { NS } from '../../src/xml/schemas.ts';
import { listenRaw, type Served } from '../support/loopback.ts';
import { fixture } from '../support/fixtures.ts';
import { VERIFY_REQUEST } from './endpointSupport.ts';

type Behaviour = (res: import('node:http').ServerResponse, socket: Socket) => void;

const VALID_RES = fixture('paVerifyPaymentNotice', 'response.xml');
const INVALID_RES = fixture('paVerifyPaymentNotice', 'response-invalid.xml');
const OTHER_RES = wrap(`<pafn:paSendRTRes xmlns:pafn="${NS.paForNode}"><outcome>OK</outcome></pafn:paSendRTRes>`);

describe('soap: client failure classification', () => {
  let peer: Served;
  let behaviour: Behaviour = (res) => res.end();
  before(async () => {
    peer = await listenRaw((req, res) => {
      req.resume();
      req.on('end', () => behaviour(res, req.socket));
    });
  });
  after(() => peer.close());

  const call = (b: Behaviour, extra: Partial<CallOptions> = {}) => {
    behaviour = b;
    return callSoap({
      url: `${peer.base}/station`,
      soapAction: 'paVerifyPaymentNotice',
      envelope: VERIFY_REQUEST,
      timeoutMs: 60_000,
      expectResponse: 'paVerifyPaymentNoticeRes',
      ...extra,
    }); // only the timeout test shortens it
  };
  const failed = (r: Awaited<ReturnType<typeof callSoap>>): CallFailure => {
    if (r.ok) throw new Error('expected a failure, got a success');
    return r;
  };
  const xml =
    (status: number, body: string): Behaviour =>
    (res) =>
      res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8' }).end(body);

  it('success: the parsed, validated response', async () => {
    const r = await call(xml(200, VALID_RES));
    if (!r.ok) throw new Error(r.message);
    expect(r.message.bodyChild.local).to.equal('paVerifyPaymentNoticeRes');
    expect(r.message.bodyChild.value['outcome']).to.equal('OK');
    expect(r.message.issues).to.deep.equal([]);
  });

  it('refused: nothing listens on the port', async () => {
    const gone = await listenRaw(() => undefined);
    await gone.close();
    const r = failed(await callSoap({ url: `${gone.base}/x`, soapAction: 'paVerifyPaymentNotice', envelope: VERIFY_REQUEST, timeoutMs: 60_000 }));
    expect(r.kind).to.equal('refused');
    expect(r.message).to.equal(`connection refused by ${new URL(gone.base).host}`);
  });

  it('reset: the server destroys the socket with a TCP RST', async () => {
    const r = failed(await call((_res, socket) => socket.resetAndDestroy()));
    expect(r.kind).to.equal('reset');
    expect(r.message).to.match(/^connection closed or reset by 127\.0\.0\.1:\d+ without an answer \(ECONNRESET\)$/);
  });

  it('reset: the server closes the connection without answering', async () => {
    const r = failed(await call((_res, socket) => socket.end()));
    expect(r.kind).to.equal('reset');
    expect(r.message).to.match(/without an answer/);
  });

  it('timeout: no answer within timeoutMs', async () => {
    const r = failed(await call(() => undefined, { timeoutMs: 200 }));
    expect(r.kind).to.equal('timeout');
    expect(r.message).to.equal('no complete answer within 200 ms');
    expect(r.durationMs, 'not before its time').to.be.at.least(190);
  });

  it('http-status: 500 with an HTML page', async () => {
    const r = failed(await call((res) => res.writeHead(500, { 'Content-Type': 'text/html' }).end('<html><body><h1>Internal Server Error</h1></body></html>')));
    expect(r.kind).to.equal('http-status');
    expect(r.status).to.equal(500);
    expect(r.message).to.equal(
      'HTTP 500 with Content-Type text/html: an HTML page, not a SOAP 1.1 message. The station must answer text/xml with a SOAP envelope: HTTP 200 with the response, or HTTP 500 with a SOAP Fault.',
    );
    expect(r.issues.map((i) => i.code)).to.deep.equal(['ANSWER_NOT_SOAP']);
  });

  it('not-xml: 200 with garbage', async () => {
    const r = failed(await call((res) => res.writeHead(200, { 'Content-Type': 'text/xml' }).end('OK, payment found')));
    expect(r.kind).to.equal('not-xml');
    expect(r.message).to.equal(
      'HTTP 200 with Content-Type text/xml: text starting with "OK, payment found", not a SOAP 1.1 message. The station must answer text/xml with a SOAP envelope: HTTP 200 with the response, or HTTP 500 with a SOAP Fault.',
    );
  });

  it('soap-fault: a SOAP Fault, with its code and string', async () => {
    const r = failed(await call(xml(500, soapFaultEnvelope('Client', 'Unmarshalling Error: unexpected element'))));
    expect(r.kind).to.equal('soap-fault');
    expect(r.fault).to.deep.equal({ faultcode: 'soapenv:Client', faultstring: 'Unmarshalling Error: unexpected element' });
  });

  it('schema-invalid: the response breaks the XSD, with the first issue located', async () => {
    const r = failed(await call(xml(200, INVALID_RES)));
    expect(r.kind).to.equal('schema-invalid');
    expect(r.message).to.equal(
      "paVerifyPaymentNoticeRes is not valid against the XSD: /soapenv:Envelope/soapenv:Body/pafn:paVerifyPaymentNoticeRes/fault (line 7:7): Element 'fault': Missing child element(s). Expected is ( id ).",
    );
    expect(r.issues).to.have.length(1);
  });

  it('schema-invalid: a valid message that is not the expected response element', async () => {
    const r = failed(await call(xml(200, OTHER_RES)));
    expect(r.kind).to.equal('schema-invalid');
    expect(r.message).to.equal(`expected paVerifyPaymentNoticeRes in the Body, got {${NS.paForNode}}paSendRTRes`);
    expect(r.issues.map((i) => i.code)).to.deep.equal(['XSD_WRONG_ELEMENT']);
  });

  it('bad-http: a garbage status line or a header flood means the station answered badly, not that it was unreachable', async () => {
    const garbage = failed(await call((_res, socket) => socket.end('HELLO THERE\r\n\r\n')));
    expect(garbage.kind).to.equal('bad-http');
    expect(garbage.message).to.equal('the station answered but its status line is not HTTP (expected "HTTP/1.1 <code> <reason>")');
    const flood = failed(
      await call((_res, socket) => socket.end(`HTTP/1.1 200 OK\r\n${Array.from({ length: 2000 }, (_, i) => `X-F${i}: ${'a'.repeat(50)}\r\n`).join('')}\r\n`)),
    );
    expect(flood.kind).to.equal('bad-http');
    expect(flood.message).to.equal('the station answered but its response headers are larger than the HTTP client accepts (header flood)');
  });

  it('bad-http: an answer cut off in the middle of its body', async () => {
    const r = failed(await call((_res, socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<soapenv:Envelope')));
    expect(r.kind).to.equal('bad-http');
    expect(r.message).to.match(/^HTTP 200 \(text\/xml\) answer cut off after 17 bytes of body/);
  });

  it('too-large: a body over maxBytes is not read further', async () => {
    const r = failed(await call((res) => res.writeHead(200, { 'Content-Type': 'text/xml' }).end(' '.repeat(4096)), { maxBytes: 1024 }));
    expect(r.kind).to.equal('too-large');
    expect(r.issues.map((i) => i.code)).to.deep.equal(['ANSWER_TOO_LARGE']);
  });

  it('an HTML error page with a DOCTYPE is an HTML page with its status and title, not an XML DOCTYPE error (issue 13 item 3)', async () => {
    const r = failed(
      await call((res) =>
        res
          .writeHead(500, { 'Content-Type': 'text/html;charset=utf-8' })
          .end('<!DOCTYPE html><html><head><title>Apache Tomcat - Error report</title></head></html>'),
      ),
    );
    expect(r.kind).to.equal('http-status');
    expect(r.message).to.match(/^HTTP 500 with Content-Type text\/html;charset=utf-8: an HTML page \("Apache Tomcat - Error report"\), not a SOAP 1.1 message/);
    expect(r.issues.map((i) => i.code)).to.deep.equal(['ANSWER_NOT_SOAP']);
  });

  it('a valid answer with Content-Type text/html is accepted with a warning', async () => {
    const r = await call((res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(VALID_RES));
    if (!r.ok) throw new Error(r.message);
    expect(r.warnings).to.deep.equal([
      {
        code: 'ANSWER_CONTENT_TYPE',
        severity: 'warning',
        message: 'the answer has Content-Type text/html; SOAP 1.1 answers are text/xml (accepted, as the message itself is valid)',
      },
    ]);
  });
});
