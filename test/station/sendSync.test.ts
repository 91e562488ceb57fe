import { expect } from 'chai';
import express from 'express';
import type { Server } from 'node:http';
import { bodyOf, closeServer, header, listen, qr, startStations, ST1, type Harness } from './helpers.ts';

const NN = '301000000000100424';

/** A tiny stand-in for the SEND price API. */
function fakeSend() {
  const calls: string[] = [];
  let mode: { kind: 'price'; total: number } | { kind: '404' } | { kind: '500' } | { kind: 'hold' } = { kind: 'price', total: 200 };
  /** Answers held by mode 'hold', sent when the test releases them. */
  const held: (() => void)[] = [];
  const app = express();
  app.get('/send/delivery/v2.3/price/:paTaxId/:noticeCode', async (req, res) => {
    calls.push(`${req.params.paTaxId}/${req.params.noticeCode}`);
    if (mode.kind === '404')
      return void res
        .status(404)
        .type('application/problem+json')
        .send(JSON.stringify({ status: 404, errors: [{ code: 'PN_DELIVERY_NOTIFICATIONCOSTNOTFOUND' }] }));
    if (mode.kind === '500') return void res.status(500).json({ status: 500 });
    if (mode.kind === 'hold') await new Promise<void>((r) => held.push(r));
    res.json({
      iun: 'ABCD-EFGH-IJKL-202601-M-1',
      partialPrice: 100,
      totalPrice: mode.kind === 'price' ? mode.total : 200,
      vat: 22,
      paFee: 100,
      sendFee: 100,
      analogCost: 0,
    });
  });
  return {
    app,
    calls,
    set: (m: typeof mode) => {
      mode = m;
    },
    release: () => {
      for (const r of held.splice(0)) r();
    },
  };
}

describe('station: SEND SYNC mode (price API at verify and activate)', () => {
  let h: Harness;
  let send: ReturnType<typeof fakeSend>;
  let sendServer: Server;
  before(async () => {
    send = fakeSend();
    const s = await listen(send.app);
    sendServer = s.server;
    // a price answer is waited for as long as it takes; only the test of the timeout shortens it
    h = await startStations({ sendBaseUrl: `${s.base}/send`, sendTimeoutMs: 60_000 });
  });
  after(async () => {
    await h.close();
    await closeServer(sendServer);
  });

  it('200: verify and getPayment serve base + totalPrice, refetched at each call', async () => {
    send.set({ kind: 'price', total: 200 });
    const v = bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header(), ...qr(NN) }));
    expect(v.paymentList.paymentOptionDescription[0].amount).to.equal('89.00');
    send.set({ kind: 'price', total: 2557 });
    for (const op of ['paGetPaymentV2', 'paGetPayment']) {
      const g = bodyOf(await h.call(ST1, op, { ...header(), ...qr(NN) }));
      expect(g.data.paymentAmount).to.equal('112.57');
      expect(g.data.transferList.transfer[0].transferAmount).to.equal('112.57');
      expect(g.data.metadata.mapEntry).to.deep.equal([{ key: 'NOTIFICATION_FEE', value: '2557' }]);
    }
    expect(send.calls).to.deep.equal([`77777777777/${NN}`, `77777777777/${NN}`, `77777777777/${NN}`]);
    const priceCalls = h.journal.list({ operation: 'sendPrice' });
    expect(priceCalls.map((e) => e.meta['during'])).to.deep.equal(['paVerifyPaymentNotice', 'paGetPaymentV2', 'paGetPayment']);
  });

  it('404: base amount, no NOTIFICATION_FEE', async () => {
    send.set({ kind: '404' });
    const g = bodyOf(await h.call(ST1, 'paGetPaymentV2', { ...header(), ...qr(NN) }));
    expect(g.data.paymentAmount).to.equal('87.00');
    expect(g.data.metadata).to.equal(undefined);
  });

  it('500: base amount, reason in the journal notes', async () => {
    send.set({ kind: '500' });
    const g = bodyOf(await h.call(ST1, 'paGetPaymentV2', { ...header(), ...qr(NN) }));
    expect(g.data.paymentAmount).to.equal('87.00');
    expect(h.stations.exchanges({ operation: 'paGetPaymentV2' }).pop()!.notes.join(' ')).to.match(/SEND price unavailable \(HTTP 500\)/);
  });

  it('no price answer: bounded by the timeout, base amount, reason noted', async () => {
    // SEND holds its answer until the verify is answered: only the station's timeout can end the wait
    send.set({ kind: 'hold' });
    h.stations.setSendTimeoutMs(250);
    try {
      const r = await h.call(ST1, 'paVerifyPaymentNotice', { ...header(), ...qr(NN) });
      expect(bodyOf(r).paymentList.paymentOptionDescription[0].amount).to.equal('87.00');
      expect(h.stations.exchanges({ operation: 'paVerifyPaymentNotice' }).pop()!.notes.join(' ')).to.match(/no answer within 250 ms/);
    } finally {
      h.stations.setSendTimeoutMs(60_000);
      send.release();
    }
  });

  it('positions not linked to SEND never call it', async () => {
    const before = send.calls.length;
    await h.call(ST1, 'paGetPaymentV2', { ...header(), ...qr('301000000000100121') });
    expect(send.calls.length).to.equal(before);
  });
});
