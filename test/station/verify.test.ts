import { expect } from 'chai';
import { bodyOf, header, qr, startStations, EC, ST1, type Harness } from './helpers.ts';

describe('station: paVerifyPaymentNotice', () => {
  let h: Harness;
  before(async () => {
    h = await startStations();
  });
  after(() => h.close());

  it('answers OK with one payment option, amount, names and allCCP false', async () => {
    const b = bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header(), ...qr('301000000000100121') }));
    expect(b.outcome).to.equal('OK');
    const opt = b.paymentList.paymentOptionDescription;
    expect(opt).to.have.length(1);
    expect(opt[0]).to.include({ amount: '100.00', options: 'EQ', dueDate: '2026-12-31', allCCP: 'false' });
    expect(b).to.include({ paymentDescription: 'TARI 2026 rata unica', fiscalCodePA: EC, companyName: 'Comune di Esempio', officeName: 'Ufficio Tributi' });
  });

  it('sets allCCP true when every transfer has a postal IBAN', async () => {
    const b = bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header(), ...qr('301000000000100323') }));
    expect(b.paymentList.paymentOptionDescription[0]).to.include({ amount: '25.50', allCCP: 'true' });
  });

  it('sums multi-beneficiary transfers', async () => {
    const b = bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header(), ...qr('301000000000100222') }));
    expect(b.paymentList.paymentOptionDescription[0].amount).to.equal('150.00');
  });

  const cases: Array<[string, string, string]> = [
    ['unknown notice', '301000000000109999', 'PAA_PAGAMENTO_SCONOSCIUTO'],
    ['not yet payable', '301000000000100828', 'PAA_PAGAMENTO_SCONOSCIUTO'],
    ['expired', '301000000000100626', 'PAA_PAGAMENTO_SCADUTO'],
    ['cancelled', '301000000000100727', 'PAA_PAGAMENTO_ANNULLATO'],
    ['paid', '301000000000100525', 'PAA_PAGAMENTO_DUPLICATO'],
  ];
  for (const [what, nn, code] of cases) {
    it(`maps ${what} to ${code}`, async () => {
      const b = bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header(), ...qr(nn) }));
      expect(b.outcome).to.equal('KO');
      expect(b.fault.faultCode).to.equal(code);
      expect(b.fault.id).to.equal(EC);
    });
  }

  it('answers the stand-in probe with PAA_PAGAMENTO_SCONOSCIUTO for any EC', async () => {
    for (const ec of [EC, '12345678901']) {
      const b = bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header(ec), ...qr('000000000000000000', ec) }));
      expect(b.fault.faultCode).to.equal('PAA_PAGAMENTO_SCONOSCIUTO');
    }
  });

  it('checks idPA, idBrokerPA and idStation', async () => {
    const n = qr('301000000000100121');
    expect(bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header('12345678901'), ...n })).fault.faultCode).to.equal('PAA_ID_DOMINIO_ERRATO');
    expect(bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header(EC, ST1, '00000000000'), ...n })).fault.faultCode).to.equal(
      'PAA_ID_INTERMEDIARIO_ERRATO',
    );
    expect(bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header(EC, '77777777777_02'), ...n })).fault.faultCode).to.equal('PAA_STAZIONE_INT_ERRATA');
  });

  it('answers PAA_SINTASSI_EXTRAXSD with path, line and col of the schema issue', async () => {
    const b = bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header(), qrCode: { fiscalCode: 'ABC', noticeNumber: '301000000000100121' } }));
    expect(b.outcome).to.equal('KO');
    expect(b.fault.faultCode).to.equal('PAA_SINTASSI_EXTRAXSD');
    expect(b.fault.description).to.match(/fiscalCode \(line \d+:\d+\)/);
  });

  it('records every exchange with station, operation and meta, all schema-valid', async () => {
    const list = h.stations.exchanges({ station: ST1, operation: 'paVerifyPaymentNotice' });
    expect(list.length).to.be.greaterThan(5);
    for (const e of list) expect(e.responseIssues, e.response).to.deep.equal([]);
    expect(list[0]!.party).to.equal(`station:${ST1}`);
    expect(list[0]!.meta['noticeNumber']).to.equal('301000000000100121');
  });
});
