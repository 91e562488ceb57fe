import { expect } from 'chai';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../../src/clock.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { createReferenceStations, type ReferenceStations } from '../../src/station/index.ts';
import { createReceiptDelivery } from '../../src/nodo/receipts/index.ts';
import { association, registryOf, station } from './helpers/receiptsStations.ts';
import { EC_A, EC_B, EC_C, receiptInput } from './helpers/receiptsFixtures.ts';

const A1 = `${EC_A}_01`;
const A2 = `${EC_A}_02`;
const B1 = `${EC_B}_01`;
const C1 = `${EC_C}_01`;

describe('nodo/receipts: delivery to the reference stations (src/station)', () => {
  const journal = new Journal();
  const clock = new ManualClock();
  let stations: ReferenceStations;
  let server: Server;
  let base: string;
  const registry = registryOf(
    [station(A1, 2), station(A2, 1), station(B1, 2), station(C1, 1)],
    [association(EC_A, A1, false), association(EC_A, A2, true, { segregationCode: '02' }), association(EC_B, B1, true), association(EC_C, C1, true)],
    [EC_A, EC_B, EC_C],
  );
  const makeDelivery = () => createReceiptDelivery({ journal, clock, registry: () => registry, stationUrl: (code) => `${base}/stations/${code}` });

  before(async () => {
    stations = createReferenceStations({
      journal,
      clock,
      stations: registry.stations.map((s) => ({
        idStation: s.stationCode,
        idBrokerPA: s.brokerCode,
        ecs: registry.associations.filter((a) => a.stationCode === s.stationCode).map((a) => a.fiscalCode),
      })),
      onBug: (m) => {
        throw new Error(m);
      },
    });
    const app = express();
    app.use(stations.router);
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('the four recipients accept the receipt (V1 and V2); a re-delivery gets PAA_RECEIPT_DUPLICATA, a KO that ends delivery', async () => {
    const first = makeDelivery();
    const record = first.deliver(receiptInput());
    await first.whenIdle();
    expect(record.recipients.map((d) => [d.idStation, d.primitive, d.state, d.lastError])).to.deep.equal([
      [A1, 'paSendRTV2', 'NOTIFIED', undefined],
      [B1, 'paSendRTV2', 'NOTIFIED', undefined],
      [C1, 'paSendRT', 'NOTIFIED', undefined],
      [A2, 'paSendRT', 'NOTIFIED', undefined],
    ]);
    const stored = stations.receipts();
    expect(stored.map((r) => [r.station, r.idPA, r.version]).sort()).to.deep.equal([
      [A1, EC_A, 2],
      [A2, EC_A, 1],
      [B1, EC_B, 2],
      [C1, EC_C, 1],
    ]);
    first.close();

    const again = makeDelivery();
    const second = again.deliver(receiptInput());
    await again.whenIdle();
    expect(second.recipients.every((d) => d.state === 'NOTIFIED' && d.attempts.length === 1 && d.attempts[0]!.faultCode === 'PAA_RECEIPT_DUPLICATA')).to.equal(
      true,
    );
    await clock.advanceAndSettle(3_600_000);
    expect(second.recipients.every((d) => d.attempts.length === 1)).to.equal(true);
    again.close();
  });
});
