/**
 * `npm run bench:concurrency`: one notice paid by many PSPs at once (issue 18 item 1), through a
 * mock Nodo process in front of a reference station process, as users run them. Each round:
 * - contender: N concurrent activatePaymentNoticeV2 of ONE notice (N idempotency keys): exactly 1
 *   paymentToken, the others KO PPT_PAGAMENTO_IN_CORSO; then N concurrent sendPaymentOutcomeV2 OK
 *   on that token: exactly 1 accepted, 1 PAID session and 1 receipt delivered to the station;
 * - reference: the same number of activations on N distinct notices (N tokens), then N outcomes,
 *   one per token: what the Nodo does when nothing contends.
 * The figures are the contender's times as ratios to the reference's, taken round by round
 * (rounds interleaved, the order swapped every round, so a change of the machine's load hits both
 * sides), and the counts of every round. A count other than 1 is a failure (exit 1): the figure
 * is meaningless if the Nodo paid a notice twice.
 *
 * Usage: npm run bench:concurrency [-- --n 50 --rounds 7] [--quick]
 */
import { benchArgs, fmt, loadNote, num, row } from './lib/args.ts';
import { notice, positionsYaml } from './lib/fixtures.ts';
import { median } from './lib/load.ts';
import { activateV2Req, outcomeV2Req } from './lib/messages.ts';
import { startPair } from './lib/pair.ts';

const a = benchArgs({ n: '50', rounds: '7' }, { n: '20', rounds: '2' });
const N = num(a.n);
const ROUNDS = num(a.rounds);
if (!Number.isInteger(N) || N < 2 || !Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error(`Failed to run the benchmark: --n must be an integer of at least 2 and --rounds a positive integer (got ${a.n}, ${a.rounds}).`);
  process.exit(2);
}

const TOKEN = /<paymentToken>([^<]+)<\/paymentToken>/;
const FAULT = /<faultCode>([^<]+)<\/faultCode>/;
const OUTCOME_OK = /<outcome>OK<\/outcome>/;

/** Each round uses 1 + N fresh notices: the contender's first, then the reference's. */
const perRound = N + 1;
const pair = await startPair(positionsYaml((ROUNDS + 1) * perRound));
const stationBase = /control API\s+(http:\/\/\S+)\/_control\/stations/.exec(pair.station.output())![1]!;
const nodoBase = pair.nodoUrl.replace(/\/nodo$/, '');
let keySeq = 0;
/** An idempotency key suffix: one letter and 9 digits (the XSD's 10 characters). */
const key = (p: string) => `${p}${String(++keySeq).padStart(9, '0')}`;

async function soap(action: string, body: string): Promise<string> {
  const res = await fetch(pair.nodoUrl, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: action }, body });
  return res.text();
}

/** Answers of `calls` sent all at once, and the time from the first sent to the last answered. */
async function atOnce(calls: Array<() => Promise<string>>): Promise<{ answers: string[]; ms: number }> {
  const t0 = performance.now();
  const answers = await Promise.all(calls.map((c) => c()));
  return { answers, ms: performance.now() - t0 };
}

const codes = (answers: string[]) => {
  const out = new Map<string, number>();
  for (const x of answers) {
    const k = OUTCOME_OK.test(x) ? 'OK' : (FAULT.exec(x)?.[1] ?? 'other');
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return [...out].map(([k, v]) => `${v} ${k}`).join(', ');
};

async function json<T>(url: string): Promise<T> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`Failed to read ${url}: HTTP ${r.status} ${(await r.text()).slice(0, 200)}`);
  return (await r.json()) as T;
}

/** Waits until the station holds `count` receipts in all (deliveries are asynchronous). */
async function stationReceipts(count: number): Promise<Array<{ noticeNumber?: string }>> {
  const started = performance.now();
  for (;;) {
    const { receipts } = await json<{ receipts: Array<{ noticeNumber?: string }> }>(`${stationBase}/_control/stations/receipts`);
    if (receipts.length >= count) return receipts;
    if (performance.now() - started > 120_000)
      throw new Error(`Failed to see ${count} receipts delivered to the station within 120 s: ${receipts.length} so far.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Round {
  activate: { contender: number; reference: number };
  outcome: { contender: number; reference: number };
  tokens: number;
  accepted: number;
  paid: number;
  receipts: number;
  activateCodes: string;
  outcomeCodes: string;
}

let receiptsSoFar = 0;

async function contender(nn: string): Promise<Omit<Round, 'activate' | 'outcome' | 'paid' | 'receipts'> & { activateMs: number; outcomeMs: number }> {
  const act = await atOnce(Array.from({ length: N }, () => () => soap('activatePaymentNoticeV2', activateV2Req(nn, key('a')))));
  const tokens = [...new Set(act.answers.map((x) => (OUTCOME_OK.test(x) ? TOKEN.exec(x)?.[1] : undefined)).filter((t): t is string => t !== undefined))];
  if (tokens.length === 0)
    throw new Error(`Failed to activate notice ${nn}: no activation answered OK (${codes(act.answers)}). ${act.answers[0]!.slice(0, 400)}`);
  const token = tokens[0]!;
  const out = await atOnce(Array.from({ length: N }, () => () => soap('sendPaymentOutcomeV2', outcomeV2Req(token, key('o')))));
  return {
    tokens: tokens.length,
    accepted: out.answers.filter((x) => OUTCOME_OK.test(x)).length,
    activateCodes: codes(act.answers),
    outcomeCodes: codes(out.answers),
    activateMs: act.ms,
    outcomeMs: out.ms,
  };
}

async function reference(nns: string[]): Promise<{ activateMs: number; outcomeMs: number }> {
  const act = await atOnce(nns.map((nn) => () => soap('activatePaymentNoticeV2', activateV2Req(nn, key('b')))));
  const tokens = act.answers.map((x, i) => {
    const t = OUTCOME_OK.test(x) ? TOKEN.exec(x)?.[1] : undefined;
    if (!t) throw new Error(`Failed to activate reference notice ${nns[i]}: ${x.slice(0, 400)}`);
    return t;
  });
  const out = await atOnce(tokens.map((t) => () => soap('sendPaymentOutcomeV2', outcomeV2Req(t, key('p')))));
  const bad = out.answers.filter((x) => !OUTCOME_OK.test(x));
  if (bad.length) throw new Error(`Failed to pay the reference notices: ${bad.length} outcome(s) not OK: ${bad[0]!.slice(0, 400)}`);
  return { activateMs: act.ms, outcomeMs: out.ms };
}

async function round(r: number): Promise<Round> {
  const base = r * perRound + 1;
  const one = notice(base);
  const distinct = Array.from({ length: N }, (_v, i) => notice(base + 1 + i));
  // Swap the order every round: neither side always runs on a warmer (or busier) process.
  let c: Awaited<ReturnType<typeof contender>>;
  let ref: Awaited<ReturnType<typeof reference>>;
  if (r % 2 === 0) {
    c = await contender(one);
    ref = await reference(distinct);
  } else {
    ref = await reference(distinct);
    c = await contender(one);
  }
  // Every receipt of the round delivered (1 + N when the Nodo paid the contended notice once), then counted per notice.
  receiptsSoFar += 1 + N;
  const receipts = await stationReceipts(receiptsSoFar);
  const sessions = await json<Array<{ noticeNumber: string; state: string }>>(`${nodoBase}/_control/nodo/sessions`);
  return {
    activate: { contender: c.activateMs, reference: ref.activateMs },
    outcome: { contender: c.outcomeMs, reference: ref.outcomeMs },
    tokens: c.tokens,
    accepted: c.accepted,
    paid: sessions.filter((s) => s.noticeNumber === one && s.state === 'PAID').length,
    receipts: receipts.filter((x) => x.noticeNumber === one).length,
    activateCodes: c.activateCodes,
    outcomeCodes: c.outcomeCodes,
  };
}

const paired = (xs: number[], ys: number[]) => {
  const rs = xs.map((x, i) => x / ys[i]!);
  return `${median(rs).toFixed(2)}${rs.length > 1 ? ` (${Math.min(...rs).toFixed(2)}-${Math.max(...rs).toFixed(2)} over ${rs.length} rounds)` : ''}`;
};

let failed = false;
try {
  console.log(
    `${fmt(N)} concurrent activations of one notice, then ${fmt(N)} concurrent outcomes on its token / the same on ${fmt(N)} distinct notices; ${ROUNDS} round(s) interleaved after a warm-up round (${loadNote()})`,
  );
  const rounds: Round[] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const x = await round(r);
    const once = x.tokens === 1 && x.accepted === 1 && x.paid === 1 && x.receipts === 1;
    if (!once) failed = true;
    console.log(
      `  ${r === 0 ? 'warm-up' : `round ${r}`}: ${x.tokens} token, ${x.accepted} outcome accepted, ${x.paid} PAID session, ${x.receipts} receipt${once ? '' : '   <-- NOT exactly one'}; activations ${x.activateCodes}; outcomes ${x.outcomeCodes}; activations ${fmt(x.activate.contender)} ms / ${fmt(x.activate.reference)} ms, outcomes ${fmt(x.outcome.contender)} ms / ${fmt(x.outcome.reference)} ms`,
    );
    if (r > 0) rounds.push(x);
  }
  const all = (f: (x: Round) => number) => rounds.map(f);
  const throughput = (ms: number[]) => fmt(median(ms.map((m) => (N * 1000) / m)));
  row(
    `rounds with exactly 1 token, 1 accepted outcome, 1 PAID, 1 receipt`,
    `${rounds.filter((x) => x.tokens === 1 && x.accepted === 1 && x.paid === 1 && x.receipts === 1).length}/${rounds.length}`,
  );
  row(
    `${N} activations of ONE notice: time / ${N} of distinct notices`,
    `${fmt(median(all((x) => x.activate.contender)))} ms`,
    `${fmt(median(all((x) => x.activate.reference)))} ms`,
    paired(
      all((x) => x.activate.contender),
      all((x) => x.activate.reference),
    ),
  );
  row(
    `  activations answered per second: one notice / distinct notices`,
    `${throughput(all((x) => x.activate.contender))}/s`,
    `${throughput(all((x) => x.activate.reference))}/s`,
  );
  row(
    `${N} outcomes on ONE token: time / ${N} outcomes on distinct tokens`,
    `${fmt(median(all((x) => x.outcome.contender)))} ms`,
    `${fmt(median(all((x) => x.outcome.reference)))} ms`,
    paired(
      all((x) => x.outcome.contender),
      all((x) => x.outcome.reference),
    ),
  );
  row(
    `  outcomes answered per second: one token / distinct tokens`,
    `${throughput(all((x) => x.outcome.contender))}/s`,
    `${throughput(all((x) => x.outcome.reference))}/s`,
  );
} catch (e) {
  console.error(`Failed to run the benchmark: ${(e as Error).message}`);
  process.exitCode = 3;
} finally {
  await pair.stop();
}
if (failed) console.log('A notice was activated, accepted, paid or delivered other than exactly once: the Nodo is wrong, the times above mean nothing.');
if (process.exitCode !== 3) process.exitCode = failed ? 1 : 0;
