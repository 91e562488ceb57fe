import { expect } from 'chai';
import { pick } from '../../src/xml/read.ts';
import type { Association, Station } from '../../src/nodo/registry.ts';
import { association, registryOf, startReceiptWorld, station, type ReceiptWorld } from './helpers/receiptsStations.ts';
import { EC_A, EC_B, EC_C, receiptInput, transfer } from './helpers/receiptsFixtures.ts';
import type { ReceiptInput } from '../../src/nodo/receipts/receipt.ts';
import type { ReceiptDeliveryOptions } from '../../src/nodo/receipts/index.ts';

const A1 = `${EC_A}_01`;
const A2 = `${EC_A}_02`;
const A3 = `${EC_A}_03`;
const B1 = `${EC_B}_01`;
const C1 = `${EC_C}_01`;
const SHARED = `${EC_B}_09`;

/** The issue's main topology: primary A on A1, A's second broadcast A2 (V1), B on B1 (V2), C on C1 (V1). */
function mainStations(primaryVersion: 1 | 2): Station[] {
  return [station(A1, primaryVersion), station(A2, 1), station(A3, 2), station(B1, 2), station(C1, 1), station(SHARED, 2)];
}
const mainAssociations = (): Association[] => [
  association(EC_A, A1, false),
  association(EC_A, A2, true, { segregationCode: '02' }),
  association(EC_B, B1, true),
  association(EC_C, C1, true),
];

describe('nodo/receipts: recipients over HTTP (docs/primitives.md §10.1)', () => {
  let w: ReceiptWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  async function run(stations: Station[], associations: Association[], input: ReceiptInput, options: ReceiptDeliveryOptions = {}) {
    w = await startReceiptWorld(registryOf(stations, associations, [EC_A, EC_B, EC_C]), options);
    const record = w.delivery.deliver(input);
    await w.delivery.whenIdle();
    return record;
  }
  const received = (code: string) => w!.stations.received(code);
  const headers = (code: string) => received(code).map((r) => ({ primitive: r.primitive, idPA: r.idPA, idBrokerPA: r.idBrokerPA, idStation: r.idStation }));
  const total = () => mainStations(2).reduce((n, s) => n + received(s.stationCode).length, 0);

  it('3 transfers / 3 ECs, primary station V2: exactly four deliveries with the right primitives and headers (mixed V1/V2)', async () => {
    const record = await run(mainStations(2), mainAssociations(), receiptInput());
    expect(headers(A1)).to.deep.equal([{ primitive: 'paSendRTV2', idPA: EC_A, idBrokerPA: EC_A, idStation: A1 }]);
    expect(headers(A2)).to.deep.equal([{ primitive: 'paSendRT', idPA: EC_A, idBrokerPA: EC_A, idStation: A2 }]);
    expect(headers(B1)).to.deep.equal([{ primitive: 'paSendRTV2', idPA: EC_B, idBrokerPA: EC_B, idStation: B1 }]);
    expect(headers(C1)).to.deep.equal([{ primitive: 'paSendRT', idPA: EC_C, idBrokerPA: EC_C, idStation: C1 }]);
    expect(total()).to.equal(4);
    for (const code of [A1, A2, B1, C1]) {
      const r = received(code)[0]!;
      expect(r.issues, code).to.equal(0);
      expect(pick(r.receipt, 'fiscalCode')).to.equal(EC_A);
      expect(pick(r.receipt, 'receiptId')).to.equal('c110729d258c4ab1b765fe902aae41d6');
      expect(pick(r.receipt, 'metadata.mapEntry.0.key')).to.equal('NOTIFICATION_FEE');
    }
    expect(record.recipients.map((d) => [d.rule, d.idPA, d.idStation, d.state, d.attempts.length])).to.deep.equal([
      ['R-PRIMARY', EC_A, A1, 'NOTIFIED', 1],
      ['R-SECONDARY', EC_B, B1, 'NOTIFIED', 1],
      ['R-SECONDARY', EC_C, C1, 'NOTIFIED', 1],
      ['R-PRIMARY-BROADCAST', EC_A, A2, 'NOTIFIED', 1],
    ]);
    const out = w!.journal.list({ party: 'nodo', direction: 'outbound' });
    expect(out).to.have.length(4);
    expect(out.map((e) => e.to).sort()).to.deep.equal([A1, A2, B1, C1].map((c) => `station:${c}`).sort());
    expect(out.find((e) => e.to === `station:${B1}`)!.meta).to.deep.equal({
      paymentToken: 'c110729d258c4ab1b765fe902aae41d6',
      noticeNumber: '301000000000001255',
      idPA: EC_B,
      idStation: B1,
      attempt: 1,
    });
  });

  it('same payment with a V1 primary station: no delivery to the primary EC broadcast station', async () => {
    const input = receiptInput({ servedBy: { idPA: EC_A, idBrokerPA: EC_A, idStation: A1, primitiveVersion: 1 } });
    await run(mainStations(1), mainAssociations(), input);
    expect(headers(A1)).to.deep.equal([{ primitive: 'paSendRT', idPA: EC_A, idBrokerPA: EC_A, idStation: A1 }]);
    expect(received(A2)).to.have.length(0);
    expect(received(B1)).to.have.length(1);
    expect(received(C1)).to.have.length(1);
    expect(total()).to.equal(3);
  });

  it('a station that is the broadcast station of two beneficiary ECs gets two receipts, one per EC', async () => {
    const assoc = [association(EC_A, A1, false), association(EC_B, SHARED, true), association(EC_C, SHARED, true)];
    await run(mainStations(2), assoc, receiptInput());
    expect(headers(SHARED)).to.have.deep.members([
      { primitive: 'paSendRTV2', idPA: EC_B, idBrokerPA: EC_B, idStation: SHARED },
      { primitive: 'paSendRTV2', idPA: EC_C, idBrokerPA: EC_B, idStation: SHARED },
    ]);
    expect(total()).to.equal(3);
  });

  it('a secondary EC without a broadcast station gets nothing', async () => {
    const assoc = [association(EC_A, A1, false), association(EC_B, B1, true), association(EC_C, C1, false)];
    const record = await run(mainStations(2), assoc, receiptInput());
    expect(received(C1)).to.have.length(0);
    expect(record.recipients.map((d) => d.idPA)).to.deep.equal([EC_A, EC_B]);
  });

  it('never delivers twice to the same (EC, station): primary station also broadcast for the primary EC', async () => {
    const assoc = [association(EC_A, A1, true), association(EC_B, B1, true)];
    const record = await run(mainStations(2), assoc, receiptInput());
    expect(received(A1)).to.have.length(1);
    expect(record.recipients.map((d) => d.rule)).to.deep.equal(['R-PRIMARY', 'R-SECONDARY']);
  });

  describe('the #148/#258 switch (secondary EC associated, not broadcast, with the serving station)', () => {
    const assoc = () => [association(EC_A, A1, false), association(EC_B, A1, false, { segregationCode: '05' }), association(EC_B, B1, true)];
    const input = () => receiptInput({ transfers: [transfer('1', EC_A, '50.00'), transfer('2', EC_B, '30.00')] });

    it('default #258: the secondary EC receives on its broadcast station only', async () => {
      const record = await run(mainStations(2), assoc(), input());
      expect(record.secondaryRule).to.equal('258');
      expect(headers(A1).map((h) => h.idPA)).to.deep.equal([EC_A]);
      expect(headers(B1).map((h) => h.idPA)).to.deep.equal([EC_B]);
    });

    it('#148: the secondary EC receives on the serving station, not on its broadcast station', async () => {
      await run(mainStations(2), assoc(), input(), { secondaryRule: '148' });
      expect(headers(A1)).to.have.deep.members([
        { primitive: 'paSendRTV2', idPA: EC_A, idBrokerPA: EC_A, idStation: A1 },
        { primitive: 'paSendRTV2', idPA: EC_B, idBrokerPA: EC_A, idStation: A1 },
      ]);
      expect(received(B1)).to.have.length(0);
    });
  });

  it('a version-1 (old model) broadcast station gets nothing, and the journal says why', async () => {
    const stations = [...mainStations(2).filter((s) => s.stationCode !== C1), station(C1, 1, { version: 1 })];
    const record = await run(stations, mainAssociations(), receiptInput());
    expect(received(C1)).to.have.length(0);
    const c = record.recipients.find((d) => d.idStation === C1)!;
    expect(c.state).to.equal('SKIPPED');
    expect(c.lastError).to.equal(`station ${C1} is version 1 (old model): the real Nodo would send the legacy paaInviaRT, which the harness does not emulate`);
    const e = w!.journal.list({ party: 'nodo', meta: { idStation: C1 } });
    expect(e).to.have.length(1);
    expect(e[0]!.operation).to.equal('paaInviaRT');
    expect(e[0]!.notes[0]).to.contain('is version 1 (old model)');
  });

  it('a station moved between payment and delivery gets its configuration of delivery time with the ids of payment time', async () => {
    // Paid on A1 with paGetPayment V1; before delivery A1 switched to primitive version 2 and EC A moved to A3.
    const assoc = [association(EC_A, A3, false), association(EC_A, A2, true, { segregationCode: '02' }), association(EC_B, B1, true)];
    const input = receiptInput({
      servedBy: { idPA: EC_A, idBrokerPA: EC_A, idStation: A1, primitiveVersion: 1 },
      transfers: [transfer('1', EC_A, '50.00'), transfer('2', EC_B, '30.00')],
    });
    await run(mainStations(2), assoc, input);
    expect(headers(A1)).to.deep.equal([{ primitive: 'paSendRTV2', idPA: EC_A, idBrokerPA: EC_A, idStation: A1 }]);
    expect(received(A3)).to.have.length(0);
    expect(received(A2), 'paid with V1: no primary broadcast').to.have.length(0);
  });

  it('stamps: a V2 recipient gets MBDAttachment, a V1 recipient gets nothing with the reason', async () => {
    const input = receiptInput({
      transfers: [
        transfer('1', EC_A, '100.00'),
        transfer('2', EC_C, '16.00', {
          IBAN: undefined,
          richiestaMarcaDaBollo: { hashDocumento: '7cXyzDyVsqi6TwCqk9T9P4BHTRtZpwj8CAyk2bTK0vg=', tipoBollo: '01', provinciaResidenza: 'RM' },
        }),
      ],
    });
    input.outcome.stamps = [{ idTransfer: '2', MBDAttachment: 'PG1hcmNhRGFCb2xsbz4uLi48L21hcmNhRGFCb2xsbz4=' }];
    const record = await run(mainStations(2), [association(EC_A, A1, false), association(EC_C, C1, true)], input);
    expect(pick(received(A1)[0]!.receipt, 'transferList.transfer.1.MBDAttachment')).to.equal('PG1hcmNhRGFCb2xsbz4uLi48L21hcmNhRGFCb2xsbz4=');
    expect(received(C1)).to.have.length(0);
    expect(record.recipients.find((d) => d.idStation === C1)!.lastError).to.match(/^paSendRT \(V1\) cannot carry the digital stamp of transfer 2/);
  });

  it('an incomplete receipt input is never sent: the recipient is SKIPPED with the XSD issues, deliver() does not throw', async () => {
    const input = receiptInput();
    input.payment = { transferList: input.payment.transferList } as unknown as ReceiptInput['payment'];
    const record = await run(mainStations(2), mainAssociations(), input);
    expect(total()).to.equal(0);
    const primary = record.recipients[0]!;
    expect(primary.state).to.equal('SKIPPED');
    expect(primary.lastError).to.match(/^BUG: the paSendRTV2 built by the harness is not valid against the XSD \(\d+:\d+ \/\S+ /);
  });

  it('deliver() is idempotent per paymentToken', async () => {
    const first = await run(mainStations(2), mainAssociations(), receiptInput());
    const again = w!.delivery.deliver(receiptInput());
    await w!.delivery.whenIdle();
    expect(again).to.equal(first);
    expect(total()).to.equal(4);
  });
});
