import { expect } from 'chai';
import { bodyOf, header, qr, receiptContent, startStations, EC, ST1, type Harness } from './helpers.ts';

describe('station: paSendRT V1 and V2', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startStations();
  });
  afterEach(() => h.close());

  for (const [op, v2] of [
    ['paSendRT', false],
    ['paSendRTV2', true],
  ] as const) {
    it(`${op}: stores the receipt and marks the position paid`, async () => {
      const b = bodyOf(await h.call(ST1, op, { ...header(), ...receiptContent({ receiptId: 'tok-1', noticeNumber: '301000000000100121', v2 }) }));
      expect(b.outcome).to.equal('OK');
      expect(h.stations.position(EC, '301000000000100121')!.state).to.equal('paid');
      const rs = h.stations.receipts({ station: ST1 });
      expect(rs).to.have.length(1);
      expect(rs[0]).to.include({ receiptId: 'tok-1', idPA: EC, version: v2 ? 2 : 1, broadcast: false, paymentAmount: '100.00' });
      const verify = bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header(), ...qr('301000000000100121') }));
      expect(verify.fault.faultCode).to.equal('PAA_PAGAMENTO_DUPLICATO');
    });

    it(`${op}: the same receiptId again is PAA_RECEIPT_DUPLICATA and is not stored twice`, async () => {
      const content = { ...header(), ...receiptContent({ receiptId: 'tok-2', noticeNumber: '301000000000100121', v2 }) };
      expect(bodyOf(await h.call(ST1, op, content)).outcome).to.equal('OK');
      const again = bodyOf(await h.call(ST1, op, content));
      expect(again.outcome).to.equal('KO');
      expect(again.fault.faultCode).to.equal('PAA_RECEIPT_DUPLICATA');
      expect(h.stations.receipts()).to.have.length(1);
    });

    it(`${op}: a broadcast receipt for a notice the station does not hold is accepted and stored`, async () => {
      const b = bodyOf(
        await h.call('99999999999_01', op, {
          ...header('11111111111', '99999999999_01', '99999999999'),
          ...receiptContent({ receiptId: 'tok-3', noticeNumber: '301000000000777777', fiscalCode: '22222222222', v2 }),
        }),
      );
      expect(b.outcome).to.equal('OK');
      const rs = h.stations.receipts({ ec: '11111111111' });
      expect(rs).to.have.length(1);
      expect(rs[0]!.broadcast).to.equal(true);
    });
  }

  it('one station receives the same receipt once per recipient EC', async () => {
    const st = '99999999999_01';
    for (const ec of [EC, '11111111111']) {
      const b = bodyOf(
        await h.call(st, 'paSendRTV2', {
          ...header(ec, st, '99999999999'),
          ...receiptContent({ receiptId: 'tok-4', noticeNumber: '301000000000100222', v2: true }),
        }),
      );
      expect(b.outcome).to.equal('OK');
    }
    expect(h.stations.receipts({ station: st })).to.have.length(2);
    expect(h.stations.receipts({ ec: '11111111111' })).to.have.length(1);
  });

  it('header checks and syntax KO on receipts', async () => {
    const r = receiptContent({ receiptId: 'tok-5', noticeNumber: '301000000000100121' });
    expect(bodyOf(await h.call(ST1, 'paSendRT', { ...header('12345678901'), ...r })).fault.faultCode).to.equal('PAA_ID_DOMINIO_ERRATO');
    expect(bodyOf(await h.call(ST1, 'paSendRT', { ...header(EC, ST1, 'X'), ...r })).fault.faultCode).to.equal('PAA_ID_INTERMEDIARIO_ERRATO');
    expect(bodyOf(await h.call(ST1, 'paSendRT', { ...header(EC, '77777777777_02'), ...r })).fault.faultCode).to.equal('PAA_STAZIONE_INT_ERRATA');
    const bad = receiptContent({ receiptId: 'tok-6', noticeNumber: '301000000000100121', amount: '100' });
    const syn = bodyOf(await h.call(ST1, 'paSendRTV2', { ...header(), ...bad }));
    expect(syn.fault.faultCode).to.equal('PAA_SINTASSI_EXTRAXSD');
    expect(h.stations.receipts()).to.have.length(0);
  });

  it('paDemandPaymentNotice creates a payable spontaneous position', async () => {
    const b = bodyOf(
      await h.call(ST1, 'paDemandPaymentNotice', {
        ...header(),
        idServizio: '00001',
        idSoggettoServizio: '00001',
        datiSpecificiServizioRequest: Buffer.from('<dati/>').toString('base64'),
      }),
    );
    expect(b.outcome).to.equal('OK');
    expect(b.qrCode.fiscalCode).to.equal(EC);
    expect(b.qrCode.noticeNumber).to.match(/^301\d{15}$/);
    expect(b.paymentList.paymentOptionDescription[0].amount).to.equal('16.00');
    const v = bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header(), ...qr(b.qrCode.noticeNumber) }));
    expect(v.outcome).to.equal('OK');
    const unknown = bodyOf(
      await h.call(ST1, 'paDemandPaymentNotice', { ...header(), idServizio: '99999', idSoggettoServizio: '00001', datiSpecificiServizioRequest: 'AAAA' }),
    );
    expect(unknown.fault.faultCode).to.equal('PAA_SEMANTICA');
  });

  it('reset restores positions and drops receipts', async () => {
    await h.call(ST1, 'paSendRT', { ...header(), ...receiptContent({ receiptId: 'tok-7', noticeNumber: '301000000000100121' }) });
    h.stations.reset();
    expect(h.stations.receipts()).to.have.length(0);
    expect(h.stations.position(EC, '301000000000100121')!.state).to.equal('payable');
  });
});
