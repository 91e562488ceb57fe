/**
 * The mock Nodo under concurrency, over real HTTP, made deterministic by a station that
 * holds its paGetPaymentV2 answer until the test releases it (no timing anywhere: the
 * test waits for conditions, then releases):
 * - N concurrent activations of one notice: exactly one reaches the station and gets a
 *   token, the others PPT_PAGAMENTO_IN_CORSO; verify sees the lock while it is in flight;
 * - N concurrent identical activations with one idempotencyKey: one station call, one
 *   token for all (in-flight idempotency); a different request with that key:
 *   PPT_ERRORE_IDEMPOTENZA;
 * - N concurrent outcomes on one token: one accepted, the others PPT_ESITO_GIA_ACQUISITO
 *   or the replay; never two PAID sessions nor two receipts for one notice;
 * - a reset while activations are in flight: they create no session afterwards, and a
 *   token issued before the reset never comes back for another notice.
 */
import { expect } from 'chai';
import express from 'express';
import type { CallResult } from '../../src/soap/client.ts';
import { createSoapEndpoint, type HandlerResult } from '../../src/soap/endpoint.ts';
import { Journal } from '../../src/soap/exchange.ts';
import type { BuildObject } from '../../src/xml/build.ts';
import { NS } from '../../src/xml/schemas.ts';
import { listenApp, type Served } from '../support/loopback.ts';
import { activateReq, bodyOf, faultOf, IBAN, notice, outcomeReq, outcomeV2Req, SCRIPTED, SCRIPTED_EC, startWorld, verifyReq, type World } from './helpers.ts';

const N = 50;
const KEY = '88888888888_c0nCurr3nt';

function getPaymentOk(noticeNumber: string): HandlerResult {
  const data: BuildObject = {
    creditorReferenceId: noticeNumber.slice(1),
    paymentAmount: '100.00',
    dueDate: '2026-12-31',
    description: 'TARI',
    companyName: 'Ente Scriptato',
    debtor: { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'ANONIMO' }, fullName: 'Mario Rossi' },
    transferList: {
      transfer: [{ idTransfer: '1', transferAmount: '100.00', fiscalCodePA: SCRIPTED_EC, IBAN, remittanceInformation: 'quota', transferCategory: '0101101IM' }],
    },
  };
  return { kind: 'response', body: { 'pafn:paGetPaymentV2Response': { '@_xmlns:pafn': NS.paForNode, outcome: 'OK', data } } };
}

const sendRtOk: HandlerResult = { kind: 'response', body: { 'pafn:paSendRTV2Response': { '@_xmlns:pafn': NS.paForNode, outcome: 'OK' } } };

/** Resolves when `cond()` holds, re-checked whenever `poke()` is called (each answer and each station call pokes). */
function conditions() {
  const waiting: { cond: () => boolean; done: () => void }[] = [];
  return {
    until(cond: () => boolean): Promise<void> {
      if (cond()) return Promise.resolve();
      return new Promise((done) => waiting.push({ cond, done }));
    },
    poke(): void {
      for (const w of [...waiting])
        if (w.cond()) {
          waiting.splice(waiting.indexOf(w), 1);
          w.done();
        }
    },
  };
}

/** Waits for a condition on state the test cannot be poked about (the Nodo's waiters): re-checked on each macrotask. */
async function eventually(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setImmediate(r));
}

describe('nodo: concurrent activations, outcomes and resets (a station that holds its answer)', function () {
  this.timeout(60_000);
  let w: World;
  let station: Served;
  const journal = new Journal();
  const calls: { operation: string; noticeNumber: string }[] = [];
  const held: (() => void)[] = [];
  const c = conditions();
  /** Releases every held paGetPaymentV2 answer. */
  const release = () => {
    for (const r of held.splice(0)) r();
  };
  let hold = true;

  before(async () => {
    w = await startWorld({ options: { timeouts: { paVerifyPaymentNotice: 30_000, paGetPayment: 30_000, paSendRT: 30_000 } } });
    // The held station listens on its own port: its connections never queue behind the PSP's.
    const app = express();
    app.use(
      '/held',
      createSoapEndpoint({
        iface: 'paForNode',
        journal,
        party: `station:${SCRIPTED}`,
        caller: 'nodo',
        now: () => w.clock.now(),
        systemError: () => ({ x: 'unused' }),
        handle: async (ctx) => {
          const v = ctx.message.bodyChild.value as { qrCode?: { noticeNumber?: string } };
          const noticeNumber = v.qrCode?.noticeNumber ?? '';
          calls.push({ operation: ctx.operation.name, noticeNumber });
          if (ctx.operation.name === 'paSendRTV2') return sendRtOk;
          if (ctx.operation.name !== 'paGetPaymentV2') return { kind: 'drop', mode: 'close' };
          if (hold) {
            const answered = new Promise<void>((r) => held.push(r));
            c.poke();
            await answered;
          }
          return getPaymentOk(noticeNumber);
        },
      }),
    );
    station = await listenApp(app);
    w.nodo.options.stationUrls[SCRIPTED] = `${station.base}/held`;
  });
  after(async () => {
    release();
    await w.close();
    await station.close();
  });
  beforeEach(async () => {
    release();
    hold = true;
    await w.nodo.receipts.whenIdle();
    w.nodo.reset();
    w.journal.clear();
    calls.length = 0;
  });

  const stationCalls = (operation: string) => calls.filter((x) => x.operation === operation).length;

  /** Fires the requests at once; each answer pokes the conditions. */
  function fire(n: number, make: (i: number) => [string, BuildObject]): { answers: CallResult[]; settled: () => number; all: Promise<CallResult[]> } {
    const answers: CallResult[] = [];
    let settled = 0;
    const all = Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const [op, fields] = make(i);
        const r = await w.psp(op, fields, 60_000);
        answers[i] = r;
        settled += 1;
        c.poke();
        return r;
      }),
    );
    return { answers, settled: () => settled, all };
  }

  it(`${N} concurrent activations of one notice: one station call, one token, ${N - 1} PPT_PAGAMENTO_IN_CORSO; verify and activate see the lock while it is in flight`, async () => {
    const NN = notice(3, '01', 81);
    const run = fire(N, () => ['activatePaymentNoticeV2', activateReq(SCRIPTED_EC, NN)]);
    // every request has either been answered or is held at the station
    await c.until(() => run.settled() + held.length === N);
    expect(stationCalls('paGetPaymentV2'), 'activations that reached the station').to.equal(1);
    // while the winner is in flight the notice is locked for verify and activate alike
    expect(faultOf(await w.psp('verifyPaymentNotice', verifyReq(SCRIPTED_EC, NN))).faultCode).to.equal('PPT_PAGAMENTO_IN_CORSO');
    const late = faultOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, NN)));
    expect(late.faultCode).to.equal('PPT_PAGAMENTO_IN_CORSO');
    expect(late.description).to.match(/is being activated by another request/);
    expect(stationCalls('paVerifyPaymentNotice')).to.equal(0);
    release();
    const answers = await run.all;
    const ok = answers.map(bodyOf).filter((b) => b['outcome'] === 'OK');
    const codes = answers
      .map(bodyOf)
      .filter((b) => b['outcome'] === 'KO')
      .map((b) => (b['fault'] as Record<string, string>)['faultCode']);
    expect(ok, 'activations that got a token').to.have.length(1);
    expect(codes).to.have.length(N - 1);
    expect(new Set(codes)).to.deep.equal(new Set(['PPT_PAGAMENTO_IN_CORSO']));
    expect(w.nodo.sessions().filter((s) => s.noticeNumber === NN)).to.have.length(1);
    expect(w.nodo.stateSizes()['activating']).to.equal(0);
  });

  it(`${N} concurrent identical activations with one idempotencyKey: one station call and the same token for all; another request with the key is PPT_ERRORE_IDEMPOTENZA`, async () => {
    const NN = notice(3, '01', 82);
    const run = fire(N, () => ['activatePaymentNoticeV2', activateReq(SCRIPTED_EC, NN, { idempotencyKey: KEY })]);
    await c.until(() => held.length === 1);
    // the other N-1 wait for the one in flight (they are neither answered nor at the station)
    await eventually(() => run.settled() + held.length + (w.nodo.stateSizes()['inflightWaiters'] ?? 0) === N);
    expect(stationCalls('paGetPaymentV2')).to.equal(1);
    // same key, other parameters, while the first is in flight
    expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, NN, { idempotencyKey: KEY, amount: '99.00' }))).faultCode).to.equal(
      'PPT_ERRORE_IDEMPOTENZA',
    );
    release();
    const tokens = (await run.all).map((r) => bodyOf(r)['paymentToken']);
    expect(
      tokens.every((t) => typeof t === 'string'),
      JSON.stringify(tokens),
    ).to.equal(true);
    expect(new Set(tokens).size, 'distinct tokens').to.equal(1);
    expect(stationCalls('paGetPaymentV2')).to.equal(1);
    // and afterwards the key replays it
    expect(bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, NN, { idempotencyKey: KEY })))['paymentToken']).to.equal(tokens[0]);
  });

  it(`${N} concurrent outcomes on one token: one accepted, the rest PPT_ESITO_GIA_ACQUISITO or the replay; one PAID session, one receipt`, async () => {
    hold = false;
    const NN = notice(3, '01', 83);
    const token = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, NN)))['paymentToken'] as string;
    const OKEY = '88888888888_0utc0me001';
    const run = fire(N, (i) =>
      i % 2 ? ['sendPaymentOutcomeV2', outcomeV2Req([token], 'OK', { idempotencyKey: OKEY })] : ['sendPaymentOutcome', outcomeReq(token, 'OK')],
    );
    const answers = (await run.all).map(bodyOf);
    const accepted = answers.filter((b) => b['outcome'] === 'OK');
    const refused = answers.filter((b) => b['outcome'] === 'KO').map((b) => (b['fault'] as Record<string, string>)['faultCode']);
    // the V2 ones with the key: either the accepted one or its replay; the V1 ones without a key: acquired already (or the accepted one)
    expect(accepted.length + refused.length).to.equal(N);
    expect(new Set(refused)).to.deep.equal(new Set(['PPT_ESITO_GIA_ACQUISITO']));
    const sessions = w.nodo.sessions().filter((s) => s.noticeNumber === NN);
    expect(sessions.map((s) => s.state)).to.deep.equal(['PAID']);
    await w.nodo.receipts.whenIdle();
    expect(w.nodo.receipts.all().filter((r) => r.noticeNumber === NN)).to.have.length(1);
    expect(calls.filter((x) => x.operation === 'paSendRTV2')).to.have.length(1);
  });

  it(`${N} concurrent activations then an OK outcome for every token they got: never two PAID sessions or two receipts for one notice`, async () => {
    const NN = notice(3, '01', 84);
    const run = fire(N, (i) => ['activatePaymentNoticeV2', activateReq(SCRIPTED_EC, NN, { idempotencyKey: `88888888888_k${String(i).padStart(9, '0')}` })]);
    await c.until(() => run.settled() + held.length === N);
    release();
    const tokens = (await run.all).map((r) => bodyOf(r)['paymentToken']).filter((t): t is string => typeof t === 'string');
    expect(tokens).to.have.length(1);
    const outcomes = await Promise.all(tokens.map((t) => w.psp('sendPaymentOutcomeV2', outcomeV2Req([t], 'OK'))));
    expect(outcomes.map((o) => bodyOf(o)['outcome'])).to.deep.equal(['OK']);
    await w.nodo.receipts.whenIdle();
    expect(w.nodo.sessions().filter((s) => s.noticeNumber === NN && s.state === 'PAID')).to.have.length(1);
    expect(w.nodo.receipts.all().filter((r) => r.noticeNumber === NN)).to.have.length(1);
  });

  it('a reset while activations are in flight: they answer PPT_SYSTEM_ERROR and create no session; the notice is payable after', async () => {
    const NN = notice(3, '01', 85);
    const other = notice(3, '01', 86);
    const run = fire(2, (i) => ['activatePaymentNoticeV2', activateReq(SCRIPTED_EC, i ? other : NN)]);
    await c.until(() => held.length === 2);
    const reset = await fetch(`${w.base}/_control/nodo/reset`, { method: 'POST' });
    expect(reset.status).to.equal(200);
    expect(w.nodo.sessions()).to.have.length(0);
    release();
    const answers = (await run.all).map(faultOf);
    for (const f of answers) {
      expect(f.faultCode).to.equal('PPT_SYSTEM_ERROR');
      expect(f.description).to.match(/reset while this activation waited for the station/);
    }
    expect(w.nodo.sessions(), 'sessions created by activations that started before the reset').to.have.length(0);
    hold = false;
    expect(bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, NN)))['outcome']).to.equal('OK');
  });

  it('with a seed, a token issued before a reset is never issued again: its OK outcome cannot pay another notice', async () => {
    hold = false;
    const X = notice(3, '01', 87);
    const Y = notice(3, '01', 88);
    const tx = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, X)))['paymentToken'] as string;
    w.nodo.reset();
    const ty = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(SCRIPTED_EC, Y)))['paymentToken'] as string;
    expect(ty).to.not.equal(tx);
    // PSP A's OK for notice X, sent after the reset
    expect(faultOf(await w.psp('sendPaymentOutcomeV2', outcomeV2Req([tx], 'OK'))).faultCode).to.equal('PPT_TOKEN_SCONOSCIUTO');
    expect(w.nodo.sessions().map((s) => [s.noticeNumber, s.state])).to.deep.equal([[Y, 'PAYING']]);
    expect(w.nodo.paidNotices()).to.deep.equal([]);
  });
});
