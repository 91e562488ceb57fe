import { expect } from 'chai';
import type { BuildObject } from '../../src/xml/build.ts';
import { bodyOf, header, qr, startStations, EC, ST1, type Harness } from './helpers.ts';

const sum = (ts: Array<{ transferAmount: string }>) => ts.reduce((a, t) => a + Math.round(Number(t.transferAmount) * 100), 0);

describe('station: paGetPayment V1 and V2', () => {
  let h: Harness;
  before(async () => {
    h = await startStations();
  });
  after(() => h.close());

  it('V1: mono-beneficiary data with IBAN, debtor and IUV', async () => {
    const b = bodyOf(await h.call(ST1, 'paGetPayment', { ...header(), ...qr('301000000000100121'), amount: '100.00' }));
    expect(b.outcome).to.equal('OK');
    expect(b.data).to.include({
      creditorReferenceId: '01000000000100121',
      paymentAmount: '100.00',
      dueDate: '2026-12-31',
      description: 'TARI 2026 rata unica',
      companyName: 'Comune di Esempio',
    });
    expect(b.data.debtor.uniqueIdentifier.entityUniqueIdentifierValue).to.equal('RSSMRA80A01H501U');
    expect(b.data.transferList.transfer).to.have.length(1);
    expect(b.data.transferList.transfer[0]).to.include({
      idTransfer: '1',
      transferAmount: '100.00',
      fiscalCodePA: EC,
      IBAN: 'IT60X0542811101000000123456',
      transferCategory: '0101101IM',
    });
  });

  it('V1 and V2: multi-beneficiary with 5 transfers, sum = paymentAmount', async () => {
    for (const op of ['paGetPayment', 'paGetPaymentV2']) {
      const b = bodyOf(await h.call(ST1, op, { ...header(), ...qr('301000000000100222') }));
      const ts = b.data.transferList.transfer;
      expect(ts).to.have.length(5);
      expect(ts.map((t: { idTransfer: string }) => t.idTransfer)).to.deep.equal(['1', '2', '3', '4', '5']);
      expect(sum(ts)).to.equal(15000);
      expect(b.data.paymentAmount).to.equal('150.00');
      expect(ts[2].fiscalCodePA).to.equal('11111111111');
    }
  });

  it('V2: stamp as richiestaMarcaDaBollo, payment and transfer metadata', async () => {
    const b = bodyOf(await h.call(ST1, 'paGetPaymentV2', { ...header(), ...qr('301000000000001255') }));
    expect(b.outcome).to.equal('OK');
    const [t1, t2] = b.data.transferList.transfer;
    expect(t1.IBAN).to.equal('IT60X0542811101000000123456');
    expect(t1.metadata.mapEntry).to.deep.equal([{ key: 'RC_TIP_1', value: 'INCASSO_TIPICO' }]);
    expect(t2.IBAN).to.equal(undefined);
    expect(t2.richiestaMarcaDaBollo).to.deep.equal({
      hashDocumento: '7cXyzDyVsqi6TwCqk9T9P4BHTRtZpwj8CAyk2bTK0vg=',
      tipoBollo: '01',
      provinciaResidenza: 'RM',
    });
    expect(b.data.metadata.mapEntry).to.deep.equal([{ key: 'TIPO_DOVUTO', value: 'TARI' }]);
    expect(b.data.paymentAmount).to.equal('116.00');
  });

  it('V1: a stamp position is PAA_SEMANTICA (V1 carries IBANs only)', async () => {
    const b = bodyOf(await h.call(ST1, 'paGetPayment', { ...header(), ...qr('301000000000001255') }));
    expect(b.outcome).to.equal('KO');
    expect(b.fault.faultCode).to.equal('PAA_SEMANTICA');
    expect(b.fault.description).to.match(/paGetPaymentV2/);
  });

  it('transferType POSTAL selects the postal IBAN', async () => {
    const postal = bodyOf(await h.call(ST1, 'paGetPaymentV2', { ...header(), ...qr('301000000000100323'), transferType: 'POSTAL' }));
    expect(postal.data.transferList.transfer[0].IBAN).to.equal('IT57N0760101600000012345678');
    const bank = bodyOf(await h.call(ST1, 'paGetPaymentV2', { ...header(), ...qr('301000000000100323') }));
    expect(bank.data.transferList.transfer[0].IBAN).to.equal('IT60X0542811101000000123456');
  });

  it('a PSP amount different from the EC amount is not an error (the EC value wins)', async () => {
    const r = await h.call(ST1, 'paGetPaymentV2', { ...header(), ...qr('301000000000100121'), amount: '99.00' });
    expect(bodyOf(r).data.paymentAmount).to.equal('100.00');
    const last = h.stations.exchanges({ operation: 'paGetPaymentV2' }).pop()!;
    expect(last.notes.join(' ')).to.match(/differs/);
  });

  for (const op of ['paGetPayment', 'paGetPaymentV2']) {
    it(`${op}: state, header and syntax KOs`, async () => {
      const code = async (content: BuildObject) => bodyOf(await h.call(ST1, op, content)).fault?.faultCode;
      expect(await code({ ...header(), ...qr('301000000000109999') })).to.equal('PAA_PAGAMENTO_SCONOSCIUTO');
      expect(await code({ ...header(), ...qr('301000000000100828') })).to.equal('PAA_PAGAMENTO_SCONOSCIUTO');
      expect(await code({ ...header(), ...qr('301000000000100626') })).to.equal('PAA_PAGAMENTO_SCADUTO');
      expect(await code({ ...header(), ...qr('301000000000100727') })).to.equal('PAA_PAGAMENTO_ANNULLATO');
      expect(await code({ ...header(), ...qr('301000000000100525') })).to.equal('PAA_PAGAMENTO_DUPLICATO');
      expect(await code({ ...header('12345678901'), ...qr('301000000000100121') })).to.equal('PAA_ID_DOMINIO_ERRATO');
      expect(await code({ ...header(EC, ST1, 'X'), ...qr('301000000000100121') })).to.equal('PAA_ID_INTERMEDIARIO_ERRATO');
      expect(await code({ ...header(EC, '77777777777_02'), ...qr('301000000000100121') })).to.equal('PAA_STAZIONE_INT_ERRATA');
      expect(await code({ ...header(), ...qr('301000000000100121'), amount: '10' })).to.equal('PAA_SINTASSI_EXTRAXSD');
    });
  }

  it('a position bound to another station is unknown here and served there', async () => {
    const here = bodyOf(await h.call(ST1, 'paGetPayment', { ...header(), ...qr('302000000000200138') }));
    expect(here.fault.faultCode).to.equal('PAA_PAGAMENTO_SCONOSCIUTO');
    const there = bodyOf(await h.call('77777777777_02', 'paGetPayment', { ...header(EC, '77777777777_02'), ...qr('302000000000200138') }));
    expect(there.data.paymentAmount).to.equal('35.00');
  });

  it('every answer seen was schema-valid', () => {
    const list = h.stations.exchanges();
    expect(list.length).to.be.greaterThan(20);
    for (const e of list) expect(e.responseIssues, e.response).to.deep.equal([]);
  });
});
