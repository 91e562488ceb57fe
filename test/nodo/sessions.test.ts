import { expect } from 'chai';
import { activateReq, bodyOf, EC, faultOf, notice, outcomeReq, outcomeV2Req, position, PSP, resetWorld, startWorld, verifyReq, type World } from './helpers.ts';

const NN = notice(3, '01', 31);
const NN_AUX0 = notice(0, '01', 32); // → 77777777777_02 (V1)
const NN_AUX2 = notice(2, undefined, 33); // EC 11111111111 → 11111111111_01
const NN_AUX1 = notice(1, undefined, 34); // EC 22222222222 → 22222222222_01
const KEY = '88888888888_a1B2c3D4e5';

describe('nodo: routing, caller checks, token lifecycle and idempotency', () => {
  let w: World;
  before(async () => {
    w = await startWorld({ positions: [position(EC, NN), position(EC, NN_AUX0), position('11111111111', NN_AUX2), position('22222222222', NN_AUX1)] });
  });
  after(async () => w.close());
  beforeEach(() => resetWorld(w));

  describe('routing aux 0-3', () => {
    const routes: [string, string, string][] = [
      ['aux 3 seg 01', NN, '77777777777_01'],
      ['aux 0 app 01', NN_AUX0, '77777777777_02'],
    ];
    for (const [name, nn, station] of routes) {
      it(`${name} → ${station}`, async () => {
        expect(bodyOf(await w.psp('verifyPaymentNotice', verifyReq(EC, nn)))['outcome']).to.equal('OK');
        expect(w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!.to).to.equal(`station:${station}`);
      });
    }
    it('aux 2 → the EC single aux-2 association', async () => {
      expect(bodyOf(await w.psp('verifyPaymentNotice', verifyReq('11111111111', NN_AUX2)))['outcome']).to.equal('OK');
      expect(w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!.to).to.equal('station:11111111111_01');
    });
    it('aux 1 → the EC single aux-1 association', async () => {
      expect(bodyOf(await w.psp('verifyPaymentNotice', verifyReq('22222222222', NN_AUX1)))['outcome']).to.equal('OK');
      expect(w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!.to).to.equal('station:22222222222_01');
    });
    const kos: [string, string, string, string][] = [
      ['unknown EC', '12345678901', NN, 'PPT_DOMINIO_SCONOSCIUTO'],
      ['disabled EC', '44444444444', NN, 'PPT_DOMINIO_DISABILITATO'],
      ['no association for the segregation code', EC, notice(3, '42', 1), 'PPT_STAZIONE_INT_PA_SCONOSCIUTA'],
      ['disabled station', EC, notice(3, '03', 1), 'PPT_STAZIONE_INT_PA_DISABILITATA'],
      ['no aux-1 association', EC, notice(1, undefined, 5), 'PPT_STAZIONE_INT_PA_SCONOSCIUTA'],
    ];
    for (const [name, fc, nn, code] of kos) {
      it(`${name} → ${code}`, async () => {
        expect(faultOf(await w.psp('verifyPaymentNotice', verifyReq(fc, nn))).faultCode).to.equal(code);
      });
    }
  });

  describe('caller checks (§8.1 order)', () => {
    const kos: [string, Partial<typeof PSP>, string][] = [
      ['unknown PSP', { idPSP: '12345678901' }, 'PPT_PSP_SCONOSCIUTO'],
      ['disabled PSP', { idPSP: '66666666666' }, 'PPT_PSP_DISABILITATO'],
      ['unknown PSP broker', { idBrokerPSP: '12345678901' }, 'PPT_INTERMEDIARIO_PSP_SCONOSCIUTO'],
      ['unknown channel', { idChannel: '88888888888_99' }, 'PPT_CANALE_SCONOSCIUTO'],
      ['disabled channel', { idChannel: '88888888888_03' }, 'PPT_CANALE_DISABILITATO'],
      ['wrong password', { password: 'WRONGPASS1' }, 'PPT_AUTENTICAZIONE'],
    ];
    for (const [name, patch, code] of kos) {
      it(`${name} → ${code}`, async () => {
        expect(faultOf(await w.psp('verifyPaymentNotice', verifyReq(EC, NN, { ...PSP, ...patch }))).faultCode).to.equal(code);
        expect(w.journal.list({ party: 'nodo', direction: 'outbound' })).to.have.length(0);
      });
    }
    it('XSD-invalid request → PPT_SINTASSI_EXTRAXSD as a KO response, before caller checks', async () => {
      const r = await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { amount: '10,00' }, { ...PSP, idPSP: 'unknown' }));
      const f = faultOf(r);
      expect(f.faultCode).to.equal('PPT_SINTASSI_EXTRAXSD');
      expect(f.description).to.match(/amount/);
    });
    it('expirationTime above 1800000 → PPT_SINTASSI_EXTRAXSD', async () => {
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { expirationTime: '1800001' }))).faultCode).to.equal('PPT_SINTASSI_EXTRAXSD');
    });
  });

  describe('token lifecycle', () => {
    it('a live token locks the notice (PPT_PAGAMENTO_IN_CORSO on verify and activate), expiry frees it', async () => {
      const b = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { expirationTime: '60000' })));
      expect(faultOf(await w.psp('verifyPaymentNotice', verifyReq(EC, NN))).faultCode).to.equal('PPT_PAGAMENTO_IN_CORSO');
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN))).faultCode).to.equal('PPT_PAGAMENTO_IN_CORSO');
      w.clock.advance(60_000);
      const again = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)));
      expect(again['paymentToken']).to.not.equal(b['paymentToken']);
    });

    it('KO outcome makes the notice payable again', async () => {
      const t = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)))['paymentToken'] as string;
      expect(bodyOf(await w.psp('sendPaymentOutcome', outcomeReq(t, 'KO')))['outcome']).to.equal('OK');
      expect(bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)))['outcome']).to.equal('OK');
    });

    it('unknown token → PPT_TOKEN_SCONOSCIUTO; second outcome → PPT_ESITO_GIA_ACQUISITO', async () => {
      expect(faultOf(await w.psp('sendPaymentOutcome', outcomeReq('ffffffffffffffffffffffffffffffff', 'OK'))).faultCode).to.equal('PPT_TOKEN_SCONOSCIUTO');
      const t = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)))['paymentToken'] as string;
      expect(bodyOf(await w.psp('sendPaymentOutcomeV2', outcomeV2Req([t], 'OK')))['outcome']).to.equal('OK');
      expect(faultOf(await w.psp('sendPaymentOutcomeV2', outcomeV2Req([t], 'OK'))).faultCode).to.equal('PPT_ESITO_GIA_ACQUISITO');
    });

    it('late KO → PPT_TOKEN_SCADUTO_KO; late OK without concurrent payment → PPT_TOKEN_SCADUTO (payment completed)', async () => {
      const t1 = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { expirationTime: '1000' })))['paymentToken'] as string;
      w.clock.advance(1000);
      const f1 = faultOf(await w.psp('sendPaymentOutcome', outcomeReq(t1, 'KO')));
      expect(f1.faultCode, f1.description).to.equal('PPT_TOKEN_SCADUTO_KO');
      const t2 = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { expirationTime: '1000' })))['paymentToken'] as string;
      w.clock.advance(5000);
      expect(faultOf(await w.psp('sendPaymentOutcome', outcomeReq(t2, 'OK'))).faultCode).to.equal('PPT_TOKEN_SCADUTO');
      expect(w.nodo.session(t2)!.state).to.equal('PAID');
    });

    it('late OK while another token took the notice → PPT_PAGAMENTO_DUPLICATO', async () => {
      const t1 = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { expirationTime: '1000' })))['paymentToken'] as string;
      w.clock.advance(60_000); // past the expiry and the expiry job's next run
      bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)));
      expect(faultOf(await w.psp('sendPaymentOutcome', outcomeReq(t1, 'OK'))).faultCode).to.equal('PPT_PAGAMENTO_DUPLICATO');
    });

    it('OK without details → PPT_SEMANTICA', async () => {
      const t = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)))['paymentToken'] as string;
      expect(faultOf(await w.psp('sendPaymentOutcome', outcomeReq(t, 'OK', { details: undefined }))).faultCode).to.equal('PPT_SEMANTICA');
    });
  });

  describe('idempotency (§9 table)', () => {
    it('same key + same parameters → same response and token, no second station call', async () => {
      const a = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY })));
      const b = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY })));
      expect(b['paymentToken']).to.equal(a['paymentToken']);
      expect(w.journal.list({ party: 'nodo', direction: 'outbound' })).to.have.length(1);
    });
    it('same key + different parameters → PPT_ERRORE_IDEMPOTENZA', async () => {
      bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY })));
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY, amount: '99.00' }))).faultCode).to.equal(
        'PPT_ERRORE_IDEMPOTENZA',
      );
    });
    it('expired key → new request: once the expiry job freed the notice, the same request gets a new token', async () => {
      const a = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY, expirationTime: '1000' })));
      w.clock.advance(1000);
      // the key died with the token: the request is new, and the notice is still held until the job runs
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY, expirationTime: '1000' }))).faultCode).to.equal(
        'PPT_PAGAMENTO_IN_CORSO',
      );
      w.clock.advance(59_000);
      const b = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY, expirationTime: '1000' })));
      expect(b['outcome']).to.equal('OK');
      expect(b['paymentToken']).to.be.a('string').and.not.equal(a['paymentToken']);
    });
    it('a new key on a locked notice → PPT_PAGAMENTO_IN_CORSO', async () => {
      bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY })));
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: '88888888888_zzzzzzzzzz' }))).faultCode).to.equal(
        'PPT_PAGAMENTO_IN_CORSO',
      );
    });
    it('the activation key dies when the outcome arrives; outcome keys replay the OK', async () => {
      const t = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY })))['paymentToken'] as string;
      const OKEY = '88888888888_o1o2o3o4o5';
      expect(bodyOf(await w.psp('sendPaymentOutcome', outcomeReq(t, 'OK', { idempotencyKey: OKEY })))['outcome']).to.equal('OK');
      expect(bodyOf(await w.psp('sendPaymentOutcome', outcomeReq(t, 'OK', { idempotencyKey: OKEY })))['outcome']).to.equal('OK');
      expect(faultOf(await w.psp('sendPaymentOutcome', outcomeReq(t, 'KO', { idempotencyKey: OKEY }))).faultCode).to.equal('PPT_ERRORE_IDEMPOTENZA');
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY }))).faultCode).to.equal('PPT_PAGAMENTO_DUPLICATO');
    });
  });
});
