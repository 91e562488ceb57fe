import { expect } from 'chai';
import { ManualClock } from '../../src/clock.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { createSend, type Send } from '../../src/send/send.ts';
import { call, EC, notification, startApp, type Started } from './helpers.ts';

describe('send/price API GET /send/delivery/v2.3/price/{paTaxId}/{noticeCode} (docs/send.md §4.1)', () => {
  let app: Started;
  let send: Send;
  let clock: ManualClock;
  const price = (nav: string, cf = EC) => call('GET', `${app.baseUrl}/send/delivery/v2.3/price/${cf}/${nav}`);
  const submit = async (nav: string, mode: 'SYNC' | 'ASYNC' = 'SYNC') => {
    const r = await call(
      'POST',
      `${app.baseUrl}/send/delivery/v2.6/requests`,
      notification({ protocol: nav, mode, paFee: 100, vat: 22, recipients: [[{ nav, applyCost: true }]] }),
    );
    return r.body.notificationRequestId as string;
  };

  before(async () => {
    clock = new ManualClock('2026-03-01T10:00:00Z');
    // No GPD at all: ASYNC validations stay WAITING (used for NOT_ACCEPTED).
    send = createSend({ journal: new Journal(), clock, gpdBaseUrl: 'http://127.0.0.1:1/gpd', gpdTimeoutMs: 300 });
    app = await startApp(send.router);
  });
  after(async () => {
    send.close();
    await app.close();
  });
  beforeEach(() => send.reset());

  it('200 with the V2.3 body; the price follows the phases; refinement and view dates appear', async () => {
    const id = await submit('301000000000000001');
    await send.settle();
    const iun = send.request(id)!.iun!;
    const r = await price('301000000000000001');
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.equal({ iun, partialPrice: 100, totalPrice: 200, vat: 22, paFee: 100, sendFee: 100, analogCost: 0 });
    await send.advancePhase({ iun, phase: 'SEND_ANALOG_DOMICILE_ATTEMPT_0', analogCost: 969 });
    await send.advancePhase({ iun, phase: 'SEND_ANALOG_DOMICILE_ATTEMPT_1', analogCost: 963 });
    await send.advancePhase({ iun, phase: 'REFINEMENT' });
    await send.advancePhase({ iun, phase: 'NOTIFICATION_VIEWED' });
    const after = (await price('301000000000000001')).body;
    expect(after).to.include({
      partialPrice: 2032,
      totalPrice: 2557,
      analogCost: 1932,
      refinementDate: '2026-03-01T00:00:00.000Z',
      notificationViewDate: '2026-03-01T10:00:00.000Z',
    });
  });

  it('404 PN_DELIVERY_NOTIFICATIONCOSTNOTFOUND for a notice in no notification', async () => {
    const r = await price('301000000000000099');
    expect(r.status).to.equal(404);
    expect(r.contentType).to.match(/problem\+json/);
    expect(r.body.errors[0].code).to.equal('PN_DELIVERY_NOTIFICATIONCOSTNOTFOUND');
  });

  it('404 PN_DELIVERY_PUSH_NOTIFICATION_NOT_ACCEPTED while the notification is WAITING', async () => {
    await submit('301000000000000002', 'ASYNC');
    await send.settle();
    const r = await price('301000000000000002');
    expect(r.status).to.equal(404);
    expect(r.body.errors[0].code).to.equal('PN_DELIVERY_PUSH_NOTIFICATION_NOT_ACCEPTED');
  });

  it('404 PN_DELIVERY_NOTIFICATION_CANCELLED after cancellation (through the cancel API)', async () => {
    const id = await submit('301000000000000003');
    await send.settle();
    const cancel = await call('PUT', `${app.baseUrl}/send/delivery/v2.0/notifications/cancel/${send.request(id)!.iun}`);
    expect(cancel.status).to.equal(202);
    const r = await price('301000000000000003');
    expect(r.body.errors[0].code).to.equal('PN_DELIVERY_NOTIFICATION_CANCELLED');
    expect((await call('PUT', `${app.baseUrl}/send/delivery/v2.0/notifications/cancel/NOPE`)).status).to.equal(404);
  });

  it('400 for a malformed paTaxId or noticeCode', async () => {
    expect((await price('123')).status).to.equal(400);
    expect((await price('301000000000000001', '7777')).status).to.equal(400);
  });

  it('injected 500 (once, via the control API) then the real answer', async () => {
    await submit('301000000000000004');
    await send.settle();
    const inj = await call('POST', `${app.baseUrl}/_control/send/price-injections`, { status: 500, times: 1 });
    expect(inj.status).to.equal(201);
    expect((await price('301000000000000004')).status).to.equal(500);
    expect((await price('301000000000000004')).status).to.equal(200);
    expect((await call('POST', `${app.baseUrl}/_control/send/price-injections`, { status: 200 })).status).to.equal(400);
  });

  it('injected latency delays the answer (real time, for station timeouts)', async () => {
    await submit('301000000000000005');
    await send.settle();
    send.injectPrice({ latencyMs: 250, noticeCode: '301000000000000005' });
    const t0 = performance.now();
    const r = await price('301000000000000005');
    const ms = performance.now() - t0;
    expect(r.status).to.equal(200);
    expect(ms).to.be.greaterThanOrEqual(240);
    send.clearPriceInjections();
  });

  it('records every price call with its time, for "asked at verify and at activate" assertions', async () => {
    await price('301000000000000006');
    clock.advance(1000);
    await price('301000000000000006');
    const calls = send.priceCalls('301000000000000006');
    expect(calls.map((c) => [c.at, c.httpStatus])).to.deep.equal([
      ['2026-03-01T10:00:00.000Z', 404],
      ['2026-03-01T10:00:01.000Z', 404],
    ]);
    const viaControl = await call('GET', `${app.baseUrl}/_control/send/calls?operation=retrieveNotificationPriceV23&noticeNumber=301000000000000006`);
    expect(viaControl.body).to.have.length(2);
  });

  it('control API: advance a phase, list requests, reject a bad phase body', async () => {
    const id = await submit('301000000000000007');
    await call('POST', `${app.baseUrl}/_control/send/settle`);
    const iun = send.request(id)!.iun!;
    const ok = await call('POST', `${app.baseUrl}/_control/send/phase`, { iun, phase: 'SEND_SIMPLE_REGISTERED_LETTER', analogCost: 500 });
    expect(ok.status).to.equal(200);
    expect(ok.body.items[0].fee).to.equal(200 + 610);
    expect((await call('POST', `${app.baseUrl}/_control/send/phase`, { iun, phase: 'SEND_SIMPLE_REGISTERED_LETTER' })).status).to.equal(400);
    expect((await call('POST', `${app.baseUrl}/_control/send/phase`, { iun, phase: 'BOGUS' })).status).to.equal(400);
    expect((await call('POST', `${app.baseUrl}/_control/send/phase`, { iun, phase: 'SEND_SIMPLE_REGISTERED_LETTER', analogCost: -5 })).status).to.equal(400);
    const list = await call('GET', `${app.baseUrl}/_control/send/requests`);
    expect(list.body.map((r: { notificationRequestStatus: string }) => r.notificationRequestStatus)).to.deep.equal(['ACCEPTED']);
  });
});
