import { expect } from 'chai';
import {
  activateReq,
  bodyOf,
  EC,
  faultOf,
  notice,
  outcomeReq,
  outcomeV2Req,
  position,
  PSP_V1,
  startWorld,
  transfer,
  verifyReq,
  type World,
} from './helpers.ts';

const NN_V2 = notice(3, '01', 1); // → 77777777777_01 (primitiveVersion 2)
const NN_V1 = notice(3, '02', 2); // → 77777777777_02 (primitiveVersion 1)

describe('nodo: verify, activate and outcome against the reference station', () => {
  let w: World;
  beforeEach(async () => {
    w = await startWorld({ positions: [position(EC, NN_V2), position(EC, NN_V1)] });
  });
  afterEach(async () => w.close());

  it('verifyPaymentNotice OK maps the station option', async () => {
    const b = bodyOf(await w.psp('verifyPaymentNotice', verifyReq(EC, NN_V2)));
    expect(b['outcome']).to.equal('OK');
    expect((b['paymentList'] as any).paymentOptionDescription[0].amount).to.equal('100.00');
    expect(b['fiscalCodePA']).to.equal(EC);
    const out = w.journal.list({ party: 'nodo', direction: 'outbound' });
    expect(out.map((e) => [e.operation, e.to])).to.deep.equal([['paVerifyPaymentNotice', 'station:77777777777_01']]);
  });

  it('activatePaymentNoticeV2 on a V2 station calls paGetPaymentV2 and returns a 32-hex token', async () => {
    const b = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN_V2)));
    expect(b['outcome']).to.equal('OK');
    expect(b['paymentToken']).to.match(/^[0-9a-f]{32}$/);
    expect(b['totalAmount']).to.equal('100.00');
    expect(b['creditorReferenceId']).to.equal(NN_V2.slice(1));
    expect(w.journal.list({ party: 'nodo', direction: 'outbound' })[0]!.operation).to.equal('paGetPaymentV2');
    const inbound = w.journal.list({ party: 'nodo', direction: 'inbound', operation: 'activatePaymentNoticeV2' })[0]!;
    expect(inbound.meta).to.include({ noticeNumber: NN_V2, fiscalCode: EC, idStation: '77777777777_01', paymentToken: b['paymentToken'] });
  });

  it('activatePaymentNotice (V1) on a V1 station calls paGetPayment', async () => {
    const b = bodyOf(await w.psp('activatePaymentNotice', activateReq(EC, NN_V1, {}, PSP_V1)));
    expect(b['outcome']).to.equal('OK');
    expect((b['transferList'] as any).transfer[0].IBAN).to.equal('IT60X0542811101000000123456');
    expect(w.journal.list({ party: 'nodo', direction: 'outbound' })[0]!.operation).to.equal('paGetPayment');
  });

  it('tokens are deterministic with a seed', async () => {
    const a = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN_V2)))['paymentToken'];
    const other = await startWorld({ positions: [position(EC, NN_V2)] });
    try {
      const b = bodyOf(await other.psp('activatePaymentNoticeV2', activateReq(EC, NN_V2)))['paymentToken'];
      expect(b).to.equal(a);
    } finally {
      await other.close();
    }
  });

  it('OK outcome closes the payment, hands it to receipt delivery, and the notice is then PPT_PAGAMENTO_DUPLICATO without calling the station', async () => {
    const token = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN_V2)))['paymentToken'] as string;
    const r = bodyOf(await w.psp('sendPaymentOutcomeV2', outcomeV2Req([token], 'OK')));
    expect(r['outcome']).to.equal('OK');
    expect(w.nodo.session(token)!.state).to.equal('PAID');
    await w.nodo.receipts.whenIdle();
    const rec = w.nodo.receipts.receiptsOf(token);
    expect(rec.length).to.be.greaterThan(0);
    expect(rec[0]!.idStation).to.equal('77777777777_01');
    const stationCalls = () => w.journal.list({ party: 'nodo', direction: 'outbound' }).filter((e) => !e.operation.startsWith('paSendRT')).length;
    const calls = stationCalls();
    for (const op of ['verifyPaymentNotice', 'activatePaymentNoticeV2'] as const) {
      const res = await w.psp(op, op === 'verifyPaymentNotice' ? verifyReq(EC, NN_V2) : activateReq(EC, NN_V2));
      expect(faultOf(res).faultCode).to.equal('PPT_PAGAMENTO_DUPLICATO');
    }
    expect(stationCalls()).to.equal(calls);
  });

  it('sendPaymentOutcome V1 with the legacy channel', async () => {
    const token = bodyOf(await w.psp('activatePaymentNotice', activateReq(EC, NN_V1, {}, PSP_V1)))['paymentToken'] as string;
    const r = bodyOf(await w.psp('sendPaymentOutcome', outcomeReq(token, 'OK', {}, PSP_V1)));
    expect(r['outcome']).to.equal('OK');
    expect(w.nodo.session(token)!.outcome).to.include({ outcome: 'OK', primitive: 'sendPaymentOutcome', late: false });
  });

  it('a multi-beneficiary V2 notice activated with V1 → PPT_MULTI_BENEFICIARIO', async () => {
    const nn = notice(3, '01', 7);
    w.stations.loadPositions([position(EC, nn, [transfer(EC, 6000), transfer('11111111111', 4000, 'IT02L1234512345123456789099')])]);
    const f = faultOf(await w.psp('activatePaymentNotice', activateReq(EC, nn, {}, PSP_V1)));
    expect(f.faultCode).to.equal('PPT_MULTI_BENEFICIARIO');
    const ok = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, nn)));
    expect(ok['outcome']).to.equal('OK');
    expect((ok['transferList'] as any).transfer).to.have.length(2);
  });

  it('serves the nodeForPsp WSDL', async () => {
    const res = await fetch(`${w.base}/nodo?wsdl`);
    const text = await res.text();
    expect(res.status).to.equal(200);
    expect(text).to.contain(`location="${w.base}/nodo"`);
  });
});
