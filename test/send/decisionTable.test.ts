/**
 * Every row of docs/send.md §5 end to end at the SEND/GPD level: real HTTP between the SEND
 * emulator and the GPD emulator on one loopback server, a ManualClock for the retries.
 */
import { expect } from 'chai';
import express from 'express';
import { ManualClock } from '../../src/clock.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { createGpd, type Gpd } from '../../src/gpd/gpd.ts';
import { createSend, type Send } from '../../src/send/send.ts';
import type { ActualMode } from '../../src/send/sendModel.ts';
import { call, EC, notification, position, startApp, type Pay, type Started } from './helpers.ts';

describe('send/decision table of docs/send.md §5 (SEND ↔ GPD over HTTP)', () => {
  let app: Started;
  let down: Started;
  let gpd: Gpd;
  let send: Send;
  let journal: Journal;
  let clock: ManualClock;
  const where = new Map<string, ActualMode>();

  let n = 0;
  /** A fresh IUV/nav pair; `inGpd` creates and publishes its position in GPD. */
  function notice(inGpd: boolean): string {
    n += 1;
    const iuv = `020000000000${String(n).padStart(5, '0')}`;
    if (inGpd) expect(gpd.createPosition(EC, position(`POS-${n}`, iuv)).ok).to.equal(true);
    where.set(`3${iuv}`, inGpd ? 'gpd' : 'station');
    return `3${iuv}`;
  }

  async function submit(mode: 'NONE' | 'SYNC' | 'ASYNC' | undefined, pays: Pay[][], policy: 'DELIVERY_MODE' | 'FLAT_RATE' = 'DELIVERY_MODE') {
    const r = await call(
      'POST',
      `${app.baseUrl}/send/delivery/v2.6/requests`,
      notification({ protocol: `prot-${n}-${Math.random()}`, mode, policy, paFee: 100, vat: 22, recipients: pays }),
    );
    expect(r.status, JSON.stringify(r.body)).to.equal(202);
    await send.settle();
    return r.body.notificationRequestId as string;
  }

  async function status(id: string) {
    const r = await call('GET', `${app.baseUrl}/send/delivery/v2.6/requests?notificationRequestId=${encodeURIComponent(id)}`);
    expect(r.status).to.equal(200);
    return r.body;
  }

  const gpdFee = (nav: string) => gpd.store.findOption(EC, nav)!.option;
  const feePuts = (nav: string) => journal.list({ party: 'send', operation: 'setNotificationFee', meta: { noticeNumber: nav } });

  before(async () => {
    journal = new Journal();
    clock = new ManualClock('2026-03-01T10:00:00Z');
    gpd = createGpd({ journal, clock });
    send = createSend({ journal, clock, routing: (_cf, nav) => where.get(nav) });
    app = await startApp(gpd.router, send.router);
    send.setGpdBaseUrl(`${app.baseUrl}/gpd`);
    const failing = express();
    failing.use((_req, res) => void res.status(503).json({ title: 'Service Unavailable' }));
    down = await startApp(failing as unknown as express.Router);
  });
  after(async () => {
    send.close();
    await app.close();
    await down.close();
  });
  afterEach(() => send.setGpdBaseUrl(`${app.baseUrl}/gpd`));

  it('row 1: ASYNC + notice in GPD → ACCEPTED, fee paFee+100 written, kept current, reset to 0 on cancellation', async () => {
    const nav = notice(true);
    const id = await submit('ASYNC', [[{ nav, applyCost: true }]]);
    const st = await status(id);
    expect(st.notificationRequestStatus).to.equal('ACCEPTED');
    expect(st.iun).to.be.a('string');
    expect(feePuts(nav).map((e) => [e.meta['phase'], e.httpStatus])).to.deep.equal([['VALIDATION', 200]]);
    expect(gpdFee(nav)).to.include({ notificationFee: 200, amount: 10200 });

    await send.advancePhase({ iun: st.iun, phase: 'SEND_ANALOG_DOMICILE_ATTEMPT_0', analogCost: 969 });
    await send.advancePhase({ iun: st.iun, phase: 'SEND_ANALOG_DOMICILE_ATTEMPT_1', analogCost: 963 });
    expect(gpdFee(nav)).to.include({ notificationFee: 2557, amount: 12557 });
    expect(gpdFee(nav).transfer[0]!.amount).to.equal(8000 + 2557);
    expect(send.price(EC, nav)).to.deep.include({ ok: true });

    const cancel = await call('PUT', `${app.baseUrl}/send/delivery/v2.0/notifications/cancel/${st.iun}`);
    expect(cancel.status).to.equal(202);
    expect(gpdFee(nav)).to.include({ notificationFee: 0, amount: 10000 });
    expect(feePuts(nav).map((e) => e.meta['phase'])).to.deep.equal([
      'VALIDATION',
      'SEND_ANALOG_DOMICILE_ATTEMPT_0',
      'SEND_ANALOG_DOMICILE_ATTEMPT_1',
      'NOTIFICATION_CANCELLED',
    ]);
  });

  it('row 1 (209): ASYNC while a payment is in progress → still ACCEPTED', async () => {
    const nav = notice(true);
    gpd.store.setPaymentInProgress(EC, nav, true);
    const st = await status(await submit('ASYNC', [[{ nav, applyCost: true }]]));
    expect(st.notificationRequestStatus).to.equal('ACCEPTED');
    expect(feePuts(nav)[0]!.outcome).to.equal('OK_IN_PAYMENT');
  });

  it('row 2: ASYNC + sync notice (not in GPD) → REFUSED PAYMENT_NOT_VALID, no iun, nothing written', async () => {
    const nav = notice(false);
    const st = await status(await submit('ASYNC', [[{ nav, applyCost: true }]]));
    expect(st.notificationRequestStatus).to.equal('REFUSED');
    expect(st.iun).to.equal(undefined);
    expect(st.errors).to.deep.equal([{ code: 'PAYMENT_NOT_VALID', detail: `Payment information is not valid - creditorTaxId=${EC} noticeCode=${nav}` }]);
    expect(feePuts(nav).map((e) => [e.meta['phase'], e.httpStatus])).to.deep.equal([
      ['VALIDATION', 404],
      ['REQUEST_REFUSED', 404],
    ]);
    const price = await call('GET', `${app.baseUrl}/send/delivery/v2.3/price/${EC}/${nav}`);
    expect(price.body.title).to.equal('PN_DELIVERY_NOTIFICATIONCOSTNOTFOUND');
  });

  it('row 2b: ASYNC + notice already paid in GPD (422) → REFUSED; and one without primary transfer', async () => {
    const paid = notice(true);
    gpd.store.markPaid(EC, paid, { receiptId: 'r', version: 'V2' });
    const st = await status(await submit('ASYNC', [[{ nav: paid, applyCost: true }]]));
    expect(st.notificationRequestStatus).to.equal('REFUSED');
    expect(st.errors[0].code).to.equal('PAYMENT_NOT_VALID');
    expect(feePuts(paid)[0]!.httpStatus).to.equal(422);

    n += 1;
    const iuv = `020000000000${String(n).padStart(5, '0')}`;
    const p = position(`POS-${n}`, iuv);
    p.paymentOption[0]!.transfer = [
      {
        idTransfer: '1',
        amount: 10000,
        organizationFiscalCode: '11111111111',
        remittanceInformation: 'x',
        category: '0101101IM',
        iban: 'IT60X0542811101000000654321',
      },
    ];
    gpd.createPosition(EC, p);
    const st2 = await status(await submit('ASYNC', [[{ nav: `3${iuv}`, applyCost: true }]]));
    expect(st2.notificationRequestStatus).to.equal('REFUSED');
  });

  it('row 2b: a REFUSED notification resets the fees it wrote to 0 (another notice was OK)', async () => {
    const good = notice(true);
    const bad = notice(false);
    const st = await status(
      await submit('ASYNC', [
        [
          { nav: good, applyCost: true },
          { nav: bad, applyCost: true },
        ],
      ]),
    );
    expect(st.notificationRequestStatus).to.equal('REFUSED');
    expect(feePuts(good).map((e) => [e.meta['phase'], e.request])).to.deep.equal([
      ['VALIDATION', '{"notificationFee":200}'],
      ['REQUEST_REFUSED', '{"notificationFee":0}'],
    ]);
    expect(gpdFee(good)).to.include({ notificationFee: 0, amount: 10000 });
  });

  it('row 2c: ASYNC, a sync notice with applyCost=false is never checked → ACCEPTED, with a mixed-mode warning', async () => {
    const inGpd = notice(true);
    const sync = notice(false);
    const st = await status(
      await submit('ASYNC', [
        [
          { nav: inGpd, applyCost: true },
          { nav: sync, applyCost: false },
        ],
      ]),
    );
    expect(st.notificationRequestStatus).to.equal('ACCEPTED');
    expect(feePuts(sync)).to.have.length(0);
    expect(st.harnessFindings.map((f: { code: string; noticeCode: string }) => [f.code, f.noticeCode])).to.deep.equal([['MIXED_INTEGRATION_MODE', sync]]);
  });

  it('row 3: ASYNC + GPD 5xx → WAITING, retried at 10s, 1m, ... on the clock; ACCEPTED once GPD answers', async () => {
    const nav = notice(true);
    send.setGpdBaseUrl(`${down.baseUrl}/gpd`);
    const id = await submit('ASYNC', [[{ nav, applyCost: true }]]);
    expect((await status(id)).notificationRequestStatus).to.equal('WAITING');
    expect(send.request(id)!.attempts).to.equal(1);
    await clock.advanceAndSettle(9_000);
    expect(send.request(id)!.attempts).to.equal(1);
    await clock.advanceAndSettle(1_000);
    expect(send.request(id)!.attempts).to.equal(2);
    await clock.advanceAndSettle(60_000);
    expect(send.request(id)!.attempts).to.equal(3);
    expect((await status(id)).notificationRequestStatus).to.equal('WAITING');
    expect(feePuts(nav).every((e) => e.outcome === 'KO_RETRY' && e.httpStatus === 503)).to.equal(true);
    const price = await call('GET', `${app.baseUrl}/send/delivery/v2.3/price/${EC}/${nav}`);
    expect(price.body.title).to.equal('PN_DELIVERY_PUSH_NOTIFICATION_NOT_ACCEPTED');
    send.setGpdBaseUrl(`${app.baseUrl}/gpd`);
    await clock.advanceAndSettle(60_000);
    expect((await status(id)).notificationRequestStatus).to.equal('ACCEPTED');
    expect(gpdFee(nav).notificationFee).to.equal(200);
  });

  it('row 3: GPD unreachable also keeps WAITING (retry forever at the last interval)', async () => {
    const nav = notice(true);
    send.setGpdBaseUrl('http://127.0.0.1:1/gpd');
    const id = await submit('ASYNC', [[{ nav, applyCost: true }]]);
    for (const ms of [10_000, 60_000, 60_000, 300_000, 3_600_000, 3_600_000]) await clock.advanceAndSettle(ms);
    expect(send.request(id)!.status).to.equal('WAITING');
    expect(send.request(id)!.attempts).to.equal(7);
    expect(feePuts(nav).at(-1)!.notes[0]).to.match(/KO_RETRY \(/);
  });

  it('row 4: SYNC + notice at the EC station → ACCEPTED, no GPD write; the price API carries the cost', async () => {
    const nav = notice(false);
    const st = await status(await submit('SYNC', [[{ nav, applyCost: true }]]));
    expect(st.notificationRequestStatus).to.equal('ACCEPTED');
    expect(feePuts(nav)).to.have.length(0);
    expect((await call('GET', `${app.baseUrl}/send/delivery/v2.3/price/${EC}/${nav}`)).body).to.deep.include({
      totalPrice: 200,
      partialPrice: 100,
      iun: st.iun,
    });
    const phase = await send.advancePhase({ iun: st.iun, phase: 'SEND_ANALOG_DOMICILE_ATTEMPT_0', analogCost: 1932 });
    expect(phase.ok && phase.value.items[0]!.gpd).to.equal(undefined);
    expect(feePuts(nav)).to.have.length(0);
    expect((await call('GET', `${app.baseUrl}/send/delivery/v2.3/price/${EC}/${nav}`)).body.totalPrice).to.equal(2557);
  });

  it('row 5: SYNC + notice in GPD → ACCEPTED, GPD fee stays 0, "cost not recovered" finding', async () => {
    const nav = notice(true);
    const st = await status(await submit('SYNC', [[{ nav, applyCost: true }]]));
    expect(st.notificationRequestStatus).to.equal('ACCEPTED');
    await send.advancePhase({ iun: st.iun, phase: 'SEND_ANALOG_DOMICILE_ATTEMPT_0', analogCost: 969 });
    expect(feePuts(nav)).to.have.length(0);
    expect(gpdFee(nav)).to.include({ notificationFee: 0, amount: 10000 });
    expect(st.harnessFindings).to.have.length(1);
    expect(st.harnessFindings[0]).to.include({ code: 'COST_NOT_RECOVERED', severity: 'error', noticeCode: nav });
    const statusCall = journal.list({ party: 'send', operation: 'getNotificationRequestStatus' }).at(-1)!;
    expect((JSON.parse(statusCall.response!) as typeof st).harnessFindings[0]!.message).to.match(
      /^Failed to recover the notification cost of notice 77777777777\/3\d+: the notification declares pagoPaIntMode=SYNC but the notice is served by GPD/,
    );
  });

  it('row 6: NONE with pagoPA notices → ACCEPTED, nobody pushes, the price API still works', async () => {
    const nav = notice(true);
    const st = await status(await submit('NONE', [[{ nav, applyCost: true }]]));
    expect(st.notificationRequestStatus).to.equal('ACCEPTED');
    expect(feePuts(nav)).to.have.length(0);
    expect(send.price(EC, nav)).to.deep.include({ ok: true });
    expect((await call('GET', `${app.baseUrl}/send/delivery/v2.3/price/${EC}/${nav}`)).body.totalPrice).to.equal(200);
  });

  it('row 7: FLAT_RATE (even declared ASYNC) → ACCEPTED, no GPD call, price 0/0', async () => {
    const nav = notice(true);
    const st = await status(await submit('ASYNC', [[{ nav, applyCost: false }]], 'FLAT_RATE'));
    expect(st.notificationRequestStatus).to.equal('ACCEPTED');
    expect(feePuts(nav)).to.have.length(0);
    expect((await call('GET', `${app.baseUrl}/send/delivery/v2.3/price/${EC}/${nav}`)).body).to.deep.include({ totalPrice: 0, partialPrice: 0 });
  });

  it('row 8: a notice already in a live notification → 409 at submission (SYNC or ASYNC)', async () => {
    const nav = notice(true);
    await submit('ASYNC', [[{ nav, applyCost: true }]]);
    for (const mode of ['SYNC', 'ASYNC'] as const) {
      const r = await call(
        'POST',
        `${app.baseUrl}/send/delivery/v2.6/requests`,
        notification({ protocol: `dup-${mode}`, mode, paFee: 100, vat: 22, recipients: [[{ nav, applyCost: true }]] }),
      );
      expect(r.status).to.equal(409);
    }
  });
});
