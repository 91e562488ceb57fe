import { expect } from 'chai';
import { ManualClock } from '../../src/clock.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { createSend, type Send } from '../../src/send/send.ts';
import { call, notification, startApp, type Started } from './helpers.ts';

describe('send/SEND synchronous checks (docs/send.md §2.3) and defaults (§2.1)', () => {
  let app: Started;
  let send: Send;
  const post = (body: unknown) => call('POST', `${app.baseUrl}/send/delivery/v2.6/requests`, body);
  const details = (r: { body: { errors?: Array<{ detail: string }> } }) => (r.body.errors ?? []).map((e) => e.detail);

  before(async () => {
    send = createSend({ journal: new Journal(), clock: new ManualClock() });
    app = await startApp(send.router);
  });
  after(async () => {
    send.close();
    await app.close();
  });
  beforeEach(() => send.reset());

  it('400 when DELIVERY_MODE lacks paFee or vat', async () => {
    const r = await post(notification({ protocol: 'p1', mode: 'SYNC', vat: 22, recipients: [[{ nav: '301000000000000001', applyCost: true }]] }));
    expect(r.status).to.equal(400);
    expect(r.contentType).to.match(/problem\+json/);
    expect(details(r)).to.deep.equal(['paFee or vat field not filled in for notification with notificationFeePolicy DELIVERY_MODE']);
  });

  it('400 when a recipient has pagoPA payments and none with applyCost (DELIVERY_MODE), checked per recipient', async () => {
    const r = await post(
      notification({
        protocol: 'p2',
        mode: 'ASYNC',
        paFee: 100,
        vat: 22,
        recipients: [[{ nav: '301000000000000001', applyCost: true }], [{ nav: '301000000000000002', applyCost: false }]],
      }),
    );
    expect(r.status).to.equal(400);
    expect(details(r)).to.deep.equal(['PagoPA applyCostFlg must be valorized for at least one payment']);
  });

  it('400 when FLAT_RATE has a payment with applyCost=true', async () => {
    const r = await post(notification({ protocol: 'p3', policy: 'FLAT_RATE', recipients: [[{ nav: '301000000000000001', applyCost: true }]] }));
    expect(details(r)).to.deep.equal(['PagoPA applyCostFlg must not be valorized for any payment']);
  });

  it('400 on the same IUV twice in one notification', async () => {
    const r = await post(
      notification({
        protocol: 'p4',
        mode: 'SYNC',
        paFee: 100,
        vat: 22,
        recipients: [
          [
            { nav: '301000000000000001', applyCost: true },
            { nav: '301000000000000001', applyCost: false },
          ],
        ],
      }),
    );
    expect(details(r)).to.deep.equal(['Duplicated iuv { 77777777777301000000000000001 } on recipient with index 0 in payment with index 1']);
  });

  it('400 on schema violations (noticeCode not 18 digits, unknown payment property, missing policy)', async () => {
    const bad = notification({ protocol: 'p5', mode: 'SYNC', paFee: 100, vat: 22, recipients: [[{ nav: '123', applyCost: true }]] });
    const r = await post(bad);
    expect(r.status).to.equal(400);
    expect(r.body.detail).to.match(/^Failed to validate the notification request: .*noticeCode must match pattern/);
    const { notificationFeePolicy: _p, ...noPolicy } = notification({ protocol: 'p6', recipients: [] }) as Record<string, unknown>;
    expect((await post(noPolicy)).status).to.equal(400);
    expect((await post('{oops')).status).to.equal(400);
  });

  it('202 with a notificationRequestId; the defaults give SYNC, vat 22, paFee 100 (never ASYNC)', async () => {
    const r = await post({ ...notification({ protocol: 'p7', recipients: [[{ nav: '301000000000000001', applyCost: true }]] }), paFee: 50, vat: 10 });
    expect(r.status).to.equal(202);
    expect(r.body.paProtocolNumber).to.equal('p7');
    const rec = send.request(r.body.notificationRequestId)!;
    expect(rec.request.pagoPaIntMode).to.equal('SYNC');
    const flat = await post(notification({ protocol: 'p8', policy: 'FLAT_RATE', recipients: [[{ nav: '301000000000000002', applyCost: false }]] }));
    expect(send.request(flat.body.notificationRequestId)!.request.pagoPaIntMode).to.equal('NONE');
    expect(send.request(flat.body.notificationRequestId)!.request.vat).to.equal(22);
    expect(send.request(flat.body.notificationRequestId)!.request.paFee).to.equal(100);
  });

  it('409 when the notice is already in a live notification; free again after refusal', async () => {
    const first = await post(
      notification({ protocol: 'p9', mode: 'SYNC', paFee: 100, vat: 22, recipients: [[{ nav: '301000000000000009', applyCost: true }]] }),
    );
    expect(first.status).to.equal(202);
    const dup = await post(
      notification({ protocol: 'p10', mode: 'ASYNC', paFee: 100, vat: 22, recipients: [[{ nav: '301000000000000009', applyCost: true }]] }),
    );
    expect(dup.status).to.equal(409);
    expect(dup.body.errors[0]).to.deep.include({ element: 'Duplicated notification for creditorTaxId##noticeCode', detail: '77777777777##301000000000000009' });
  });

  it('GET request status: 400 without id, 404 for an unknown id', async () => {
    expect((await call('GET', `${app.baseUrl}/send/delivery/v2.6/requests`)).status).to.equal(400);
    expect((await call('GET', `${app.baseUrl}/send/delivery/v2.6/requests?notificationRequestId=nope`)).status).to.equal(404);
  });
});
