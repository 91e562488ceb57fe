/**
 * Step `expectDeliveries:` — the Nodo's receipt delivery state per recipient (station,
 * EC): state (NOTIFIED / NOTICE_PENDING / ... or delivered / pending), attempts, primitive,
 * and the station's answer to an attempt (`answer: {outcome, faultCode, failure, attempt}`,
 * the last attempt unless `attempt: n`). Read from the Nodo's own delivery records, so it
 * works for reference and user stations alike; the step runs once every attempt in flight
 * has settled (World.idle), so what it reads never depends on how fast the station was.
 */
import type { Attempt, RecipientDelivery } from '../../nodo/index.ts';
import { describeMatcher, fail, matches, pass, show, type Check, type Matcher } from '../expect.ts';
import type { StepKind, StepContext } from '../step.ts';

/** The station's answer to one delivery attempt. */
export interface AnswerExpect {
  /** Which attempt: 1-based, or `last` (default). */
  attempt?: number | 'last';
  /** OK or KO: a valid answer; `none`: no valid answer (transport failure or an invalid answer). */
  outcome?: 'OK' | 'KO' | 'none';
  /** The fault code of a KO (or of a SOAP Fault: soap:Server). */
  faultCode?: Matcher;
  /** How the attempt failed: refused, reset, timeout, http-status, not-xml, soap-fault, schema-invalid, invalid-answer. */
  failure?: Matcher;
}

interface DeliveryExpect {
  station: string;
  ec?: string;
  state?: string;
  attempts?: number;
  primitive?: string;
  answer?: AnswerExpect | AnswerExpect[];
}

const ALIASES: Record<string, string> = {
  delivered: 'NOTIFIED',
  notified: 'NOTIFIED',
  pending: 'NOTICE_PENDING',
  sent: 'NOTICE_SENT',
  generated: 'NOTICE_GENERATED',
  skipped: 'SKIPPED',
};
const stateName = (s: string) => ALIASES[s] ?? s;
const list = (p: unknown): DeliveryExpect[] => (Array.isArray(p) ? p : [p]) as DeliveryExpect[];
const answers = (e: DeliveryExpect): AnswerExpect[] => (e.answer === undefined ? [] : Array.isArray(e.answer) ? e.answer : [e.answer]);

/** What the station answered, as the expectations name it. */
function answered(a: Attempt): { outcome: 'OK' | 'KO' | 'none'; faultCode?: string; failure?: string } {
  if (a.result !== 'failed') return { outcome: a.result, ...(a.faultCode ? { faultCode: a.faultCode } : {}) };
  // A failed attempt without a transport failure kind got a well-formed but invalid answer (§8.1: KO without fault, OK with fault).
  return { outcome: 'none', ...(a.faultCode ? { faultCode: a.faultCode } : {}), failure: a.failure ?? 'invalid-answer' };
}

function describeAttempt(a: Attempt): string {
  const got = answered(a);
  const what = got.outcome === 'none' ? `no valid answer (${got.failure})` : `${got.outcome}${got.faultCode ? ` ${got.faultCode}` : ''}`;
  return `${what}: ${a.message}`;
}

function answerChecks(e: AnswerExpect, d: RecipientDelivery, who: string, line: number): Check[] {
  const n = e.attempt === undefined || e.attempt === 'last' ? d.attempts.length : e.attempt;
  const label = e.attempt === undefined || e.attempt === 'last' ? `last attempt (${n})` : `attempt ${n}`;
  const path = `deliveries.${d.idStation}.attempts.${n}`;
  const a = n >= 1 ? d.attempts[n - 1] : undefined;
  const expected = [
    e.outcome,
    e.faultCode !== undefined ? describeMatcher(e.faultCode) : undefined,
    e.failure !== undefined ? `failure ${describeMatcher(e.failure)}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  if (!a) {
    return [
      fail(
        `${who}: the station answered ${label} ${expected}`.trim(),
        {
          type: 'missing',
          path,
          expected: `an attempt ${n || 1}`,
          actual: `${d.attempts.length} attempt(s) made`,
          hint: 'A receipt is delivered again only after a failed attempt and an advance of the retry interval (advance: 1h).',
        },
        line,
      ),
    ];
  }
  const got = answered(a);
  const actual = describeAttempt(a);
  const checks: Check[] = [];
  const one = (field: string, m: Matcher | undefined, value: string | undefined) => {
    if (m === undefined) return;
    const name = `${who}: the station's answer to ${label} has ${field} ${describeMatcher(m)}`;
    checks.push(
      matches(m, value)
        ? pass(name, line)
        : fail(
            name,
            { type: value === undefined ? 'missing' : 'value', path: `${path}.${field}`, expected: describeMatcher(m), actual: `${show(value)} (${actual})` },
            line,
          ),
    );
  };
  one('outcome', e.outcome, got.outcome);
  one('faultCode', e.faultCode, got.faultCode);
  one('failure', e.failure, got.failure);
  return checks;
}

function evaluate(e: DeliveryExpect, ctx: StepContext): Check[] {
  const line = ctx.step.at.line;
  const recipients = ctx.world.deliveries().flatMap((r) => r.recipients.map((d) => ({ r, d })));
  const mine = recipients.filter(({ d }) => d.idStation === e.station && (!e.ec || d.idPA === e.ec));
  const who = `receipt to ${e.station}${e.ec ? ` for EC ${e.ec}` : ''}`;
  if (mine.length === 0) {
    const known = recipients.map(({ d }) => `${d.idStation}/${d.idPA} ${d.state}`).join(', ') || 'no receipt at all';
    return [
      fail(
        `${who} exists`,
        {
          type: 'missing',
          path: `deliveries.${e.station}`,
          expected: who,
          actual: known,
          hint: "Receipts go to the primary station, to the primary EC's broadcast stations (V2 primary only) and to secondary ECs' broadcast stations (docs/primitives.md §10.1).",
        },
        line,
      ),
    ];
  }
  const { d } = mine[mine.length - 1]!;
  const checks: Check[] = [];
  if (e.state !== undefined) {
    const want = stateName(e.state);
    checks.push(
      d.state === want
        ? pass(`${who} is ${want}`, line)
        : fail(
            `${who} is ${want}`,
            { type: 'state', path: `deliveries.${e.station}.state`, expected: want, actual: `${d.state}${d.lastError ? ` (${d.lastError})` : ''}` },
            line,
          ),
    );
  }
  if (e.attempts !== undefined)
    checks.push(
      d.attempts.length === e.attempts
        ? pass(`${who}: ${e.attempts} attempt(s)`, line)
        : fail(
            `${who}: ${e.attempts} attempt(s)`,
            { type: 'count', path: `deliveries.${e.station}.attempts`, expected: String(e.attempts), actual: String(d.attempts.length) },
            line,
          ),
    );
  if (e.primitive !== undefined)
    checks.push(
      d.primitive === e.primitive
        ? pass(`${who} uses ${e.primitive}`, line)
        : fail(
            `${who} uses ${e.primitive}`,
            { type: 'value', path: `deliveries.${e.station}.primitive`, expected: e.primitive, actual: String(d.primitive ?? '(none)') },
            line,
          ),
    );
  for (const a of answers(e)) checks.push(...answerChecks(a, d, who, line));
  if (checks.length === 0) checks.push(pass(`${who} exists`, line));
  return checks;
}

const kind: StepKind = {
  kind: 'expectDeliveries',
  describe:
    "Checks the Nodo's receipt delivery per recipient: state, attempts, primitive, and the station's answer to an attempt (outcome, faultCode, failure)",
  label: (p) =>
    `expectDeliveries ${list(p)
      .map((e) => `${e.station}${e.state ? ` ${e.state}` : ''}`)
      .join('; ')}`,
  check(p, ctx) {
    return list(p).flatMap((e, i) => {
      const at = Array.isArray(p) ? [i] : [];
      const out = ctx.stations.has(e.station)
        ? []
        : [
            ctx.issueAt(
              [...at, 'station'],
              'SCENARIO_STATION',
              `Failed to load the scenario: station '${e.station}' is not in the registry. Use one of ${[...ctx.stations].join(', ')}.`,
            ),
          ];
      answers(e).forEach((a, j) => {
        const where = [...at, 'answer', ...(Array.isArray(e.answer) ? [j] : [])];
        if (a.outcome === 'none' && a.faultCode !== undefined && e.attempts === undefined && a.failure === undefined) return;
        if (a.outcome === 'OK' && (a.faultCode !== undefined || a.failure !== undefined))
          out.push(
            ctx.issueAt(
              where,
              'SCENARIO_ANSWER',
              'Failed to load the scenario: an answer with outcome OK has no faultCode or failure. Expect outcome KO with a faultCode, or outcome none with a failure.',
            ),
          );
        if (typeof a.attempt === 'number' && typeof e.attempts === 'number' && a.attempt > e.attempts)
          out.push(
            ctx.issueAt(
              [...where, 'attempt'],
              'SCENARIO_ANSWER',
              `Failed to load the scenario: answer.attempt ${a.attempt} is after the last of the ${e.attempts} attempt(s) this expectation states. Use an attempt from 1 to ${e.attempts}, or last.`,
            ),
          );
      });
      return out;
    });
  },
  async run(p, ctx) {
    await ctx.world.idle();
    return { kind: 'done', checks: list(ctx.resolve(p)).flatMap((e) => evaluate(e, ctx)) };
  },
};
export default kind;
