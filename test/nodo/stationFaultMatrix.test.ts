/**
 * The station-fault matrix (issue 18): every way a station can fail at the transport and
 * message level, for verify (paVerifyPaymentNotice), activate V2 (paGetPaymentV2), activate
 * V1 (paGetPayment) and receipt delivery (paSendRTV2), through the mock Nodo over HTTP. The
 * station is a raw TCP server (test/support/rawStation.ts) in front of the reference
 * station. Each fault gives the PSP its exact PPT code within the timeout budget; a failed
 * receipt stays NOTICE_PENDING and is retried one hour later (src/nodo/receipts/README.md);
 * the Nodo still serves afterwards.
 *
 * No verdict depends on machine speed: the faults expecting TIMEOUT never complete (silence,
 * a drip that never ends) against a 300 ms station timeout; every other call (the other
 * faults, which answer at once, the healthy calls after each case and the receipt retries)
 * gets a 30 s station timeout, so a slow machine cannot turn it into a timeout.
 */
import { expect } from 'chai';
import type { FailureKind } from '../../src/soap/exchange.ts';
import type { Registry } from '../../src/nodo/registry.ts';
import { startRawStation, type FaultMode, type RawStation } from '../support/rawStation.ts';
import { activateReq, bodyOf, EC, notice, outcomeV2Req, position, PSP_V1, startWorld, verifyReq, type World } from './helpers.ts';

const S1 = '77777777777_01'; // primitive version 2: paGetPaymentV2, paSendRTV2
const S2 = '77777777777_02'; // primitive version 1: paGetPayment
const CITY = 'Città di Esempio';
const SHORT = 300;
const LONG = 30_000;
/** Nothing listens on port 1 of the loopback (a privileged port): the connection is refused. */
const REFUSING = 'http://127.0.0.1:1';
const HOUR = 3_600_000;

type Expected = { code: string; failure?: FailureKind } | { ok: true; finding?: { code: string; severity: string } };

const MATRIX: [FaultMode, Expected][] = [
  ['silent', { code: 'PPT_STAZIONE_INT_PA_TIMEOUT', failure: 'timeout' }],
  ['drip', { code: 'PPT_STAZIONE_INT_PA_TIMEOUT', failure: 'timeout' }],
  ['resetMidBody', { code: 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE', failure: 'bad-http' }],
  ['empty200', { code: 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE', failure: 'not-xml' }],
  ['html500', { code: 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE', failure: 'http-status' }],
  ['redirect302', { code: 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE', failure: 'http-status' }],
  ['json', { code: 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE', failure: 'not-xml' }],
  ['soap12', { code: 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE', failure: 'not-xml' }],
  ['wrongElement', { code: 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE', failure: 'schema-invalid' }],
  ['huge20MB', { code: 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE', failure: 'too-large' }],
  ['endless', { code: 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE', failure: 'too-large' }],
  ['headerFlood', { code: 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE', failure: 'bad-http' }],
  ['garbageStatus', { code: 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE', failure: 'bad-http' }],
  ['utf16', { ok: true }],
  ['latin1', { ok: true }],
  ['textHtml', { ok: true, finding: { code: 'ANSWER_CONTENT_TYPE', severity: 'warning' } }],
];

const isTimeout = (mode: FaultMode) => mode === 'silent' || mode === 'drip';

describe('nodo: station-fault matrix through the mock Nodo (raw TCP station)', function () {
  this.timeout(120_000);
  let w: World;
  let raw: RawStation;
  let base: Registry;
  let seq = 0;
  const notices = { v2: [] as string[], v1: [] as string[] };
  for (let i = 0; i < 40; i++) {
    notices.v2.push(notice(3, '01', 7000 + i));
    notices.v1.push(notice(3, '02', 7100 + i));
  }

  before(async () => {
    const positions = [...notices.v2, ...notices.v1].map((nn) => ({ ...position(EC, nn), companyName: CITY }));
    w = await startWorld({ positions, registry: (r) => (base = r) });
    raw = await startRawStation(async (r) => {
      const res = await fetch(`${w.base}${r.path}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: r.soapAction },
        body: new Uint8Array(r.body),
      });
      return { status: res.status, contentType: res.headers.get('content-type') ?? 'text/xml', body: Buffer.from(await res.arrayBuffer()) };
    });
    route(raw.base);
  });
  after(async () => {
    await w.nodo.receipts.whenIdle();
    await raw.close();
    await w.close();
  });

  /** The station timeout of S1 and S2, for every primitive. */
  function timeouts(t: number) {
    w.nodo.setRegistry({
      ...base,
      stations: base.stations.map((s) =>
        s.stationCode === S1 || s.stationCode === S2 ? { ...s, timeouts: { paVerifyPaymentNotice: t, paGetPayment: t, paSendRT: t } } : s,
      ),
    });
  }

  /** Breaks `operation` only, with the station timeout the mode needs; everything else passes. */
  function arm(operation: string, mode: FaultMode) {
    timeouts(isTimeout(mode) ? SHORT : LONG);
    raw.setMode((r) => (r.soapAction === operation ? mode : 'pass'));
  }

  /** Points S1 and S2 at `base` (the raw station, or a port that refuses). */
  function route(to: string) {
    w.nodo.options.stationUrls[S1] = `${to}/stations/${S1}`;
    w.nodo.options.stationUrls[S2] = `${to}/stations/${S2}`;
  }

  /** The Nodo's outbound exchange for `operation` since `since`. */
  const outbound = (operation: string, since: number) => w.journal.list({ party: 'nodo', direction: 'outbound', operation, since }).at(-1)!;

  /** After each case: the Nodo still serves a verify through a healthy station. */
  async function healthy() {
    route(raw.base);
    timeouts(LONG);
    raw.setMode(() => 'pass');
    const b = bodyOf(await w.psp('verifyPaymentNotice', verifyReq(EC, notices.v2[39]!), LONG + 5000));
    expect(b['outcome'], JSON.stringify(b['fault'])).to.equal('OK');
  }

  function judge(mode: FaultMode, expected: Expected, answer: Record<string, unknown>, operation: string, since: number) {
    const ex = outbound(operation, since);
    const notes = ex.notes.join(' | ');
    if ('ok' in expected) {
      expect(answer['outcome'], `${mode}: ${JSON.stringify(answer['fault'])} ${notes}`).to.equal('OK');
      if (expected.finding)
        expect(
          (ex.findings ?? []).map((f) => ({ code: f.code, severity: f.severity })),
          notes,
        ).to.deep.include(expected.finding);
      return;
    }
    const fault = answer['fault'] as Record<string, string>;
    expect(answer['outcome'], mode).to.equal('KO');
    expect(fault['faultCode'], `${mode}: ${fault['description']} | ${notes}`).to.equal(expected.code);
    expect(fault['id']).to.equal('NodoDeiPagamentiSPC');
    expect(ex.failure, `${mode}: ${notes}`).to.equal(expected.failure);
    expect(notes).to.contain(`PSP gets ${expected.code}`);
    expect(notes).to.not.match(/XML_DTD_FORBIDDEN|Remove the <!DOCTYPE/);
    // Issue 13 item 3: an answer that is not a SOAP message is classified as such (status and
    // Content-Type), never by an XML parser rule (an HTML page was XML_DTD_FORBIDDEN).
    if (mode === 'html500' || mode === 'json' || mode === 'empty200') {
      expect(
        ex.responseIssues.map((i) => i.code),
        mode,
      ).to.deep.equal(['ANSWER_NOT_SOAP']);
      expect(ex.responseIssues[0]!.message).to.match(/^HTTP (500|200) with Content-Type /);
    }
  }

  describe('verify: paVerifyPaymentNotice', () => {
    for (const [mode, expected] of MATRIX) {
      it(`${mode} → ${'ok' in expected ? 'OK' : expected.code}`, async () => {
        arm('paVerifyPaymentNotice', mode);
        const since = w.journal.lastSeq;
        const b = bodyOf(await w.psp('verifyPaymentNotice', verifyReq(EC, notices.v2[seq++ % 39]!), LONG + 5000));
        judge(mode, expected, b, 'paVerifyPaymentNotice', since);
        if ('ok' in expected) expect(b['companyName']).to.equal(CITY);
        await healthy();
      });
    }
  });

  describe('activate V2: paGetPaymentV2', () => {
    for (const [mode, expected] of MATRIX) {
      it(`${mode} → ${'ok' in expected ? 'OK' : expected.code}`, async () => {
        w.nodo.reset();
        arm('paGetPaymentV2', mode);
        const since = w.journal.lastSeq;
        const nn = notices.v2[seq++ % 39]!;
        const b = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, nn), LONG + 5000));
        judge(mode, expected, b, 'paGetPaymentV2', since);
        if ('ok' in expected) {
          expect(b['companyName']).to.equal(CITY);
          // The decoded name reaches the receipt too, never as "Citt\uFFFD".
          raw.setMode(() => 'pass');
          expect(bodyOf(await w.psp('sendPaymentOutcomeV2', outcomeV2Req([b['paymentToken'] as string], 'OK')))['outcome']).to.equal('OK');
          await w.nodo.receipts.whenIdle();
          const rt = w.journal.list({ party: 'nodo', direction: 'outbound', operation: 'paSendRTV2', since }).find((e) => e.to === `station:${S1}`)!;
          expect(rt.request).to.contain(`<companyName>${CITY}</companyName>`);
        } else {
          expect(b['paymentToken']).to.equal(undefined);
        }
        await healthy();
      });
    }
  });

  describe('activate V1: paGetPayment', () => {
    for (const [mode, expected] of MATRIX) {
      it(`${mode} → ${'ok' in expected ? 'OK' : expected.code}`, async () => {
        w.nodo.reset();
        arm('paGetPayment', mode);
        const since = w.journal.lastSeq;
        const b = bodyOf(await w.psp('activatePaymentNotice', activateReq(EC, notices.v1[seq++ % 39]!, { amount: '100.00' }, PSP_V1), LONG + 5000));
        judge(mode, expected, b, 'paGetPayment', since);
        await healthy();
      });
    }
  });

  describe('receipt delivery: paSendRTV2 (retried one hour later, as documented)', () => {
    for (const [mode, expected] of MATRIX) {
      it(`${mode} → ${'ok' in expected ? 'NOTIFIED' : `NOTICE_PENDING (${expected.failure}), then NOTIFIED on the retry`}`, async () => {
        w.nodo.reset();
        raw.setMode(() => 'pass');
        const token = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, notices.v2[seq++ % 39]!), LONG + 5000))['paymentToken'] as string;
        expect(token).to.be.a('string');
        arm('paSendRTV2', mode);
        expect(bodyOf(await w.psp('sendPaymentOutcomeV2', outcomeV2Req([token], 'OK')))['outcome']).to.equal('OK');
        await w.nodo.receipts.whenIdle();
        const mine = () => w.nodo.receipts.receiptsOf(token).find((d) => d.idStation === S1)!;
        if ('ok' in expected) {
          expect(mine().state, mine().lastError).to.equal('NOTIFIED');
          expect(mine().attempts).to.have.length(1);
        } else {
          expect(mine().state).to.equal('NOTICE_PENDING');
          expect(mine().attempts.map((a) => [a.result, a.failure])).to.deep.equal([['failed', expected.failure]]);
          raw.setMode(() => 'pass');
          timeouts(LONG);
          await w.clock.advanceAndSettle(HOUR);
          await w.nodo.receipts.whenIdle();
          expect(mine().state, mine().lastError).to.equal('NOTIFIED');
          // soap12 relays the real station's answer in the wrong envelope: the station did store
          // the receipt, so on the retry it answers the valid KO PAA_RECEIPT_DUPLICATA, which ends delivery.
          const retry = mode === 'soap12' ? ['KO', 'PAA_RECEIPT_DUPLICATA'] : ['OK', undefined];
          expect(mine().attempts.map((a) => [a.result, a.faultCode])).to.deep.equal([['failed', undefined], retry]);
        }
        await healthy();
      });
    }
  });

  it('refused (nothing listening) → PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE for verify and both activates', async () => {
    w.nodo.reset();
    timeouts(LONG);
    route(REFUSING);
    try {
      for (const [op, fields, operation] of [
        ['verifyPaymentNotice', verifyReq(EC, notices.v2[38]!), 'paVerifyPaymentNotice'],
        ['activatePaymentNoticeV2', activateReq(EC, notices.v2[38]!), 'paGetPaymentV2'],
        ['activatePaymentNotice', activateReq(EC, notices.v1[38]!, { amount: '100.00' }, PSP_V1), 'paGetPayment'],
      ] as const) {
        const since = w.journal.lastSeq;
        const f = bodyOf(await w.psp(op, fields, LONG + 5000))['fault'] as Record<string, string>;
        expect(f['faultCode'], op).to.equal('PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE');
        expect(outbound(operation, since).failure, op).to.equal('refused');
      }
    } finally {
      route(raw.base);
    }
    await healthy();
  });

  it('refused (nothing listening) → the receipt stays NOTICE_PENDING (refused), then NOTIFIED on the retry', async () => {
    w.nodo.reset();
    timeouts(LONG);
    raw.setMode(() => 'pass');
    const token = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, notices.v2[37]!), LONG + 5000))['paymentToken'] as string;
    expect(token).to.be.a('string');
    route(REFUSING);
    try {
      expect(bodyOf(await w.psp('sendPaymentOutcomeV2', outcomeV2Req([token], 'OK')))['outcome']).to.equal('OK');
      await w.nodo.receipts.whenIdle();
    } finally {
      route(raw.base);
    }
    const mine = () => w.nodo.receipts.receiptsOf(token).find((d) => d.idStation === S1)!;
    expect(mine().state).to.equal('NOTICE_PENDING');
    expect(mine().attempts.map((a) => [a.result, a.failure])).to.deep.equal([['failed', 'refused']]);
    await w.clock.advanceAndSettle(HOUR);
    await w.nodo.receipts.whenIdle();
    expect(mine().state, mine().lastError).to.equal('NOTIFIED');
    expect(mine().attempts.map((a) => a.result)).to.deep.equal(['failed', 'OK']);
    await healthy();
  });
});
