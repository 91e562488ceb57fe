/**
 * `npm run bench:sessions`: the mock Nodo's session state stays flat in the payments it
 * has kept (issue 19). Two figures, each a ratio to a reference measured in the same run:
 * 1. session-store rounds/s (the lookups and writes of one verify + activate + outcome)
 *    with 100,000 payments kept / with 1,000 kept;
 * 2. verifyPaymentNotice round trips/s over HTTP (PSP → mock Nodo → reference station →
 *    back, sequential) after 4,000 payments made over HTTP (activate + KO outcome, with
 *    idempotency keys) / on a fresh Nodo.
 * Flat means both ratios near 1.0 (the linear store made them 0.01 and below).
 *
 * Usage: npm run bench:sessions [-- --rounds 200000 --verifies 1500 --payments 4000]
 */
import { parseArgs } from 'node:util';
import { ManualClock } from '../src/clock.ts';
import { loadRegistry } from '../src/nodo/registry.ts';
import { SessionStore, type PaymentSession } from '../src/nodo/sessions.ts';
import { callSoap } from '../src/soap/client.ts';
import { wrap } from '../src/soap/envelope.ts';
import { SCENARIOS_DIR } from '../src/paths.ts';
import { createWorld, type World } from '../src/world.ts';
import { NS } from '../src/xml/schemas.ts';
import { join } from 'node:path';
import { loadPositionsFile } from '../src/station/index.ts';
import { noticeOf, paymentSession } from '../test/support/paymentSession.ts';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '200000' }, verifies: { type: 'string', default: '1500' }, payments: { type: 'string', default: '4000' } },
});
const ROUNDS = Number(values.rounds);
const VERIFIES = Number(values.verifies);
const PAYMENTS = Number(values.payments);
const EC = '77777777777';
const NN = '301000000000100121';
const PSP = { idPSP: '88888888888', idBrokerPSP: '88888888888', idChannel: '88888888888_01', password: 'PLACEHOLDER' };
const nav = noticeOf;

const session = (i: number, now: Date): PaymentSession => paymentSession(i, now, 'b');

/** Adds `n` payments (a third paid, a third KO, a third paying, each with an activation key) to a store. */
function fill(store: SessionStore, clock: ManualClock, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) {
    const s = session(i, clock.now());
    store.add(s, store.beginActivation(s.fiscalCode, s.noticeNumber, PSP.idPSP));
    store.remember('activate', PSP.idPSP, `k${i}`, {
      fingerprint: 'f',
      response: {},
      meta: {},
      expiresAt: Date.parse(s.expiresAt),
      paymentToken: s.paymentToken,
    });
    if (i % 3 !== 2) store.close(s, { outcome: i % 3 === 0 ? 'OK' : 'KO', at: clock.now().toISOString(), primitive: 'sendPaymentOutcomeV2', late: false });
  }
}

function storeRounds(kept: number): number {
  const clock = new ManualClock();
  const store = new SessionStore(clock, () => ({ expiryJobPeriodMs: 60_000, retentionMs: 86_400_000 }));
  fill(store, clock, kept);
  const started = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    const i = kept + 1 + r;
    const fc = EC;
    const nn = nav(i);
    store.paid(fc, nn);
    store.live(fc, nn);
    store.activation(fc, nn);
    store.idempotent('activate', PSP.idPSP, `n${i}`);
    const s = session(i, clock.now());
    store.add(s, store.beginActivation(fc, nn, PSP.idPSP));
    store.get(s.paymentToken);
    store.close(s, { outcome: 'KO', at: clock.now().toISOString(), primitive: 'sendPaymentOutcomeV2', late: false });
  }
  return ROUNDS / ((performance.now() - started) / 1000);
}

async function verifiesPerSecond(world: World): Promise<number> {
  const envelope = wrap({ 'nfp:verifyPaymentNoticeReq': { '@_xmlns:nfp': NS.nodeForPsp, ...PSP, qrCode: { fiscalCode: EC, noticeNumber: NN } } });
  const once = async () => {
    const r = await callSoap({ url: world.nodoUrl, soapAction: 'verifyPaymentNotice', envelope, timeoutMs: 10_000, expectResponse: 'verifyPaymentNoticeRes' });
    if (!r.ok || (r.message.bodyChild.value as { outcome?: string }).outcome !== 'OK')
      throw new Error(`verify failed: ${r.ok ? JSON.stringify(r.message.bodyChild.value) : r.message}`);
  };
  for (let i = 0; i < 50; i++) await once(); // warm-up
  const started = performance.now();
  for (let i = 0; i < VERIFIES; i++) await once();
  return VERIFIES / ((performance.now() - started) / 1000);
}

async function startBenchWorld(): Promise<World> {
  const reg = loadRegistry(join(SCENARIOS_DIR, 'fixtures', 'registry.default.yaml'));
  if (!reg.ok) throw new Error('registry invalid');
  const pos = loadPositionsFile(join(SCENARIOS_DIR, 'fixtures', 'positions.example.yaml'));
  if (!pos.ok) throw new Error('positions invalid');
  const w = createWorld({
    registry: reg.registry,
    positions: { ...pos.config, stations: [] },
    seed: 'bench',
    onBug: (m) => process.stderr.write(`bug: ${m}\n`),
  });
  await w.start();
  return w;
}

const small = storeRounds(1_000);
const big = storeRounds(100_000);
console.log(`session store, rounds/s (verify + activate + outcome lookups and writes, ${ROUNDS} rounds)`);
console.log(`  with   1,000 payments kept: ${Math.round(small).toLocaleString('en')}/s (reference)`);
console.log(`  with 100,000 payments kept: ${Math.round(big).toLocaleString('en')}/s  ratio ${(big / small).toFixed(2)}`);

const fresh = await startBenchWorld();
const freshRate = await verifiesPerSecond(fresh);
// The same Nodo after PAYMENTS payments made over HTTP: activate (with a key) + KO outcome
// (with a key) on the notice, again and again: each leaves a session and keys behind.
const loaded = await startBenchWorld();
const filled = performance.now();
for (let i = 0; i < PAYMENTS; i++) {
  const k = String(i).padStart(10, '0');
  const a = await soap(loaded, 'activatePaymentNoticeV2', {
    ...PSP,
    idempotencyKey: `88888888888_${k}`,
    qrCode: { fiscalCode: EC, noticeNumber: NN },
    amount: '100.00',
  });
  const token = a['paymentToken'] as string;
  await soap(loaded, 'sendPaymentOutcomeV2', {
    ...PSP,
    idempotencyKey: `88888888888_${k.replace(/^0/, 'o')}`,
    paymentTokens: { paymentToken: [token] },
    outcome: 'KO',
  });
}
const fillSeconds = (performance.now() - filled) / 1000;
// Interleaved rounds (fresh, loaded, fresh, loaded, ...) so that a change in the machine's load hits both.
const fr: number[] = [freshRate];
const lr: number[] = [];
for (let round = 0; round < 3; round++) {
  lr.push(await verifiesPerSecond(loaded));
  if (round < 2) fr.push(await verifiesPerSecond(fresh));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const freshMedian = median(fr);
const loadedRate = median(lr);
const sizes = loaded.nodo.stateSizes();
console.log(`verifyPaymentNotice round trips/s over HTTP (sequential, median of 3 interleaved rounds of ${VERIFIES})`);
console.log(`  fresh Nodo: ${Math.round(freshMedian)}/s (reference)`);
console.log(
  `  after ${PAYMENTS.toLocaleString('en')} payments (${sizes['sessions']} sessions, ${sizes['keys']} keys kept; made at ${Math.round(PAYMENTS / fillSeconds)}/s): ${Math.round(loadedRate)}/s  ratio ${(loadedRate / freshMedian).toFixed(2)}`,
);
await fresh.stop();
await loaded.stop();

async function soap(w: World, op: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
  const request = op === 'activatePaymentNoticeV2' ? 'activatePaymentNoticeV2Request' : 'sendPaymentOutcomeV2Request';
  const response = op === 'activatePaymentNoticeV2' ? 'activatePaymentNoticeV2Response' : 'sendPaymentOutcomeV2Response';
  const r = await callSoap({
    url: w.nodoUrl,
    soapAction: op,
    envelope: wrap({ [`nfp:${request}`]: { '@_xmlns:nfp': NS.nodeForPsp, ...fields } }),
    timeoutMs: 10_000,
    expectResponse: response,
  });
  const v = r.ok ? (r.message.bodyChild.value as Record<string, unknown>) : undefined;
  if (v?.['outcome'] !== 'OK') throw new Error(`${op} failed: ${v ? JSON.stringify(v) : r.ok ? '' : r.message}`);
  return v;
}
