import { expect } from 'chai';
import type { Journal } from '../../src/soap/exchange.ts';
import { callSoap } from '../../src/soap/client.ts';
import { wrap } from '../../src/soap/envelope.ts';
import { NS } from '../../src/xml/schemas.ts';
import { pick } from '../../src/xml/read.ts';
import type { Gpd } from '../../src/gpd/gpd.ts';
import { join } from 'node:path';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { normalizePositions } from '../../src/station/positions.ts';
import { EC, position, startGpd, type Started } from '../send/helpers.ts';

const ids = { idPA: EC, idBrokerPA: EC, idStation: `${EC}_99` };

function qr(nav: string) {
  return { qrCode: { fiscalCode: EC, noticeNumber: nav } };
}

function receipt(nav: string, iuv: string, receiptId: string) {
  return {
    receiptId,
    noticeNumber: nav,
    fiscalCode: EC,
    outcome: 'OK',
    creditorReferenceId: iuv,
    paymentAmount: '102.00',
    description: 'TARI 2026',
    companyName: 'Comune di Esempio',
    debtor: { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'RSSMRA80A01H501U' }, fullName: 'Mario Rossi' },
    transferList: {
      transfer: [
        {
          idTransfer: '1',
          transferAmount: '102.00',
          fiscalCodePA: EC,
          IBAN: 'IT60X0542811101000000123456',
          remittanceInformation: 'x',
          transferCategory: '0101101IM',
        },
      ],
    },
    idPSP: '88888888888',
    PSPCompanyName: 'PSP',
    idChannel: '88888888888_01',
    channelDescription: 'app',
    metadata: { mapEntry: [{ key: 'NOTIFICATION_FEE', value: '200' }] },
  };
}

describe('send/GPD as a station (paForNode at /gpd/paForNode)', () => {
  let app: Started;
  let gpd: Gpd;
  let journal: Journal;

  async function soap(op: string, element: string, body: object) {
    const envelope = wrap({ [`pafn:${element}`]: { '@_xmlns:pafn': NS.paForNode, ...ids, ...body } });
    const r = await callSoap({ url: `${app.baseUrl}/gpd/paForNode`, soapAction: op, envelope, timeoutMs: 60_000 });
    if (!r.ok) throw new Error(`call failed: ${r.kind} ${r.message}`);
    const rec = journal.list({ party: 'gpd', operation: op }).at(-1)!;
    expect(rec.responseIssues, 'our response is XSD-valid').to.deep.equal([]);
    expect(r.message.issues).to.deep.equal([]);
    return r.message.bodyChild.value;
  }

  before(async () => {
    ({ app, gpd, journal } = await startGpd());
  });
  after(() => app.close());
  beforeEach(() => {
    gpd.reset();
    expect(gpd.createPosition(EC, position('A', '01000000000000001')).ok).to.equal(true);
    expect(gpd.store.setNotificationFee(EC, '301000000000000001', 200).ok).to.equal(true);
  });

  it('serves the WSDL', async () => {
    const r = await fetch(`${app.baseUrl}/gpd/paForNode?wsdl`);
    expect(r.status).to.equal(200);
    expect(await r.text()).to.contain(`location="${app.baseUrl}/gpd/paForNode"`);
  });

  it('paVerifyPaymentNotice: amount including the notification fee', async () => {
    const res = await soap('paVerifyPaymentNotice', 'paVerifyPaymentNoticeReq', qr('301000000000000001'));
    expect(res['outcome']).to.equal('OK');
    expect(pick(res, 'paymentList.paymentOptionDescription.0.amount')).to.equal('102.00');
    expect(res['fiscalCodePA']).to.equal(EC);
  });

  it('paGetPaymentV2: amount + fee on the primary transfer, NOTIFICATION_FEE in data/metadata', async () => {
    const res = await soap('paGetPaymentV2', 'paGetPaymentV2Request', { ...qr('301000000000000001'), amount: '102.00' });
    expect(res['outcome']).to.equal('OK');
    expect(pick(res, 'data.paymentAmount')).to.equal('102.00');
    expect(pick(res, 'data.transferList.transfer.0.transferAmount')).to.equal('82.00');
    expect(pick(res, 'data.transferList.transfer.1.transferAmount')).to.equal('20.00');
    expect(pick(res, 'data.metadata.mapEntry')).to.deep.equal([{ key: 'NOTIFICATION_FEE', value: '200' }]);
    expect(pick(res, 'data.companyName')).to.equal('Comune di Esempio');
  });

  it('paGetPayment (V1) is valid too, with NOTIFICATION_FEE in data/metadata', async () => {
    const res = await soap('paGetPayment', 'paGetPaymentReq', qr('301000000000000001'));
    expect(res['outcome']).to.equal('OK');
    expect(pick(res, 'data.metadata.mapEntry.0.value')).to.equal('200');
  });

  it('paSendRTV2 marks the option paid; the second receipt is PAA_RECEIPT_DUPLICATA; verify then says PAA_PAGAMENTO_DUPLICATO', async () => {
    const first = await soap('paSendRTV2', 'paSendRTV2Request', { receipt: receipt('301000000000000001', '01000000000000001', 'tok1') });
    expect(first['outcome']).to.equal('OK');
    expect(gpd.store.findOption(EC, '301000000000000001')!.option.status).to.equal('PO_PAID');
    expect(gpd.store.findOption(EC, '301000000000000001')!.option.receipt!.notificationFeeInReceipt).to.equal('200');
    expect(gpd.store.findOption(EC, '301000000000000001')!.position.status).to.equal('PAID');
    const dup = await soap('paSendRTV2', 'paSendRTV2Request', { receipt: receipt('301000000000000001', '01000000000000001', 'tok1') });
    expect(pick(dup, 'fault.faultCode')).to.equal('PAA_RECEIPT_DUPLICATA');
    const verify = await soap('paVerifyPaymentNotice', 'paVerifyPaymentNoticeReq', qr('301000000000000001'));
    expect(pick(verify, 'fault.faultCode')).to.equal('PAA_PAGAMENTO_DUPLICATO');
    expect(pick(verify, 'fault.id')).to.equal(EC);
  });

  it('paSendRT (V1) marks paid as well', async () => {
    const { metadata: _m, ...v1 } = receipt('301000000000000001', '01000000000000001', 'tok2');
    const res = await soap('paSendRT', 'paSendRTReq', { receipt: v1 });
    expect(res['outcome']).to.equal('OK');
  });

  it('maps GPD states to PAA codes (docs/primitives.md §8.4 [GPD-PAY])', async () => {
    const code = async (nav: string) => pick(await soap('paGetPaymentV2', 'paGetPaymentV2Request', qr(nav)), 'fault.faultCode');
    expect(await code('301000000000000999')).to.equal('PAA_PAGAMENTO_SCONOSCIUTO');
    gpd.createPosition(EC, position('D', '01000000000000002'), { toPublish: false });
    expect(await code('301000000000000002')).to.equal('PAA_PAGAMENTO_SCONOSCIUTO');
    gpd.createPosition(EC, position('I', '01000000000000003'));
    gpd.store.invalidate(EC, 'I');
    expect(await code('301000000000000003')).to.equal('PAA_PAGAMENTO_ANNULLATO');
    const exp = position('E', '01000000000000004', { switchToExpired: true });
    exp.paymentOption[0]!.dueDate = '2026-02-01';
    gpd.createPosition(EC, exp);
    expect(await code('301000000000000004')).to.equal('PAA_PAGAMENTO_SCADUTO');
  });

  it('a stamp transfer is served as richiestaMarcaDaBollo in V2 and refused (PAA_SEMANTICA) in V1', async () => {
    const p = position('S', '01000000000000005');
    p.paymentOption[0]!.amount = 11600;
    p.paymentOption[0]!.transfer = [
      { idTransfer: '1', amount: 10000, remittanceInformation: 'Diritti', category: '0101101IM', iban: 'IT60X0542811101000000123456' },
      {
        idTransfer: '2',
        amount: 1600,
        remittanceInformation: 'Marca da bollo',
        category: '9/0301116TS/9/24B0060000000017',
        stamp: { hashDocument: '7cXyzDyVsqi6TwCqk9T9P4BHTRtZpwj8CAyk2bTK0vg=', stampType: '01', provincialResidence: 'RM' },
      },
    ];
    expect(gpd.createPosition(EC, p).ok).to.equal(true);
    const v2 = await soap('paGetPaymentV2', 'paGetPaymentV2Request', qr('301000000000000005'));
    expect(pick(v2, 'data.transferList.transfer.1.richiestaMarcaDaBollo.tipoBollo')).to.equal('01');
    expect(pick(v2, 'data.paymentAmount')).to.equal('116.00');
    const v1 = await soap('paGetPayment', 'paGetPaymentReq', qr('301000000000000005'));
    expect(pick(v1, 'fault.faultCode')).to.equal('PAA_SEMANTICA');
  });

  it('paDemandPaymentNotice for a service GPD holds: data validated against the service XSD, a published position created from it (issue 14)', async () => {
    const svc = normalizePositions({
      services: [
        {
          idServizio: '00001',
          idSoggettoServizio: '00001',
          fiscalCode: EC,
          segregationCode: '05',
          xsd: join(SCENARIOS_DIR, 'fixtures', 'services', 'diritti-segreteria-1.0.xsd'),
          from: { amount: 'importo', debtorId: 'richiedente.codiceFiscale', debtorName: 'richiedente.nominativo', description: 'causale' },
          maxAmount: 100,
          description: 'Diritti',
          companyName: 'Comune di Esempio',
          iban: 'IT60X0542811101000000123456',
          category: '9/0101108TS/',
        },
      ],
    });
    if (!svc.ok) throw new Error(JSON.stringify(svc.issues));
    gpd.addService(svc.config.services[0]!);
    const data = (importo: string, tipo = 'CERTIFICATO') =>
      Buffer.from(
        `<richiestaDiritti xmlns="http://servizi.example.it/diritti-segreteria/1.0"><richiedente><codiceFiscale>VRDLGU75B02F205X</codiceFiscale><nominativo>Luigi Verdi</nominativo></richiedente><tipoAtto>${tipo}</tipoAtto><causale>Copia</causale><importo>${importo}</importo></richiestaDiritti>`,
      ).toString('base64');
    const demand = (b64: string, idServizio = '00001') =>
      soap('paDemandPaymentNotice', 'paDemandPaymentNoticeRequest', { idServizio, idSoggettoServizio: '00001', datiSpecificiServizioRequest: b64 });
    const ok = await demand(data('32.50'));
    expect(ok['outcome']).to.equal('OK');
    const nav = String(pick(ok, 'qrCode.noticeNumber'));
    expect(nav).to.match(/^3059\d{14}$/);
    const ref = gpd.store.findOption(EC, nav)!;
    expect([ref.position.status, ref.position.fullName, ref.option.amount, ref.option.status]).to.deep.equal(['VALID', 'Luigi Verdi', 3250, 'PO_UNPAID']);
    expect(pick(await soap('paVerifyPaymentNotice', 'paVerifyPaymentNoticeReq', qr(nav)), 'paymentList.paymentOptionDescription.0.amount')).to.equal('32.50');
    expect(String(pick(await demand(data('32.50')), 'qrCode.noticeNumber')), 'each demand gets its own notice').not.to.equal(nav);
    const invalid = await demand(data('32.50', 'ALTRO'));
    expect(pick(invalid, 'fault.faultCode')).to.equal('PAA_SINTASSI_XSD');
    expect(String(pick(invalid, 'fault.description'))).to.match(/tipoAtto \(line 1:\d+\)/);
    expect(pick(await demand(data('100.01')), 'fault.faultCode')).to.equal('PAA_SEMANTICA');
    expect(pick(await demand(data('1.00'), '00009'), 'fault.faultCode')).to.equal('PAA_SEMANTICA');
  });

  it('POST /_control/gpd/services declares a service over HTTP (positions-file format): a demand for it then creates a position; a wrong one is a 400 saying why', async () => {
    const post = (body: unknown) =>
      fetch(`${app.baseUrl}/_control/gpd/services`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const svc = {
      idServizio: '00007',
      idSoggettoServizio: '00007',
      fiscalCode: EC,
      segregationCode: '05',
      amount: 12.5,
      description: 'Bollettino mensa',
      companyName: 'Comune di Esempio',
      iban: 'IT60X0542811101000000123456',
      category: '9/0101108TS/',
    };
    const bad = await post({ ...svc, iban: undefined });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { detail: string }).detail).to.match(/^Failed to add the GPD service: .*iban/);
    expect((await post(svc)).status).to.equal(201);
    const listed = (await (await fetch(`${app.baseUrl}/_control/gpd/services`)).json()) as { idServizio: string }[];
    expect(listed.map((x) => x.idServizio)).to.deep.equal(['00007']);
    const ok = await soap('paDemandPaymentNotice', 'paDemandPaymentNoticeRequest', {
      idServizio: '00007',
      idSoggettoServizio: '00007',
      datiSpecificiServizioRequest: Buffer.from('<any/>').toString('base64'),
    });
    expect([ok['outcome'], pick(ok, 'paymentList.paymentOptionDescription.0.amount')]).to.deep.equal(['OK', '12.50']);
    expect(gpd.store.findOption(EC, String(pick(ok, 'qrCode.noticeNumber')))?.option.amount).to.equal(1250);
  });

  it('answers PAA_SINTASSI_EXTRAXSD to an XSD-invalid request', async () => {
    const envelope = wrap({ 'pafn:paVerifyPaymentNoticeReq': { '@_xmlns:pafn': NS.paForNode, ...ids, qrCode: { fiscalCode: EC, noticeNumber: '12' } } });
    const r = await callSoap({ url: `${app.baseUrl}/gpd/paForNode`, soapAction: 'paVerifyPaymentNotice', envelope, timeoutMs: 60_000 });
    expect(r.ok).to.equal(true);
    if (r.ok) expect(pick(r.message.bodyChild.value, 'fault.faultCode')).to.equal('PAA_SINTASSI_EXTRAXSD');
  });
});
