import { expect } from 'chai';
import express from 'express';
import { createControlAccess } from '../../src/control/index.ts';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { association, registryOf, startReceiptWorld, station, type ReceiptWorld } from './helpers/receiptsStations.ts';
import { EC_A, EC_B, EC_C, receiptInput } from './helpers/receiptsFixtures.ts';
import { RECEIPTS_CONTROL_PATH } from '../../src/nodo/receipts/index.ts';

const A1 = `${EC_A}_01`;
const B1 = `${EC_B}_01`;
const C1 = `${EC_C}_01`;
const TOKEN = 'c110729d258c4ab1b765fe902aae41d6';

describe('nodo/receipts: control API (/_control/nodo/receipts)', () => {
  let w: ReceiptWorld;
  let server: Server;
  let base: string;

  before(async () => {
    const reg = registryOf(
      [station(A1, 2), station(B1, 1), station(C1, 2)],
      [association(EC_A, A1, false), association(EC_B, B1, true), association(EC_C, C1, true)],
      [EC_A, EC_B, EC_C],
    );
    w = await startReceiptWorld(reg);
    w.stations.behave(C1, () => ({ kind: 'close' }));
    const app = express();
    createControlAccess({ host: '127.0.0.1' }).mount(app);
    app.use(w.delivery.router);
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${RECEIPTS_CONTROL_PATH}`;
    w.delivery.deliver(receiptInput());
    await w.delivery.whenIdle();
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await w.close();
  });

  const get = async (path: string) => {
    const res = await fetch(base + path);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('per payment: every recipient with EC, station, primitive, attempts, state and last error', async () => {
    const { status, body } = await get(`/payments/${TOKEN}`);
    expect(status).to.equal(200);
    expect(body['receiptId']).to.equal(TOKEN);
    const recipients = body['recipients'] as Array<Record<string, unknown>>;
    expect(recipients.map((r) => [r['idPA'], r['idStation'], r['primitive'], r['state'], (r['attempts'] as unknown[]).length])).to.deep.equal([
      [EC_A, A1, 'paSendRTV2', 'NOTIFIED', 1],
      [EC_B, B1, 'paSendRT', 'NOTIFIED', 1],
      [EC_C, C1, 'paSendRTV2', 'NOTICE_PENDING', 1],
    ]);
    expect(recipients[2]!['lastError']).to.match(/^connection closed or reset/);
    expect(recipients[2]!['nextAttemptAt']).to.equal('2026-01-15T11:00:00.000Z');
  });

  it('per station: every receipt it was sent', async () => {
    const { body } = await get(`/stations/${B1}`);
    expect(body['receipts']).to.deep.equal([
      {
        receiptId: TOKEN,
        noticeNumber: '301000000000001255',
        fiscalCode: EC_A,
        idPA: EC_B,
        rule: 'R-SECONDARY',
        primitive: 'paSendRT',
        state: 'NOTIFIED',
        attempts: 1,
      },
    ]);
    expect((await get('/stations/nobody')).body['receipts']).to.deep.equal([]);
  });

  it('lists every receipt and answers 404 with a clear message for an unknown payment', async () => {
    expect(((await get('')).body['receipts'] as unknown[]).length).to.equal(1);
    const { status, body } = await get('/payments/unknown');
    expect(status).to.equal(404);
    expect(body['error']).to.equal(
      `Failed to find the receipt of payment unknown: no OK outcome was delivered for this paymentToken. Check the token in GET ${RECEIPTS_CONTROL_PATH}.`,
    );
  });
});
