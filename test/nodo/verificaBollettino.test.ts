import { expect } from 'chai';
import { activateReq, bodyOf, EC, faultOf, nodoNotes, notice, outcomeV2Req, position, PSP, startWorld, transfer, type World } from './helpers.ts';

/** The default registry lists this postal account for EC 77777777777. */
const CC_POST = '000012345678';
const POSTAL_IBAN = 'IT57N0760101600000012345678';
const NN = notice(3, '01', 21); // → 77777777777_01
const NN_POSTAL = notice(3, '01', 22);

const bollettinoReq = (ccPost: string, noticeNumber: string, caller = PSP) => ({ ...caller, ccPost, noticeNumber });

describe('nodo: verificaBollettino (postal account → EC, then paVerifyPaymentNotice)', () => {
  let w: World;
  beforeEach(async () => {
    w = await startWorld({
      positions: [position(EC, NN), position(EC, NN_POSTAL, [transfer(EC, 2550, 'IT60X0542811101000000123456', { postalIban: POSTAL_IBAN })])],
    });
  });
  afterEach(async () => w.close());

  const stationCalls = () => w.journal.list({ party: 'nodo', direction: 'outbound' }).filter((e) => e.operation === 'paVerifyPaymentNotice');

  it('OK: the EC found by ccPost is verified on its station; the answer has noticeNumber and allCCP, in schema order', async () => {
    const r = await w.psp('verificaBollettino', bollettinoReq(CC_POST, NN_POSTAL));
    const b = bodyOf(r);
    expect(b['outcome']).to.equal('OK');
    const opt = (b['paymentBollettinoList'] as any).paymentOptionDescription[0];
    expect(opt).to.include({ amount: '25.50', options: 'EQ', allCCP: 'true' });
    expect(b).to.include({ fiscalCodePA: EC, noticeNumber: NN_POSTAL });
    expect(b).not.to.have.property('standin');
    expect(r.ok && r.message.issues).to.deep.equal([]);
    const calls = stationCalls();
    expect(calls.map((e) => e.to)).to.deep.equal(['station:77777777777_01']);
    expect(calls[0]!.request).to.contain(`<fiscalCode>${EC}</fiscalCode>`).and.contain(`<noticeNumber>${NN_POSTAL}</noticeNumber>`);
    const inbound = w.journal.list({ party: 'nodo', direction: 'inbound', operation: 'verificaBollettino' })[0]!;
    expect(inbound.meta).to.include({ ccPost: CC_POST, fiscalCode: EC, noticeNumber: NN_POSTAL, idStation: '77777777777_01' });
    expect(inbound.response).to.match(
      /<paymentBollettinoList>[\s\S]*<allCCP>true<\/allCCP>[\s\S]*<\/paymentBollettinoList>\s*<paymentDescription>[\s\S]*<fiscalCodePA>[\s\S]*<noticeNumber>[\s\S]*<companyName>/,
    );
  });

  it('a position with a non-postal transfer → allCCP false', async () => {
    const opt = (bodyOf(await w.psp('verificaBollettino', bollettinoReq(CC_POST, NN)))['paymentBollettinoList'] as any).paymentOptionDescription[0];
    expect(opt).to.include({ amount: '100.00', allCCP: 'false' });
  });

  it('an unknown postal account → PPT_DOMINIO_SCONOSCIUTO without calling any station', async () => {
    const f = faultOf(await w.psp('verificaBollettino', bollettinoReq('000099999999', NN)));
    expect(f.faultCode).to.equal('PPT_DOMINIO_SCONOSCIUTO');
    expect(f.description).to.contain('000099999999');
    expect(stationCalls()).to.have.length(0);
  });

  it('a PAA KO of the station is relayed as PPT_ERRORE_EMESSO_DA_PAA with id = EC (extended bean)', async () => {
    w.stations.inject({
      operation: 'paVerifyPaymentNotice',
      action: { fault: 'PAA_PAGAMENTO_SCADUTO', faultString: 'scaduto', description: 'expired on 2025-12-31' },
    });
    const f = faultOf(await w.psp('verificaBollettino', bollettinoReq(CC_POST, NN)));
    expect(f).to.include({
      faultCode: 'PPT_ERRORE_EMESSO_DA_PAA',
      id: EC,
      originalFaultCode: 'PAA_PAGAMENTO_SCADUTO',
      originalFaultString: 'scaduto',
      originalDescription: 'expired on 2025-12-31',
    });
  });

  it('a station that does not answer within its timeout → PPT_STAZIONE_INT_PA_TIMEOUT', async () => {
    // the station's own 300 ms timeout, against an answer held until the Nodo gives up
    const reg = w.nodo.registry();
    w.nodo.setRegistry({
      ...reg,
      stations: reg.stations.map((s) => (s.stationCode === '77777777777_01' ? { ...s, timeouts: { paVerifyPaymentNotice: 300 } } : s)),
    });
    w.stations.inject({ operation: 'paVerifyPaymentNotice', action: 'hold' });
    const f = faultOf(await w.psp('verificaBollettino', bollettinoReq(CC_POST, NN)));
    expect(f.faultCode).to.equal('PPT_STAZIONE_INT_PA_TIMEOUT');
    expect(stationCalls().at(-1)!.failure).to.equal('timeout');
    expect(nodoNotes(w.journal, 'paVerifyPaymentNotice').join(' ')).to.contain('PSP gets PPT_STAZIONE_INT_PA_TIMEOUT');
  });

  it('a live token → PPT_PAGAMENTO_IN_CORSO; once paid → PPT_PAGAMENTO_DUPLICATO; neither calls the station', async () => {
    const token = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)))['paymentToken'] as string;
    expect(faultOf(await w.psp('verificaBollettino', bollettinoReq(CC_POST, NN))).faultCode).to.equal('PPT_PAGAMENTO_IN_CORSO');
    expect(bodyOf(await w.psp('sendPaymentOutcomeV2', outcomeV2Req([token], 'OK')))['outcome']).to.equal('OK');
    await w.nodo.receipts.whenIdle();
    expect(faultOf(await w.psp('verificaBollettino', bollettinoReq(CC_POST, NN))).faultCode).to.equal('PPT_PAGAMENTO_DUPLICATO');
    expect(stationCalls()).to.have.length(0);
  });

  it('a ccPost of 11 digits → PPT_SINTASSI_EXTRAXSD, and the KO itself is XSD-valid', async () => {
    const r = await w.psp('verificaBollettino', bollettinoReq('00001234567', NN));
    const f = faultOf(r);
    expect(f.faultCode).to.equal('PPT_SINTASSI_EXTRAXSD');
    expect(f.description).to.contain('ccPost');
    expect(r.ok && r.message.issues).to.deep.equal([]);
    expect(stationCalls()).to.have.length(0);
  });

  it('caller checks come first: a wrong password → PPT_AUTENTICAZIONE', async () => {
    expect(faultOf(await w.psp('verificaBollettino', bollettinoReq(CC_POST, NN, { ...PSP, password: 'WRONGPASS' }))).faultCode).to.equal('PPT_AUTENTICAZIONE');
  });
});
