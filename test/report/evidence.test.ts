/**
 * Evidence files are named by what they hold (issue 13.4): SEND/GPD JSON bodies were saved as
 * .xml. And they are numbered in request order: a PSP call before the station call it caused.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { evidenceExtension, writeEvidence } from '../../src/report/evidence.ts';
import type { RunResult } from '../../src/report/model.ts';
import type { Exchange } from '../../src/soap/exchange.ts';

let seq = 0;
function ex(from: string, to: string, operation: string, request: string, response?: string): Exchange {
  return {
    seq: ++seq,
    at: '2026-01-01T00:00:00.000Z',
    party: from === 'psp' ? 'nodo' : from,
    direction: from === 'psp' ? 'inbound' : 'outbound',
    from,
    to,
    operation,
    request,
    ...(response !== undefined ? { response } : {}),
    requestIssues: [],
    responseIssues: [],
    durationMs: 1,
    notes: [],
    meta: {},
  };
}

describe('report: evidence files', () => {
  it('names a body by its content: SOAP .xml, REST .json, an HTML error page .html, anything else .txt', () => {
    expect(evidenceExtension('<?xml version="1.0"?><soapenv:Envelope/>')).to.equal('xml');
    expect(evidenceExtension('\uFEFF  <soapenv:Envelope/>')).to.equal('xml');
    expect(evidenceExtension('{"paProtocolNumber":"x"}')).to.equal('json');
    expect(evidenceExtension('[1,2]')).to.equal('json');
    expect(evidenceExtension('<!DOCTYPE html>\n<html><body>500</body></html>')).to.equal('html');
    expect(evidenceExtension('{not json')).to.equal('txt');
    expect(evidenceExtension('Internal Server Error')).to.equal('txt');
  });

  it('writes the calls in request order with the right extensions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-'));
    try {
      // Recorded order: the station call (answered first), then the PSP call it served, then a SEND call.
      const exchanges = [
        ex('nodo', 'station:77777777777_01', 'paVerifyPaymentNotice', '<soapenv:Envelope/>', '<!DOCTYPE html><html><body>500</body></html>'),
        ex('psp', 'nodo', 'verifyPaymentNotice', '<soapenv:Envelope/>', '<soapenv:Envelope>KO</soapenv:Envelope>'),
        ex('ec', 'send', 'sendNewNotification', '{"paProtocolNumber":"1"}', '{"notificationRequestId":"abc"}'),
      ];
      const run = { cases: [{ id: 'case-1', exchanges }] } as unknown as RunResult;
      expect(writeEvidence(run, dir)).to.equal(6);
      expect(readdirSync(join(dir, 'case-1')).sort()).to.deep.equal([
        '01-verifyPaymentNotice-request.xml',
        '01-verifyPaymentNotice-response.xml',
        '02-paVerifyPaymentNotice-request.xml',
        '02-paVerifyPaymentNotice-response.html',
        '03-sendNewNotification-request.json',
        '03-sendNewNotification-response.json',
      ]);
      expect(readFileSync(join(dir, 'case-1', '03-sendNewNotification-response.json'), 'utf8')).to.equal('{"notificationRequestId":"abc"}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
