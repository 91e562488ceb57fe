/**
 * What a verify or an activation costs must not grow with the payments made before it, and
 * what the Nodo keeps must be bounded by the retention window (issue 19). Work is counted,
 * never timed: every session and idempotency entry in the store is a Proxy that counts its
 * property reads, so a lookup that walks the sessions shows a count growing with their
 * number, whatever the machine's speed. The caps on what is kept are counted too: so many
 * payments in, so many sessions, keys and receipts kept, whatever the clock says.
 */
import { expect } from 'chai';
import { ManualClock } from '../../src/clock.ts';
import { SessionStore, type IdempotencyEntry, type PaymentSession } from '../../src/nodo/sessions.ts';
import { activateReq, bodyOf, EC, notice, outcomeReq, position, startWorld } from './helpers.ts';
import { noticeOf, paymentSession } from '../support/paymentSession.ts';

const counter = { reads: 0 };
function counted<T extends object>(o: T): T {
  return new Proxy(o, {
    get(t, k, r) {
      counter.reads += 1;
      return Reflect.get(t, k, r);
    },
  });
}

const nav = noticeOf;
const session = (i: number, clock: ManualClock): PaymentSession => paymentSession(i, clock.now());

/** A store with `n` payments made (a third paid, a third KO, a third paying), each with an activation key. */
function storeWith(n: number): { store: SessionStore; clock: ManualClock } {
  const clock = new ManualClock();
  const store = new SessionStore(clock, () => ({ expiryJobPeriodMs: 60_000, retentionMs: 86_400_000 }));
  for (let i = 0; i < n; i++) {
    const s = counted(session(i, clock));
    const lock = store.beginActivation(s.fiscalCode, s.noticeNumber, '88888888888');
    expect(store.add(s, lock)).to.equal(true);
    const entry: IdempotencyEntry = counted({ fingerprint: `f${i}`, response: {}, meta: {}, expiresAt: Date.parse(s.expiresAt), paymentToken: s.paymentToken });
    store.remember('activate', '88888888888', `88888888888_k${String(i).padStart(9, '0')}`, entry);
    if (i % 3 === 0) store.close(s, { outcome: 'OK', at: clock.now().toISOString(), primitive: 'sendPaymentOutcomeV2', late: false });
    if (i % 3 === 1) store.close(s, { outcome: 'KO', at: clock.now().toISOString(), primitive: 'sendPaymentOutcomeV2', late: false });
  }
  return { store, clock };
}

/** The reads one verify + one activation + one outcome make on the store, for a notice and a token among the others. */
function readsOfOneRound(store: SessionStore, n: number): number {
  counter.reads = 0;
  const fresh = nav(n + 7);
  // verify: paid? held? being activated?
  store.paid(EC, fresh);
  store.live(EC, fresh);
  store.activation(EC, fresh);
  // activate: idempotency, lock, session, key
  store.idempotent('activate', '88888888888', '88888888888_zzzzzzzzzz');
  const s = counted(session(n + 7, new ManualClock()));
  const lock = store.beginActivation(EC, fresh, '88888888888');
  store.add(s, lock);
  store.remember(
    'activate',
    '88888888888',
    '88888888888_zzzzzzzzzz',
    counted({ fingerprint: 'z', response: {}, meta: {}, expiresAt: Date.parse(s.expiresAt), paymentToken: s.paymentToken }),
  );
  // outcome: the token, then the close that forgets its activation keys
  const got = store.get(s.paymentToken)!;
  store.close(got, { outcome: 'OK', at: new Date(0).toISOString(), primitive: 'sendPaymentOutcomeV2', late: false });
  // a live notice among the others (i = n - 1 is paying when n % 3 === 2)
  expect(store.live(EC, nav(n - 1))).to.not.equal(undefined);
  return counter.reads;
}

describe('nodo: cost per request is flat in the payments made, memory bounded by the retention (issue 19)', () => {
  it('one verify + activate + outcome reads the same number of session and key fields after 90 or 9,000 payments', () => {
    const small = readsOfOneRound(storeWith(90).store, 90);
    const big = readsOfOneRound(storeWith(9_000).store, 9_000);
    expect(small).to.be.greaterThan(0);
    expect(big, `reads after 9,000 payments vs after 90 (${small})`).to.equal(small);
  });

  it('forgetting the activation keys of a token touches only that token (not every key kept)', () => {
    const { store } = storeWith(3_000);
    const t = `t${String(2).padStart(31, '0')}`; // i = 2: still paying, its key alive
    expect(store.idempotent('activate', '88888888888', `88888888888_k${String(2).padStart(9, '0')}`)).to.not.equal(undefined);
    counter.reads = 0;
    store.forgetActivationKeys(t);
    expect(counter.reads).to.be.at.most(2);
    expect(store.idempotent('activate', '88888888888', `88888888888_k${String(2).padStart(9, '0')}`)).to.equal(undefined);
  });

  it('ended sessions, expired keys, delivered receipts and finished retry jobs are retired on the clock; paid notices stay PPT_PAGAMENTO_DUPLICATO', async () => {
    const notices = Array.from({ length: 12 }, (_, i) => notice(3, '01', 500 + i));
    const w = await startWorld({ positions: notices.map((nn) => position(EC, nn)), options: { sessionRetentionMs: 3_600_000, receipts: { retention: '1h' } } });
    try {
      for (const [i, nn] of notices.entries()) {
        const t = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, nn, { idempotencyKey: `88888888888_r${String(i).padStart(9, '0')}` })))[
          'paymentToken'
        ] as string;
        if (i % 2 === 0)
          expect(
            bodyOf(await w.psp('sendPaymentOutcome', outcomeReq(t, 'OK', { idempotencyKey: `88888888888_o${String(i).padStart(9, '0')}` })))['outcome'],
          ).to.equal('OK');
      }
      await w.nodo.receipts.whenIdle();
      const before = w.nodo.stateSizes();
      expect(before).to.deep.include({ sessions: 12, paid: 6, receiptRecords: 6, retryJobs: 0 });
      expect(before['keys']).to.equal(6 + 6); // 6 live activation keys + 6 outcome keys
      // past the tokens' 30 min, the expiry job and the 1 h retention
      await w.clock.advanceAndSettle(31 * 60_000 + 3_600_000);
      w.nodo.sessions(); // any request sweeps
      const after = w.nodo.stateSizes();
      expect(after).to.deep.include({
        sessions: 0,
        holding: 0,
        activating: 0,
        keys: 0,
        keysOfToken: 0,
        inflight: 0,
        paid: 6,
        receiptRecords: 0,
        receiptsOpen: 0,
        retryJobs: 0,
      });
      expect(after['due']).to.equal(0);
      // the paid notices are still paid, the others payable again
      for (const [i, nn] of notices.entries()) {
        const b = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, nn)));
        expect(b['outcome'] === 'OK' ? 'OK' : (b['fault'] as Record<string, string>)['faultCode'], nn).to.equal(i % 2 === 0 ? 'PPT_PAGAMENTO_DUPLICATO' : 'OK');
      }
    } finally {
      await w.close();
    }
  });

  it('past sessionRetentionMax and idempotencyKeysMax the oldest ended sessions and keys are retired at once; sessions holding their notice never are', () => {
    const clock = new ManualClock();
    const store = new SessionStore(clock, () => ({ expiryJobPeriodMs: 60_000, retentionMs: 86_400_000, retainedMax: 10, keysMax: 20 }));
    const live: PaymentSession[] = [];
    const ended: PaymentSession[] = [];
    for (let i = 0; i < 5_000; i++) {
      const s = session(i, clock);
      expect(store.add(s, store.beginActivation(s.fiscalCode, s.noticeNumber, '88888888888'))).to.equal(true);
      store.remember('outcome', '88888888888', `88888888888_o${String(i).padStart(9, '0')}`, {
        fingerprint: `f${i}`,
        response: {},
        meta: {},
        expiresAt: clock.now().getTime() + 1_800_000,
      });
      // one payment in 500 is left paying (it holds its notice); the others end, paid or KO
      if (i % 500 === 7) live.push(s);
      else {
        store.close(s, { outcome: i % 2 ? 'OK' : 'KO', at: clock.now().toISOString(), primitive: 'sendPaymentOutcomeV2', late: false });
        ended.push(s);
      }
    }
    const sizes = store.sizes();
    // Without the caps (the clock has not moved): 5,000 sessions and 5,000 keys.
    expect(sizes['sessions'], 'sessions kept').to.equal(10 + live.length);
    expect(sizes['keys'], 'keys kept').to.equal(20);
    expect(sizes['due'], 'retirement queue').to.be.at.most(2 * (10 + 20) + 1024);
    for (const s of live) expect(store.live(s.fiscalCode, s.noticeNumber), `paying session ${s.paymentToken}`).to.equal(s);
    expect(store.get(ended.at(-1)!.paymentToken), 'the newest ended session').to.equal(ended.at(-1));
    expect(store.get(ended[0]!.paymentToken), 'the oldest ended session').to.equal(undefined);
    expect(store.idempotent('outcome', '88888888888', `88888888888_o${String(4_999).padStart(9, '0')}`), 'the newest key').to.not.equal(undefined);
    expect(store.idempotent('outcome', '88888888888', `88888888888_o${String(0).padStart(9, '0')}`), 'the oldest key').to.equal(undefined);
    // every paid notice keeps its mark (PPT_PAGAMENTO_DUPLICATO) after its session is retired
    expect(sizes['paid']).to.equal(ended.filter((s) => s.state === 'PAID').length);
    expect(store.paid(ended[1]!.fiscalCode, ended[1]!.noticeNumber)?.paymentToken).to.equal(ended[1]!.state === 'PAID' ? ended[1]!.paymentToken : undefined);
  });

  it('over HTTP: past the caps an outcome for a retired token is PPT_TOKEN_SCONOSCIUTO, a kept one PPT_ESITO_GIA_ACQUISITO, a paid notice stays PPT_PAGAMENTO_DUPLICATO, only the newest receipts are kept', async () => {
    const notices = Array.from({ length: 6 }, (_, i) => notice(3, '01', 600 + i));
    const w = await startWorld({
      positions: notices.map((nn) => position(EC, nn)),
      options: { sessionRetentionMax: 3, idempotencyKeysMax: 4, receipts: { retentionMax: 2 } },
    });
    try {
      const tokens: string[] = [];
      for (const [i, nn] of notices.entries()) {
        const t = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, nn, { idempotencyKey: `88888888888_c${String(i).padStart(9, '0')}` })))[
          'paymentToken'
        ] as string;
        tokens.push(t);
        expect(
          bodyOf(await w.psp('sendPaymentOutcome', outcomeReq(t, 'OK', { idempotencyKey: `88888888888_p${String(i).padStart(9, '0')}` })))['outcome'],
        ).to.equal('OK');
        await w.nodo.receipts.whenIdle();
      }
      expect(w.nodo.stateSizes()).to.deep.include({ sessions: 3, paid: 6, receiptRecords: 2 });
      expect(w.nodo.stateSizes()['keys']).to.be.at.most(4);
      expect(w.nodo.receipts.receipt(tokens[0]!)).to.equal(undefined);
      expect(w.nodo.receipts.receipt(tokens[5]!)?.recipients[0]?.state).to.equal('NOTIFIED');
      const again = async (t: string) => (bodyOf(await w.psp('sendPaymentOutcome', outcomeReq(t, 'OK')))['fault'] as Record<string, string>)['faultCode'];
      expect(await again(tokens[0]!)).to.equal('PPT_TOKEN_SCONOSCIUTO');
      expect(await again(tokens[5]!)).to.equal('PPT_ESITO_GIA_ACQUISITO');
      const b = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, notices[0]!)));
      expect((b['fault'] as Record<string, string>)['faultCode']).to.equal('PPT_PAGAMENTO_DUPLICATO');
    } finally {
      await w.close();
    }
  });
});
