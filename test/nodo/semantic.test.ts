import { expect } from 'chai';
import type { HandlerResult } from '../../src/soap/endpoint.ts';
import { wrap } from '../../src/soap/envelope.ts';
import type { BuildObject } from '../../src/xml/build.ts';
import { NS } from '../../src/xml/schemas.ts';
import { activateReq, bodyOf, faultOf, IBAN, notice, SCRIPTED_EC, startWorld, verifyReq, type World } from './helpers.ts';

const NN = notice(3, '01', 21);
const IUV = NN.slice(1);

const tr = (id: number, amount: string, extra: BuildObject = {}): BuildObject => ({
  idTransfer: String(id),
  transferAmount: amount,
  fiscalCodePA: SCRIPTED_EC,
  IBAN,
  remittanceInformation: 'quota',
  transferCategory: '0101101IM',
  ...extra,
});

function getPayment(data: BuildObject | undefined, extra: BuildObject = {}): HandlerResult {
  const body = { outcome: 'OK', ...extra, data };
  return { kind: 'response', body: { 'pafn:paGetPaymentV2Response': { '@_xmlns:pafn': NS.paForNode, ...body } } };
}

function data(transfers: BuildObject[], amount = '100.00', extra: BuildObject = {}): BuildObject {
  return {
    creditorReferenceId: IUV,
    paymentAmount: amount,
    dueDate: '2026-12-31',
    description: 'TARI',
    companyName: 'Ente Scriptato',
    debtor: { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'ANONIMO' }, fullName: 'Mario Rossi' },
    transferList: { transfer: transfers },
    ...extra,
  };
}

describe('nodo: semantic rules on station answers (each response breaks one rule)', () => {
  let w: World;
  before(async () => {
    w = await startWorld();
  });
  after(async () => w.close());
  beforeEach(() => w.nodo.reset());

  async function expectRule(answer: HandlerResult, rule: string, code = 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE') {
    w.script(() => answer);
    const f = faultOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, NN)));
    expect(f.faultCode, rule).to.equal(code);
    const note = w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!.notes.join(' ');
    expect(note).to.contain(`semantic rule ${rule}`);
    expect(note).to.contain(`PSP gets ${code}`);
  }

  it('a correct answer passes (control case)', async () => {
    w.script(() => getPayment(data([tr(1, '60.00'), tr(2, '40.00')])));
    const b = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, NN)));
    expect(b['outcome']).to.equal('OK');
  });

  it('AMOUNT_SUM', () => expectRule(getPayment(data([tr(1, '60.00'), tr(2, '30.00')])), 'AMOUNT_SUM'));
  it('TRANSFER_IDS (duplicate ids)', () => expectRule(getPayment(data([tr(1, '60.00'), tr(1, '40.00')])), 'TRANSFER_IDS'));
  it('TRANSFER_IDS_SEQUENCE: a gap (1, 3) is refused, as the real Nodo does (issue 14)', () =>
    expectRule(getPayment(data([tr(1, '60.00'), tr(3, '40.00')])), 'TRANSFER_IDS_SEQUENCE'));
  it('TRANSFER_IDS_SEQUENCE: ids out of order (2, 1) are refused', () =>
    expectRule(getPayment(data([tr(2, '60.00'), tr(1, '40.00')])), 'TRANSFER_IDS_SEQUENCE'));
  it('TRANSFER_IDS_SEQUENCE stays a warning with semantic.strictTransferIdSequence false', async () => {
    w.nodo.options.semantic.strictTransferIdSequence = false;
    try {
      w.script(() => getPayment(data([tr(1, '60.00'), tr(3, '40.00')])));
      const b = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, NN)));
      expect(b['outcome']).to.equal('OK');
      const note = w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!.notes.join(' ');
      expect(note).to.contain('warning TRANSFER_IDS_SEQUENCE');
    } finally {
      w.nodo.options.semantic.strictTransferIdSequence = true;
    }
  });
  it('IBAN_FORM', () => expectRule(getPayment(data([tr(1, '100.00', { IBAN: 'NOT-AN-IBAN' })])), 'IBAN_FORM'));
  it('IBAN_REGISTERED', () => expectRule(getPayment(data([tr(1, '100.00', { IBAN: 'IT02L1234512345123456789012' })])), 'IBAN_REGISTERED'));
  it('SECONDARY_EC_KNOWN', () => expectRule(getPayment(data([tr(1, '60.00'), tr(2, '40.00', { fiscalCodePA: '12312312312' })])), 'SECONDARY_EC_KNOWN'));
  it('SECONDARY_EC_ENABLED', () => expectRule(getPayment(data([tr(1, '60.00'), tr(2, '40.00', { fiscalCodePA: '44444444444' })])), 'SECONDARY_EC_ENABLED'));
  it('OK_WITH_FAULT', () =>
    expectRule(getPayment(data([tr(1, '100.00')]), { fault: { faultCode: 'PAA_SEMANTICA', faultString: 'x', id: SCRIPTED_EC } }), 'OK_WITH_FAULT'));
  it('DATA_PRESENT', () => expectRule(getPayment(undefined), 'DATA_PRESENT'));

  it('IBAN_REGISTERED can map to PPT_IBAN_NON_CENSITO (switch)', async () => {
    w.nodo.options.semantic.ibanNotRegisteredCode = 'PPT_IBAN_NON_CENSITO';
    try {
      await expectRule(getPayment(data([tr(1, '100.00', { IBAN: 'IT02L1234512345123456789012' })])), 'IBAN_REGISTERED', 'PPT_IBAN_NON_CENSITO');
    } finally {
      w.nodo.options.semantic.ibanNotRegisteredCode = 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE';
    }
  });

  it('IUV_MATCH is a warning by default: a typed finding of the station call, also written in its notes', async () => {
    w.script(() => getPayment(data([tr(1, '100.00')], '100.00', { creditorReferenceId: '99999999999999999' })));
    const b = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, NN)));
    expect(b['outcome']).to.equal('OK');
    const call = w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!;
    expect(call.findings).to.deep.equal([
      { code: 'IUV_MATCH', severity: 'warning', message: `creditorReferenceId 99999999999999999 does not match notice number ${NN} (expected IUV ${IUV})` },
    ]);
    expect(call.notes.join(' ')).to.contain('warning IUV_MATCH');
  });

  it('an answer with a non-XML Content-Type is used, with the typed finding ANSWER_CONTENT_TYPE on the station call', async () => {
    const valid = getPayment(data([tr(1, '100.00')])) as { body: BuildObject };
    w.script(() => ({ kind: 'raw', status: 200, contentType: 'text/html', body: wrap(valid.body) }));
    const b = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, NN)));
    expect(b['outcome']).to.equal('OK');
    const call = w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!;
    expect(call.findings?.map((f) => [f.code, f.severity])).to.deep.equal([['ANSWER_CONTENT_TYPE', 'warning']]);
    expect(call.findings![0]!.message).to.contain('Content-Type text/html');
  });

  it('a control case has no findings', async () => {
    w.script(() => getPayment(data([tr(1, '100.00')])));
    expect(bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, NN)))['outcome']).to.equal('OK');
    expect(w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!.findings).to.equal(undefined);
  });

  const verifyRes = (fields: BuildObject): HandlerResult => ({
    kind: 'response',
    body: { 'pafn:paVerifyPaymentNoticeRes': { '@_xmlns:pafn': NS.paForNode, ...fields } },
  });
  const option = { paymentOptionDescription: { amount: '100.00', options: 'EQ', allCCP: 'false' } };

  it('verify: VERIFY_PAYMENT_LIST', async () => {
    w.script(() => verifyRes({ outcome: 'OK', paymentDescription: 'x', fiscalCodePA: SCRIPTED_EC, companyName: 'E' }));
    expect(faultOf(await w.psp('verifyPaymentNotice', verifyReq(SCRIPTED_EC, NN))).faultCode).to.equal('PPT_STAZIONE_INT_PA_ERRORE_RESPONSE');
    expect(w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!.notes.join(' ')).to.contain('VERIFY_PAYMENT_LIST');
  });

  it('verify: VERIFY_REQUIRED_TAGS', async () => {
    w.script(() => verifyRes({ outcome: 'OK', paymentList: option, fiscalCodePA: SCRIPTED_EC }));
    expect(faultOf(await w.psp('verifyPaymentNotice', verifyReq(SCRIPTED_EC, NN))).faultCode).to.equal('PPT_STAZIONE_INT_PA_ERRORE_RESPONSE');
    expect(w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!.notes.join(' ')).to.contain('VERIFY_REQUIRED_TAGS');
  });

  it('verify: KO_WITHOUT_FAULT', async () => {
    w.script(() => verifyRes({ outcome: 'KO' }));
    expect(faultOf(await w.psp('verifyPaymentNotice', verifyReq(SCRIPTED_EC, NN))).faultCode).to.equal('PPT_STAZIONE_INT_PA_ERRORE_RESPONSE');
    expect(w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!.notes.join(' ')).to.contain('KO_WITHOUT_FAULT');
  });

  it('verify: a correct answer passes', async () => {
    w.script(() => verifyRes({ outcome: 'OK', paymentList: option, paymentDescription: 'x', fiscalCodePA: SCRIPTED_EC, companyName: 'E' }));
    expect(bodyOf(await w.psp('verifyPaymentNotice', verifyReq(SCRIPTED_EC, NN)))['outcome']).to.equal('OK');
  });
});
