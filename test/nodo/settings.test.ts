/**
 * The Nodo's own settings (issue 14 items 3, 4, 7), over HTTP: the expiry job that frees a
 * notice only at its first run after the token expired; idempotency checked before
 * routing; useIdempotency, idempotencyKeyValidity, tokenValidity, expiryJobPeriod and
 * stationTimeouts from the registry's `settings` (over the createNodo options, over the
 * real defaults). Each test fails if the setting is ignored.
 */
import { expect } from 'chai';
import { normalizeRegistry, type Registry, type RegistrySettings } from '../../src/nodo/registry.ts';
import {
  activateReq,
  bodyOf,
  EC,
  faultOf,
  nodoNotes,
  notice,
  outcomeReq,
  position,
  SCRIPTED_EC,
  startWorld,
  STATION_TIMEOUTS,
  verifyReq,
  type World,
} from './helpers.ts';

const NN = notice(3, '01', 91);
const KEY = '88888888888_s3tt1ngs01';
const OKEY = '88888888888_s3tt1ngs02';

describe('nodo: the expiry job and the Nodo settings', () => {
  let w: World;
  let base: Registry;
  before(async () => {
    w = await startWorld({ positions: [position(EC, NN)] });
    base = w.nodo.registry();
  });
  after(async () => w.close());
  beforeEach(async () => {
    await w.nodo.receipts.whenIdle();
    w.nodo.setRegistry(base);
    w.nodo.reset();
    w.stations.reset();
    w.journal.clear();
    w.clock.set('2026-01-15T10:00:00.000Z');
  });

  const withSettings = (settings: RegistrySettings) => w.nodo.setRegistry({ ...base, settings });
  const stationCalls = () => w.journal.list({ party: 'nodo', direction: 'outbound' }).filter((e) => e.to.startsWith('station:')).length;

  describe('expiry job (the notice stays in payment until the job runs after the token expired)', () => {
    it('default period 60 s: an expired token still holds the notice (activate and verify) until the next run, then it is payable', async () => {
      expect(w.nodo.settings().expiryJobPeriodMs).to.equal(60_000);
      const t1 = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { expirationTime: '1000' })))['paymentToken'];
      w.clock.advance(1000); // 10:00:01: the token has expired
      const held = faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)));
      expect(held.faultCode).to.equal('PPT_PAGAMENTO_IN_CORSO');
      expect(held.description).to.match(/expired at 2026-01-15T10:00:01\.000Z: the Nodo's expiry job frees it at its next run, 2026-01-15T10:01:00\.000Z/);
      expect(faultOf(await w.psp('verifyPaymentNotice', verifyReq(EC, NN))).faultCode).to.equal('PPT_PAGAMENTO_IN_CORSO');
      expect(w.nodo.paymentInProgress(EC, NN)).to.equal(true);
      w.clock.advance(58_999); // 10:00:59.999
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN))).faultCode).to.equal('PPT_PAGAMENTO_IN_CORSO');
      expect(stationCalls()).to.equal(1);
      w.clock.advance(1); // 10:01:00: the job ran
      expect(w.nodo.paymentInProgress(EC, NN)).to.equal(false);
      const t2 = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)))['paymentToken'];
      expect(t2).to.be.a('string').and.not.equal(t1);
    });

    it('the outcome still judges by the token: after expiry and before the job, a KO is PPT_TOKEN_SCADUTO_KO and frees the notice', async () => {
      const t = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { expirationTime: '1000' })))['paymentToken'] as string;
      w.clock.advance(1000);
      expect(faultOf(await w.psp('sendPaymentOutcome', outcomeReq(t, 'KO'))).faultCode).to.equal('PPT_TOKEN_SCADUTO_KO');
      expect(bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)))['outcome']).to.equal('OK');
    });

    it('settings.expiryJobPeriod 0 frees the notice the moment the token expires; 5m holds it until 10:05', async () => {
      withSettings({ expiryJobPeriod: 0 });
      bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { expirationTime: '1000' })));
      w.clock.advance(1000);
      expect(bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { expirationTime: '1000' })))['outcome']).to.equal('OK');
      withSettings({ expiryJobPeriod: 300_000 });
      w.clock.advance(60_000); // 10:01:01, token expired at 10:00:02
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN))).faultCode).to.equal('PPT_PAGAMENTO_IN_CORSO');
      w.clock.set('2026-01-15T10:05:00.000Z');
      expect(bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)))['outcome']).to.equal('OK');
    });
  });

  describe('idempotency before routing', () => {
    it('a key reused for a notice with no route is PPT_ERRORE_IDEMPOTENZA, not the routing code', async () => {
      bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY })));
      const noRoute = faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, notice(3, '42', 1), { idempotencyKey: KEY })));
      expect(noRoute.faultCode).to.equal('PPT_ERRORE_IDEMPOTENZA');
      expect(noRoute.description).to.match(/the notice was not routed/);
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq('12345678901', NN, { idempotencyKey: KEY }))).faultCode).to.equal(
        'PPT_ERRORE_IDEMPOTENZA',
      );
      // without the key the same notice is a routing error
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, notice(3, '42', 1)))).faultCode).to.equal('PPT_STAZIONE_INT_PA_SCONOSCIUTA');
      expect(stationCalls()).to.equal(1);
    });
  });

  describe('settings', () => {
    it('useIdempotency false: the same key is no retry (PPT_PAGAMENTO_IN_CORSO, PPT_ESITO_GIA_ACQUISITO) and never PPT_ERRORE_IDEMPOTENZA', async () => {
      withSettings({ useIdempotency: false });
      const t = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY })))['paymentToken'] as string;
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY }))).faultCode).to.equal('PPT_PAGAMENTO_IN_CORSO');
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, notice(3, '42', 1), { idempotencyKey: KEY }))).faultCode).to.equal(
        'PPT_STAZIONE_INT_PA_SCONOSCIUTA',
      );
      expect(bodyOf(await w.psp('sendPaymentOutcome', outcomeReq(t, 'OK', { idempotencyKey: OKEY })))['outcome']).to.equal('OK');
      expect(faultOf(await w.psp('sendPaymentOutcome', outcomeReq(t, 'OK', { idempotencyKey: OKEY }))).faultCode).to.equal('PPT_ESITO_GIA_ACQUISITO');
    });

    it('useIdempotency false as a createNodo option too (the registry setting wins when present)', async () => {
      const other = await startWorld({ positions: [position(EC, NN)], options: { useIdempotency: false } });
      try {
        expect(other.nodo.settings().useIdempotency).to.equal(false);
        bodyOf(await other.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY })));
        expect(faultOf(await other.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY }))).faultCode).to.equal('PPT_PAGAMENTO_IN_CORSO');
        other.nodo.setRegistry({ ...other.nodo.registry(), settings: { useIdempotency: true } });
        expect(other.nodo.settings().useIdempotency).to.equal(true);
      } finally {
        await other.close();
      }
    });

    it('idempotencyKeyValidity 10s: after 10 s the same activation is a new request (the token is alive: PPT_PAGAMENTO_IN_CORSO) and the same outcome no replay', async () => {
      withSettings({ idempotencyKeyValidity: 10_000 });
      const t = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY })))['paymentToken'] as string;
      w.clock.advance(9_999);
      expect(bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY })))['paymentToken']).to.equal(t);
      w.clock.advance(1);
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { idempotencyKey: KEY }))).faultCode).to.equal('PPT_PAGAMENTO_IN_CORSO');
      expect(bodyOf(await w.psp('sendPaymentOutcome', outcomeReq(t, 'OK', { idempotencyKey: OKEY })))['outcome']).to.equal('OK');
      w.clock.advance(10_000);
      expect(faultOf(await w.psp('sendPaymentOutcome', outcomeReq(t, 'OK', { idempotencyKey: OKEY }))).faultCode).to.equal('PPT_ESITO_GIA_ACQUISITO');
    });

    it('tokenValidity 2m: a token without expirationTime lives 2 minutes; more than 30m is refused (REG_SETTINGS)', async () => {
      withSettings({ tokenValidity: 120_000 });
      const t = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)))['paymentToken'] as string;
      expect(w.nodo.session(t)!.expiresAt).to.equal('2026-01-15T10:02:00.000Z');
      const bad = normalizeRegistry({ settings: { tokenValidity: '31m' } });
      expect(bad.ok).to.equal(false);
      expect(bad.issues.map((i) => `${i.code} ${i.path}`)).to.deep.equal(['REG_SETTINGS settings.tokenValidity']);
      const ok = normalizeRegistry({
        settings: { useIdempotency: false, idempotencyKeyValidity: '10m', tokenValidity: '30m', expiryJobPeriod: 0, stationTimeouts: { paGetPayment: '2s' } },
      });
      expect(ok.ok && ok.registry.settings).to.deep.equal({
        useIdempotency: false,
        idempotencyKeyValidity: 600_000,
        tokenValidity: 1_800_000,
        expiryJobPeriod: 0,
        stationTimeouts: { paVerifyPaymentNotice: undefined, paGetPayment: 2000, paSendRT: undefined, paDemandPaymentNotice: undefined },
      });
    });

    it('stationTimeouts.paGetPayment 300ms: a station that never answers is PPT_STAZIONE_INT_PA_TIMEOUT after 300 ms (the station own timeouts still win)', async () => {
      withSettings({ stationTimeouts: { paGetPayment: 300 } });
      w.script(() => new Promise(() => {})); // never answers
      const r = faultOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, notice(3, '01', 92))));
      expect(r.faultCode).to.equal('PPT_STAZIONE_INT_PA_TIMEOUT');
      // the timeout applied is the setting's, not the options' 30 s (named in the Nodo's note)
      expect(nodoNotes(w.journal, 'paGetPaymentV2').join(' ')).to.match(/within 300 ms/);
      expect(w.nodo.settings().stationTimeouts).to.deep.equal({ ...STATION_TIMEOUTS, paGetPayment: 300 });
      // a station's own timeout wins over the setting
      w.nodo.setRegistry({
        ...base,
        settings: { stationTimeouts: { paGetPayment: 60_000 } },
        stations: base.stations.map((s) => (s.stationCode === 'SCRIPTED_01' ? { ...s, timeouts: { paGetPayment: 300 } } : s)),
      });
      w.journal.clear();
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, notice(3, '01', 93)))).faultCode).to.equal('PPT_STAZIONE_INT_PA_TIMEOUT');
      expect(nodoNotes(w.journal, 'paGetPaymentV2').join(' ')).to.match(/within 300 ms/);
    });
  });
});
