/**
 * Step `expectDeliveries:` — the Nodo's receipt delivery state per recipient (station,
 * EC): state (NOTIFIED / NOTICE_PENDING / ... or delivered / pending), attempts, primitive.
 */
import { fail, pass, type Check } from '../expect.ts';
import type { StepKind, StepContext } from '../step.ts';

interface DeliveryExpect {
  station: string;
  ec?: string;
  state?: string;
  attempts?: number;
  primitive?: string;
}

const ALIASES: Record<string, string> = { delivered: 'NOTIFIED', notified: 'NOTIFIED', pending: 'NOTICE_PENDING', sent: 'NOTICE_SENT', generated: 'NOTICE_GENERATED', skipped: 'SKIPPED' };
const stateName = (s: string) => ALIASES[s] ?? s;
const list = (p: unknown): DeliveryExpect[] => (Array.isArray(p) ? p : [p]) as DeliveryExpect[];

function evaluate(e: DeliveryExpect, ctx: StepContext): Check[] {
  const line = ctx.step.at.line;
  const recipients = ctx.world.deliveries().flatMap((r) => r.recipients.map((d) => ({ r, d })));
  const mine = recipients.filter(({ d }) => d.idStation === e.station && (!e.ec || d.idPA === e.ec));
  const who = `receipt to ${e.station}${e.ec ? ` for EC ${e.ec}` : ''}`;
  if (mine.length === 0) {
    const known = recipients.map(({ d }) => `${d.idStation}/${d.idPA} ${d.state}`).join(', ') || 'no receipt at all';
    return [fail(`${who} exists`, { type: 'missing', path: `deliveries.${e.station}`, expected: who, actual: known, hint: 'Receipts go to the primary station, to the primary EC\'s broadcast stations (V2 primary only) and to secondary ECs\' broadcast stations (primitives.md §10.1).' }, line)];
  }
  const { d } = mine[mine.length - 1]!;
  const checks: Check[] = [];
  if (e.state !== undefined) {
    const want = stateName(e.state);
    checks.push(d.state === want ? pass(`${who} is ${want}`, line) : fail(`${who} is ${want}`, { type: 'state', path: `deliveries.${e.station}.state`, expected: want, actual: `${d.state}${d.lastError ? ` (${d.lastError})` : ''}` }, line));
  }
  if (e.attempts !== undefined) checks.push(d.attempts.length === e.attempts ? pass(`${who}: ${e.attempts} attempt(s)`, line) : fail(`${who}: ${e.attempts} attempt(s)`, { type: 'count', path: `deliveries.${e.station}.attempts`, expected: String(e.attempts), actual: String(d.attempts.length) }, line));
  if (e.primitive !== undefined) checks.push(d.primitive === e.primitive ? pass(`${who} uses ${e.primitive}`, line) : fail(`${who} uses ${e.primitive}`, { type: 'value', path: `deliveries.${e.station}.primitive`, expected: e.primitive, actual: String(d.primitive ?? '(none)') }, line));
  if (checks.length === 0) checks.push(pass(`${who} exists`, line));
  return checks;
}

const kind: StepKind = {
  kind: 'expectDeliveries',
  describe: "Checks the Nodo's receipt delivery per recipient: state, attempts, primitive",
  label: (p) => `expectDeliveries ${list(p).map((e) => `${e.station}${e.state ? ' ' + e.state : ''}`).join('; ')}`,
  check(p, ctx) {
    return list(p).flatMap((e, i) => (ctx.stations.has(e.station) ? [] : [ctx.issueAt([...(Array.isArray(p) ? [i] : []), 'station'], 'SCENARIO_STATION', `Failed to load the scenario: station '${e.station}' is not in the registry. Use one of ${[...ctx.stations].join(', ')}.`)]));
  },
  async run(p, ctx) {
    await ctx.world.idle();
    return { kind: 'done', checks: list(ctx.resolve(p)).flatMap((e) => evaluate(e, ctx)) };
  },
};
export default kind;
