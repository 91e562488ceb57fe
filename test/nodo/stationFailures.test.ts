import { expect } from 'chai';
import type { Registry } from '../../src/nodo/registry.ts';
import { activateReq, EC, faultOf, nodoNotes, notice, position, PSP_V1, startWorld, verifyReq, type World } from './helpers.ts';

const NN = notice(3, '01', 11);

describe('nodo: station failure classes → PPT codes (reference station injections)', () => {
  let w: World;
  let base: Registry;
  before(async () => {
    w = await startWorld({ positions: [position(EC, NN)] });
    base = w.nodo.registry();
  });
  after(async () => w.close());
  beforeEach(() => {
    w.nodo.setRegistry(base);
    w.stations.clearInjections();
    w.nodo.reset();
  });

  const cases: [string, unknown, string][] = [
    ['close', 'close', 'PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE'],
    ['reset', 'reset', 'PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE'],
    ['http500', 'http500', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['malformed', 'malformed', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['koWithoutFault', 'koWithoutFault', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['paymentAmount ≠ Σ transferAmount', { mutate: 'set', path: 'data.paymentAmount', value: '99.00' }, 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['wrongIban (not registered)', { wrongIban: 'IT99X0000000000000000000001' }, 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['schema: remove data/description', { mutate: 'remove', path: 'data.description' }, 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
  ];
  for (const [name, action, code] of cases) {
    it(`paGetPaymentV2 ${name} → ${code}`, async () => {
      const inj = w.stations.inject({ operation: 'paGetPaymentV2', action });
      expect(inj.ok, JSON.stringify(inj)).to.equal(true);
      const f = faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)));
      expect(f.faultCode).to.equal(code);
      expect(f.id).to.equal('NodoDeiPagamentiSPC');
      const out = w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!;
      expect(out.notes.join(' ')).to.contain(`PSP gets ${code}`);
    });
  }

  it('an EC amount different from the PSP amount is not an error: the EC value wins (§3)', async () => {
    w.stations.inject({ operation: 'paGetPaymentV2', action: { amountMismatch: '1.00' } });
    const b = await w.psp('activatePaymentNoticeV2', activateReq(EC, NN));
    expect(b.ok && b.message.bodyChild.value['totalAmount']).to.equal('101.00');
  });

  it('no answer within the station timeout → PPT_STAZIONE_INT_PA_TIMEOUT', async () => {
    // the station's own 300 ms timeout, against an answer held until the Nodo gives up
    w.nodo.setRegistry({
      ...base,
      stations: base.stations.map((s) => (s.stationCode === '77777777777_01' ? { ...s, timeouts: { paVerifyPaymentNotice: 300 } } : s)),
    });
    w.stations.inject({ operation: 'paVerifyPaymentNotice', action: 'hold' });
    const f = faultOf(await w.psp('verifyPaymentNotice', verifyReq(EC, NN)));
    expect(f.faultCode).to.equal('PPT_STAZIONE_INT_PA_TIMEOUT');
    const call = w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!;
    expect(call.failure).to.equal('timeout');
    expect(call.notes.join(' ')).to.match(/within 300 ms/);
    await w.stations.whenIdle();
  });

  it('the schema issue is recorded with its path and line:col', async () => {
    w.stations.inject({ operation: 'paGetPaymentV2', action: { mutate: 'remove', path: 'data.description' } });
    await w.psp('activatePaymentNoticeV2', activateReq(EC, NN));
    const note = w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!.notes[0]!;
    expect(note).to.match(/schema-invalid/);
    expect(note).to.match(/\d+:\d+ \/\S+/);
  });

  it('a PAA KO is relayed with the extended bean on a newFaultCode channel', async () => {
    w.stations.inject({
      operation: 'paGetPaymentV2',
      action: { fault: 'PAA_PAGAMENTO_SCADUTO', faultString: 'scaduto', description: 'expired on 2025-12-31' },
    });
    const f = faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)));
    expect(f).to.include({
      faultCode: 'PPT_ERRORE_EMESSO_DA_PAA',
      id: EC,
      originalFaultCode: 'PAA_PAGAMENTO_SCADUTO',
      originalFaultString: 'scaduto',
      originalDescription: 'expired on 2025-12-31',
    });
  });

  it('a PAA KO is packed in description on a legacy channel', async () => {
    w.stations.inject({ operation: 'paVerifyPaymentNotice', action: { fault: 'PAA_PAGAMENTO_ANNULLATO', faultString: 'annullato', description: 'cancelled' } });
    const f = faultOf(await w.psp('verifyPaymentNotice', verifyReq(EC, NN, PSP_V1)));
    expect(f.faultCode).to.equal('PPT_ERRORE_EMESSO_DA_PAA');
    expect(f.id).to.equal(EC);
    expect(f.originalFaultCode).to.equal(undefined);
    expect(f.description).to.equal('FaultCode PA: PAA_PAGAMENTO_ANNULLATO FaultString PA: annullato Description PA: cancelled');
  });

  it('every PAA code of §8.4 is relayed as is', async () => {
    for (const code of [
      'PAA_PAGAMENTO_SCONOSCIUTO',
      'PAA_PAGAMENTO_DUPLICATO',
      'PAA_PAGAMENTO_IN_CORSO',
      'PAA_SEMANTICA',
      'PAA_SYSTEM_ERROR',
      'PAA_ID_DOMINIO_ERRATO',
    ]) {
      w.stations.clearInjections();
      w.stations.inject({ operation: 'paVerifyPaymentNotice', action: { fault: code } });
      const f = faultOf(await w.psp('verifyPaymentNotice', verifyReq(EC, NN)));
      expect(f.originalFaultCode, code).to.equal(code);
    }
    expect(nodoNotes(w.journal, 'paVerifyPaymentNotice').join(' ')).to.contain('relayed as PPT_ERRORE_EMESSO_DA_PAA');
  });

  it('an unreachable station (nothing listening) → PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE', async () => {
    w.nodo.options.stationUrls['77777777777_01'] = 'http://127.0.0.1:9/none';
    try {
      const f = faultOf(await w.psp('verifyPaymentNotice', verifyReq(EC, NN)));
      expect(f.faultCode).to.equal('PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE');
    } finally {
      delete w.nodo.options.stationUrls['77777777777_01'];
    }
  });
});
