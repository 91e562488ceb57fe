/**
 * Step `expectStation:` — what a station received from the Nodo: "station S received
 * primitive P for EC E with fields ...", "station S received nothing", and call counts.
 * Reads the Nodo's outbound records, so it works for reference and user stations alike.
 */
import { unwrap } from '../../soap/index.ts';
import type { Exchange } from '../../soap/index.ts';
import { operationByName } from '../../soap/index.ts';
import type { XmlObject } from '../../xml/index.ts';
import { checkCount, checkFields, fail, pass, type Check, type Matcher } from '../expect.ts';
import type { StepKind, StepContext } from '../step.ts';

interface StationExpect {
  station: string;
  received?: string;
  ec?: string;
  count?: number;
  fields?: Record<string, Matcher>;
  since?: string;
}

const list = (p: unknown): StationExpect[] => (Array.isArray(p) ? p : [p]) as StationExpect[];

function requestValue(ex: Exchange): XmlObject | undefined {
  const un = unwrap(ex.request);
  return un.ok ? un.message.bodyChild.value : undefined;
}

function evaluate(e: StationExpect, ctx: StepContext): Check[] {
  const line = ctx.step.at.line;
  const since = e.since ? (ctx.stepStartSeq.get(e.since) ?? 0) : 0;
  const all = ctx.journal.list({ party: 'nodo', direction: 'outbound', since }).filter((x) => x.to === `station:${e.station}`);
  const nothing = e.received === 'nothing';
  const primitive = nothing ? undefined : e.received;
  const matching = all.filter((x) => (!primitive || x.operation === primitive) && (!e.ec || requestValue(x)?.['idPA'] === e.ec));
  const what = `${primitive ?? 'any request'}${e.ec ? ` for EC ${e.ec}` : ''}`;
  const seen = all.length ? all.map((x) => `${x.operation} for ${String(requestValue(x)?.['idPA'] ?? '?')}`).join(', ') : 'nothing';
  if (nothing) {
    return [
      all.length === 0
        ? pass(`station ${e.station} received nothing`, line)
        : fail(`station ${e.station} received nothing`, { type: 'unexpected', path: `station:${e.station}`, expected: 'no request', actual: seen }, line),
    ];
  }
  const checks: Check[] = [];
  if (e.count !== undefined)
    checks.push(
      checkCount(
        `station ${e.station} received ${what} ${e.count} time(s)`,
        `station:${e.station}`,
        e.count,
        matching.length,
        line,
        matching.length !== e.count ? `it received: ${seen}` : undefined,
      ),
    );
  else if (matching.length === 0) {
    const hint = primitive && operationByName(primitive) === undefined ? `'${primitive}' is not a known primitive` : undefined;
    checks.push(
      fail(
        `station ${e.station} received ${what}`,
        { type: 'missing', path: `station:${e.station}`, expected: what, actual: seen, ...(hint ? { hint } : {}) },
        line,
      ),
    );
  } else checks.push(pass(`station ${e.station} received ${what}`, line));
  if (e.fields && matching.length)
    checks.push(...checkFields(requestValue(matching[matching.length - 1]!), e.fields, `${e.station} ${matching[matching.length - 1]!.operation}`, line));
  return checks;
}

const kind: StepKind = {
  kind: 'expectStation',
  describe: 'Checks what a station received from the Nodo (primitive, EC, count, request fields) or that it received nothing',
  label: (p) =>
    `expectStation ${list(p)
      .map((e) => `${e.station} ${e.received ?? ''}`.trim())
      .join('; ')}`,
  check(p, ctx) {
    return list(p).flatMap((e, i) => {
      const at = Array.isArray(p) ? [i] : [];
      const out = [];
      if (!ctx.stations.has(e.station))
        out.push(
          ctx.issueAt(
            [...at, 'station'],
            'SCENARIO_STATION',
            `Failed to load the scenario: station '${e.station}' is not in the registry. Use one of ${[...ctx.stations].join(', ')}.`,
          ),
        );
      if (e.received && e.received !== 'nothing' && operationByName(e.received)?.iface !== 'paForNode')
        out.push(
          ctx.issueAt(
            [...at, 'received'],
            'SCENARIO_PRIMITIVE',
            `Failed to load the scenario: '${e.received}' is not a paForNode primitive. Use paVerifyPaymentNotice, paGetPayment, paGetPaymentV2, paSendRT, paSendRTV2, paDemandPaymentNotice or nothing.`,
          ),
        );
      if (e.since && !ctx.scenario.steps.some((s) => s.name === e.since && s.index < ctx.step.index))
        out.push(
          ctx.issueAt(
            [...at, 'since'],
            'SCENARIO_CAPTURE',
            `Failed to load the scenario: since: '${e.since}' is not the name of an earlier step. Add name: ${e.since} to the step to count from.`,
          ),
        );
      return out;
    });
  },
  async run(p, ctx) {
    await ctx.world.idle();
    return { kind: 'done', checks: list(ctx.resolve(p)).flatMap((e) => evaluate(e, ctx)) };
  },
};
export default kind;
