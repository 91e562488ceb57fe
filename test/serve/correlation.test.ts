/**
 * Through the serve composition (demo world, offset clock), in process: every journal record
 * carries the correlation id of the PSP exchange that caused it (station calls, SEND price calls,
 * GPD, receipt deliveries and a retry run by a clock advance), each answer names its exchange in
 * X-Harness-Exchange, and a call that arrives with no id starts its own chain. The offset clock
 * moves token expiry and retries over the control API.
 */
import { expect } from 'chai';
import { startServe, type Served } from '../../src/serve/index.ts';
import { callSoap, type CallResult } from '../../src/soap/client.ts';
import { wrap } from '../../src/soap/envelope.ts';
import type { Exchange } from '../../src/soap/exchange.ts';
import { operationByName } from '../../src/soap/operations.ts';
import { NS } from '../../src/xml/schemas.ts';

const PSP = { idPSP: '88888888888', idBrokerPSP: '88888888888', idChannel: '88888888888_01', password: 'PLACEHOLDER' };
const DETAILS = { paymentMethod: 'creditCard', fee: '1.00', applicationDate: '2026-01-15', transferDate: '2026-01-16' };

describe('serve: correlation of the journal, offset clock', function () {
  this.timeout(30_000);
  let s: Served;
  const bugs: string[] = [];
  const psp = async (operation: string, fields: Record<string, unknown>): Promise<{ r: CallResult; id: string }> => {
    const op = operationByName(operation)!;
    const before = s.journal.lastSeq;
    const r = await callSoap({
      url: s.urls.nodeForPsp,
      soapAction: operation,
      envelope: wrap({ [`nfp:${op.request}`]: { '@_xmlns:nfp': NS.nodeForPsp, ...PSP, ...fields } }),
      timeoutMs: 60_000,
      expectResponse: op.response,
    });
    const origin = s.journal.list({ since: before, party: 'nodo', direction: 'inbound' }).find((e) => e.origin && e.operation === operation);
    if (!origin?.correlationId) throw new Error(`no origin record for ${operation}`);
    return { r, id: origin.correlationId };
  };
  const value = (r: CallResult) =>
    r.ok
      ? r.message.bodyChild.value
      : (() => {
          throw new Error(`${r.kind}: ${r.message}`);
        })();
  const chain = (id: string): Exchange[] => s.journal.list({ correlationId: id });
  const qr = (fiscalCode: string, noticeNumber: string) => ({ qrCode: { fiscalCode, noticeNumber } });

  beforeEach(async () => {
    const started = await startServe({ port: 0, onBug: (m) => bugs.push(m) });
    if (!started.ok) throw new Error(started.message);
    s = started.served;
  });
  afterEach(async () => {
    await s.stop();
    expect(bugs).to.deep.equal([]);
  });

  it('a verify: the PSP request, the Nodo’s call and the station’s record of it share one id; the answer names it', async () => {
    const op = operationByName('verifyPaymentNotice')!;
    const res = await fetch(s.urls.nodeForPsp, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: 'verifyPaymentNotice' },
      body: wrap({ [`nfp:${op.request}`]: { '@_xmlns:nfp': NS.nodeForPsp, ...PSP, ...qr('77777777777', '301000000000010151') } }),
    });
    expect(await res.text()).to.contain('<outcome>OK</outcome>');
    const id = res.headers.get('x-harness-exchange')!;
    expect(id).to.match(/^\d+$/);
    const records = chain(id).map((e) => `${e.party} ${e.direction} ${e.operation}${e.origin ? ' origin' : ''}`);
    expect(records).to.have.members([
      'nodo inbound verifyPaymentNotice origin',
      'nodo outbound paVerifyPaymentNotice',
      'station:77777777777_01 inbound paVerifyPaymentNotice',
    ]);
  });

  it('the SEND price call a SYNC station makes while answering, and the GPD port the Nodo calls, carry the PSP exchange’s id', async () => {
    const sync = await psp('verifyPaymentNotice', qr('77777777777', '301000000000010353'));
    expect(value(sync.r)['outcome']).to.equal('OK');
    const parties = chain(sync.id).map((e) => `${e.party} ${e.direction} ${e.operation}`);
    expect(parties).to.include.members(['station:77777777777_01 outbound sendPrice', 'send inbound retrieveNotificationPriceV23']);
    const gpd = await psp('verifyPaymentNotice', qr('55555555555', '301000000030016504'));
    expect(value(gpd.r)['outcome']).to.equal('OK');
    expect(chain(gpd.id).map((e) => `${e.party} ${e.direction}`)).to.include.members(['nodo outbound', 'gpd inbound']);
  });

  it('receipts and their retries (run by a clock advance) carry the outcome’s id; a direct station call starts its own chain', async () => {
    s.world.inject({ id: 'once', station: '99999999999_01', operation: 'paSendRTV2', times: 1, delayMs: 0, action: { kind: 'http500' } });
    const act = await psp('activatePaymentNoticeV2', {
      idempotencyKey: '88888888888_0000000042',
      ...qr('77777777777', '301000000000010151'),
      amount: '120.00',
    });
    const token = String(value(act.r)['paymentToken']);
    const out = await psp('sendPaymentOutcomeV2', { paymentTokens: { paymentToken: token }, outcome: 'OK', details: DETAILS });
    expect(value(out.r)['outcome']).to.equal('OK');
    await s.world.idle();
    const broadcast = () => s.world.nodo.receipts.receiptsOf(token).find((d) => d.idStation === '99999999999_01')!;
    expect(broadcast().state).to.equal('NOTICE_PENDING');
    await s.clock.advanceAndSettle(3_600_000);
    await s.world.idle();
    expect(broadcast().attempts.map((a) => a.result)).to.deep.equal(['failed', 'OK']);
    const receiptRecords = s.journal.list({ party: 'nodo', operation: 'paSendRTV2' });
    expect(receiptRecords).to.have.length(4); // primary, secondary, broadcast, broadcast retry
    for (const e of receiptRecords) expect(e.correlationId, `attempt ${e.meta['attempt']} to ${e.to}`).to.equal(out.id);
    expect(s.journal.list({ party: 'station:99999999999_01' }).map((e) => e.correlationId)).to.deep.equal([out.id, out.id]);
    expect(new Set([act.id, out.id]).size).to.equal(2);

    // Called directly (no id in the request), a station's record starts a chain of its own.
    const before = s.journal.lastSeq;
    const direct = await fetch(`${s.urls.base}/stations/77777777777_01`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: 'paVerifyPaymentNotice' },
      body: wrap({
        'pafn:paVerifyPaymentNoticeReq': {
          '@_xmlns:pafn': NS.paForNode,
          idPA: '77777777777',
          idBrokerPA: '77777777777',
          idStation: '77777777777_01',
          ...qr('77777777777', '301000000000010252'),
        },
      }),
    });
    await direct.text();
    const own = s.journal.list({ since: before });
    expect(own).to.have.length(1);
    expect(own[0]!.origin).to.equal(true);
    expect(own[0]!.correlationId).to.equal(direct.headers.get('x-harness-exchange'));
    expect([act.id, out.id]).to.not.include(own[0]!.correlationId);
  });

  it('the clock advances over the control API: a token activated before is expired 31 minutes later', async () => {
    const act = await psp('activatePaymentNoticeV2', { idempotencyKey: '88888888888_0000000043', ...qr('77777777777', '301000000000010252'), amount: '30.00' });
    const token = String(value(act.r)['paymentToken']);
    const before = s.clock.now().getTime();
    const adv = await fetch(`${s.urls.base}/_control/nodo/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: '31m' }),
    });
    expect(adv.status).to.equal(200);
    const now = Date.parse(((await adv.json()) as { now: string }).now);
    expect(now - before).to.be.at.least(31 * 60_000);
    const out = await psp('sendPaymentOutcomeV2', { paymentTokens: { paymentToken: token }, outcome: 'KO' });
    expect(value(out.r)['outcome']).to.equal('KO');
    expect((value(out.r)['fault'] as Record<string, string>)['faultCode']).to.equal('PPT_TOKEN_SCADUTO_KO');
  });
});
