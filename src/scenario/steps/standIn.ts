/**
 * Stand-in and ACA step kinds (issue 15): confer a position to the ACA emulator over HTTP
 * (`paCreatePosition`), put a station in or out of stand-in by hand (`standIn`), send the
 * stand-in probe once and judge the station's answer (`standInProbe`), and check the
 * Nodo's stand-in state (`expectStandIn`). Format: src/nodo/standIn/README.md.
 */
import { DEFAULT_SUBSCRIPTION_KEY } from '../../aca/index.ts';
import { checkFields, fail, pass, type Check, type Matcher } from '../expect.ts';
import { ruleCheck, stationRule } from '../rules.ts';
import { pick } from '../../xml/index.ts';
import type { LoadContext, StepContext, StepKind } from '../step.ts';
import type { ProbeResult } from '../../nodo/index.ts';
import { defaultEc } from '../model.ts';

const fiscalCode = { type: 'string', pattern: '^(\\$\\{[^}]+\\}|[0-9]{11})$' };
const noticeNumber = { type: 'string', pattern: '^(\\$\\{[^}]+\\}|[0-9]{18})$' };
const fields = { type: 'object', additionalProperties: { $ref: 'urn:pagopa-station-harness:scenario#/$defs/matcher' } };
const line = (ctx: StepContext) => ctx.step.at.line;
const stationIssue = (station: unknown, ctx: LoadContext, at: (string | number)[] = ['station']) =>
  typeof station === 'string' && !station.includes('${') && !ctx.stations.has(station)
    ? [
        ctx.issueAt(
          at,
          'SCENARIO_STATION',
          `Failed to load the scenario: station '${station}' is not in the registry. Use one of ${[...ctx.stations].join(', ')}.`,
        ),
      ]
    : [];

// ---------------------------------------------------------------- paCreatePosition

interface PaCreatePositionParams {
  fiscalCode?: string;
  /** The notice number: iuv = its last 17 digits, nav = the notice number. */
  noticeNumber?: string;
  iuv?: string;
  nav?: string | null;
  /** Eurocent; 0 invalidates. */
  amount?: number;
  description?: string;
  expirationDate?: string;
  entityType?: 'F' | 'G';
  entityFiscalCode?: string;
  entityFullName?: string;
  iban?: string;
  postalIban?: string;
  switchToExpired?: boolean;
  payStandIn?: boolean;
  /** Fields merged into the body last (null removes one). */
  body?: Record<string, unknown>;
  /** Ocp-Apim-Subscription-Key (default the emulator's default key; null = none). */
  subscriptionKey?: string | null;
  /** Expected HTTP status (default 200). */
  httpStatus?: number;
  fields?: Record<string, Matcher>;
}

function acaBody(p: PaCreatePositionParams, ctx: StepContext): Record<string, unknown> {
  const nav = p.noticeNumber;
  const body: Record<string, unknown> = {
    paFiscalCode: p.fiscalCode ?? defaultEc(ctx.scenario.setup),
    entityType: p.entityType ?? 'F',
    entityFiscalCode: p.entityFiscalCode ?? 'RSSMRA80A01H501U',
    entityFullName: p.entityFullName ?? 'Mario Rossi',
    iuv: p.iuv ?? nav?.slice(1),
    ...(p.nav === null ? {} : p.nav !== undefined ? { nav: p.nav } : nav ? { nav } : {}),
    amount: p.amount ?? 10000,
    description: p.description ?? 'Avviso di pagamento',
    expirationDate: p.expirationDate ?? '2026-12-31T23:59:59+01:00',
    ...(p.iban ? { iban: p.iban } : {}),
    ...(p.postalIban ? { postalIban: p.postalIban } : {}),
    ...(p.switchToExpired !== undefined ? { switchToExpired: p.switchToExpired } : {}),
    ...(p.payStandIn !== undefined ? { payStandIn: p.payStandIn } : {}),
  };
  for (const [k, v] of Object.entries(p.body ?? {})) {
    if (v === null) delete body[k];
    else body[k] = v;
  }
  return body;
}

const paCreatePosition: StepKind = {
  kind: 'paCreatePosition',
  describe:
    'Confers a debt position to the ACA emulator (POST /aca/v1/paCreatePosition over HTTP): noticeNumber + amount in eurocent (0 invalidates), payStandIn; checks the HTTP status and fields of the answer',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      fiscalCode,
      noticeNumber,
      iuv: { type: 'string', minLength: 1 },
      nav: { type: ['string', 'null'] },
      amount: { type: 'integer', minimum: 0 },
      description: { type: 'string' },
      expirationDate: { type: 'string' },
      entityType: { enum: ['F', 'G'] },
      entityFiscalCode: { type: 'string' },
      entityFullName: { type: 'string' },
      iban: { type: 'string' },
      postalIban: { type: 'string' },
      switchToExpired: { type: 'boolean' },
      payStandIn: { type: 'boolean' },
      body: { type: 'object' },
      subscriptionKey: { type: ['string', 'null'] },
      httpStatus: { type: 'integer', minimum: 100, maximum: 599 },
      fields,
    },
  },
  label: (p) =>
    `paCreatePosition ${(p as PaCreatePositionParams).noticeNumber ?? (p as PaCreatePositionParams).iuv ?? ''} ${(p as PaCreatePositionParams).amount ?? ''}`.trim(),
  check(p, ctx) {
    const q = (p ?? {}) as PaCreatePositionParams;
    if (!q.noticeNumber && !q.iuv && !(q.body && 'iuv' in q.body))
      return [ctx.issueAt([], 'SCENARIO_ACA', 'Failed to load the scenario: paCreatePosition needs noticeNumber (or iuv). Add one.')];
    return [];
  },
  async run(raw, ctx) {
    const p = ctx.resolve((raw ?? {}) as PaCreatePositionParams);
    const body = acaBody(p, ctx);
    const key = p.subscriptionKey === undefined ? DEFAULT_SUBSCRIPTION_KEY : p.subscriptionKey;
    let status: number;
    let text: string;
    try {
      const r = await fetch(`${ctx.world.baseUrl}/aca/v1/paCreatePosition`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { 'ocp-apim-subscription-key': key } : {}) },
        body: JSON.stringify(body),
        signal: ctx.signal,
      });
      status = r.status;
      text = await r.text();
    } catch (e) {
      return { kind: 'error', message: `Failed to call ACA's paCreatePosition: ${(e as Error).message}. Check the world is started.` };
    }
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      json = { text };
    }
    const expected = p.httpStatus ?? 200;
    const checks: Check[] = [
      status === expected
        ? pass(`ACA answered HTTP ${expected}`, line(ctx))
        : fail(
            `ACA answered HTTP ${expected}`,
            { type: 'value', path: 'httpStatus', expected: String(expected), actual: `${status} ${text.slice(0, 300)}` },
            line(ctx),
          ),
    ];
    if (p.fields) checks.push(...checkFields(json, p.fields, 'ACA response', line(ctx)));
    return { kind: 'done', value: { httpStatus: status, ...json }, checks };
  },
};

// ---------------------------------------------------------------- standIn (by hand)

interface StandInParams {
  station: string;
  /** on = in stand-in now (an ADDED event), off = out of it (REMOVED). */
  active: boolean;
}

const standIn: StepKind = {
  kind: 'standIn',
  describe:
    "Puts a station in stand-in (active: true) or takes it out (false) by hand, as an operator of the stand-in manager would; the registry's forceStandIn and the algorithm are the other ways",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['station', 'active'],
    properties: { station: { type: 'string' }, active: { type: 'boolean' } },
  },
  label: (p) => `standIn ${(p as StandInParams).station} ${(p as StandInParams).active ? 'on' : 'off'}`,
  check: (p, ctx) => stationIssue((p as StandInParams).station, ctx),
  async run(raw, ctx) {
    const p = ctx.resolve(raw as StandInParams);
    const why = p.active
      ? ctx.world.nodo.standIn.add(p.station, 'put in stand-in by the scenario')
      : ctx.world.nodo.standIn.remove(p.station, 'taken out of stand-in by the scenario');
    if (why) return { kind: 'error', message: why };
    return { kind: 'done', value: { stations: ctx.world.nodo.standIn.stations() }, checks: [] };
  },
};

// ---------------------------------------------------------------- standInProbe

interface ProbeParams {
  station: string;
  /** Expected verdict (default true: a positive answer, HTTP 2xx with a KO PAA_PAGAMENTO_SCONOSCIUTO). */
  positive?: boolean;
}

const standInProbe: StepKind = {
  kind: 'standInProbe',
  describe:
    'Sends the stand-in probe (paVerifyPaymentNotice of notice 000000000000000000) to a station once, as the stand-in manager does, and checks the verdict (default: positive)',
  schema: {
    anyOf: [
      { type: 'string' },
      { type: 'object', additionalProperties: false, required: ['station'], properties: { station: { type: 'string' }, positive: { type: 'boolean' } } },
    ],
  },
  label: (p) => `standInProbe ${typeof p === 'string' ? p : (p as ProbeParams).station}`,
  check: (p, ctx) => stationIssue(typeof p === 'string' ? p : (p as ProbeParams).station, ctx, typeof p === 'string' ? [] : ['station']),
  async run(raw, ctx) {
    const p = ctx.resolve(typeof raw === 'string' ? { station: raw } : (raw as ProbeParams));
    const r = await ctx.world.nodo.standIn.probe(p.station);
    const want = p.positive ?? true;
    const name = `station ${p.station} answers the stand-in probe ${want ? 'positively (HTTP 2xx, KO PAA_PAGAMENTO_SCONOSCIUTO)' : 'negatively'}`;
    const hint = want
      ? 'The stand-in manager ends stand-in only on positive probes: answer paVerifyPaymentNotice of notice 000000000000000000 with HTTP 200 and a paVerifyPaymentNoticeRes KO PAA_PAGAMENTO_SCONOSCIUTO (docs/aca-standin.md §4.3, docs/primitives.md §13).'
      : undefined;
    const mismatch =
      r.positive === want
        ? undefined
        : {
            type: 'value' as const,
            path: `probe:${p.station}`,
            expected: want ? 'positive' : 'negative',
            actual: `${r.positive ? 'positive' : 'negative'}: ${r.detail}`,
            ...(hint ? { hint } : {}),
          };
    const check = want ? ruleCheck('STANDIN-PROBE', name, mismatch, line(ctx)) : mismatch ? fail(name, mismatch, line(ctx)) : pass(name, line(ctx));
    const underTest = ctx.station !== undefined && p.station === ctx.station.stationCode;
    const late = underTest ? lateProbe(r, ctx.station!.profile.station.timeouts.paVerifyPaymentNotice, line(ctx)) : undefined;
    // No answer within the probe's own timeout, shorter than the profile's: not ANSWER-TIME, but the probe
    // failed for want of an answer, and every later probe would wait as long.
    if (!late && underTest && r.failure === 'timeout')
      return { kind: 'done', value: r, checks: [check], halt: `STANDIN-PROBE failed: ${r.detail}; every later probe would wait as long` };
    if (!late) return { kind: 'done', value: r, checks: [check] };
    // A late answer is the cause (the probe's verdict folds under it: report/fold.ts), and the steps
    // after it are not run: every probe of the hour a scenario advances would wait as long, and a
    // verdict on them would only repeat this one.
    return { kind: 'done', value: r, checks: [late.check, check], halt: `ANSWER-TIME failed: ${late.actual}; every later probe would wait as long` };
  },
};

/**
 * ANSWER-TIME judged on the stand-in probe of the station under test (station suite): the probe is a
 * paVerifyPaymentNotice, so the Nodo's paVerifyPaymentNotice timeout of the profile applies. Judged on
 * what the probe recorded (no answer within its timeout, or the time the answer took), never on a
 * second timer. `undefined` when the answer came in time.
 */
function lateProbe(r: ProbeResult, timeoutMs: number, l: number): { check: Check; actual: string } | undefined {
  const what = `paVerifyPaymentNotice (the stand-in probe) is answered within the Nodo's timeout (${timeoutMs} ms)`;
  // A probe that gave up before the profile's timeout says nothing about ANSWER-TIME.
  const gaveUp = r.failure === 'timeout' && (r.timeoutMs ?? timeoutMs) >= timeoutMs;
  const actual = gaveUp
    ? `no answer within ${r.timeoutMs ?? timeoutMs} ms (the probe's timeout)`
    : r.durationMs !== undefined && r.durationMs > timeoutMs && r.failure !== 'timeout'
      ? `answered after ${Math.round(r.durationMs)} ms`
      : undefined;
  if (!actual) return undefined;
  const mismatch = {
    type: 'transport' as const,
    path: 'time',
    expected: `an answer within ${timeoutMs} ms`,
    actual,
    hint: `answer paVerifyPaymentNotice within ${timeoutMs} ms, the probe of notice 000000000000000000 included: a real Nodo gives up and the PSP gets PPT_STAZIONE_INT_PA_TIMEOUT (SLA: 2 s); a probe without an answer is negative, and stand-in does not end (ANSWER-TIME)`,
  };
  return { check: ruleCheck('ANSWER-TIME', what, mismatch, l), actual };
}

// ---------------------------------------------------------------- expectStandIn

interface ExpectStandInParams {
  station: string;
  active?: boolean;
  /** The station's stand-in events so far, in order (ADDED, REMOVED). */
  events?: Array<'ADDED' | 'REMOVED'>;
  /** Probes sent to the station so far: count, and how many positive. */
  probes?: number;
  positiveProbes?: number;
  /** The station rule these checks judge (station suite), e.g. STANDIN-PROBE-ENDS. */
  rule?: string;
}

const expectStandIn: StepKind = {
  kind: 'expectStandIn',
  describe: "Checks the Nodo's stand-in state of a station: active or not, its ADDED/REMOVED events, the probes sent and how many were positive",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['station'],
    properties: {
      station: { type: 'string' },
      active: { type: 'boolean' },
      events: { type: 'array', items: { enum: ['ADDED', 'REMOVED'] } },
      probes: { type: 'integer', minimum: 0 },
      positiveProbes: { type: 'integer', minimum: 0 },
      rule: { type: 'string', pattern: '^[A-Z][A-Z0-9-]*$' },
    },
  },
  label: (p) =>
    `expectStandIn ${(p as ExpectStandInParams).station}${(p as ExpectStandInParams).active === undefined ? '' : (p as ExpectStandInParams).active ? ' on' : ' off'}`,
  check: (p, ctx) => {
    const q = p as ExpectStandInParams;
    const bad =
      q.rule && !stationRule(q.rule)
        ? [ctx.issueAt(['rule'], 'SCENARIO_RULE', `Failed to load the scenario: '${q.rule}' is not a station rule. Use one of src/scenario/rules.ts.`)]
        : [];
    return [...stationIssue(q.station, ctx), ...bad];
  },
  async run(raw, ctx) {
    const p = ctx.resolve(raw as ExpectStandInParams);
    await ctx.world.idle();
    const s = ctx.world.nodo.standIn;
    const events = s.events().filter((e) => e.station === p.station);
    const probes = s.probes(p.station);
    const history = events.map((e) => `${e.type} at ${e.at} (${e.reason})`).join('; ') || 'no stand-in event';
    const checks: Check[] = [];
    const l = line(ctx);
    if (p.active !== undefined) {
      const name = `station ${p.station} is ${p.active ? '' : 'not '}in stand-in`;
      checks.push(
        s.active(p.station) === p.active
          ? pass(name, l)
          : fail(
              name,
              {
                type: 'state',
                path: `standIn:${p.station}`,
                expected: p.active ? 'in stand-in' : 'not in stand-in',
                actual: `${s.active(p.station) ? 'in stand-in' : 'not in stand-in'}; ${history}`,
              },
              l,
            ),
      );
    }
    if (p.events) {
      const actual = events.map((e) => e.type);
      const name = `stand-in events of ${p.station} are ${p.events.join(', ') || 'none'}`;
      checks.push(
        JSON.stringify(actual) === JSON.stringify(p.events)
          ? pass(name, l)
          : fail(name, { type: 'value', path: `standIn:${p.station}.events`, expected: p.events.join(', ') || '(none)', actual: history }, l),
      );
    }
    if (p.probes !== undefined) {
      const name = `${p.probes} stand-in probe(s) sent to ${p.station}`;
      checks.push(
        probes.length === p.probes
          ? pass(name, l)
          : fail(name, { type: 'count', path: `standIn:${p.station}.probes`, expected: String(p.probes), actual: String(probes.length) }, l),
      );
    }
    if (p.positiveProbes !== undefined) {
      const positive = probes.filter((x) => x.positive).length;
      const name = `${p.positiveProbes} positive stand-in probe(s) of ${p.station}`;
      const last = probes.find((x) => !x.positive);
      checks.push(
        positive === p.positiveProbes
          ? pass(name, l)
          : fail(
              name,
              {
                type: 'count',
                path: `standIn:${p.station}.positiveProbes`,
                expected: String(p.positiveProbes),
                actual: `${positive}${last ? ` (a negative one: ${last.detail})` : ''}`,
              },
              l,
            ),
      );
    }
    if (checks.length === 0) checks.push(pass(`stand-in state of ${p.station} read`, l));
    const judged = p.rule ? checks.map((c) => ruleCheck(p.rule!, c.name, c.mismatch, c.line)) : checks;
    return { kind: 'done', value: { active: s.active(p.station), events, probes }, checks: judged };
  },
};

// ---------------------------------------------------------------- expectAcaPosition (station suite)

interface AcaPositionParams {
  notice: string;
  rules: string[];
}

interface AcaView {
  iupd: string;
  payStandIn: boolean;
  position: { nav?: string; amount?: number; status?: string; paFiscalCode?: string };
}

const expectAcaPosition: StepKind = {
  kind: 'expectAcaPosition',
  describe:
    "Checks that the station's EC conferred a notice to ACA (station suite): ACA holds it, VALID, payable in stand-in, at the amount the station verifies",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['notice', 'rules'],
    properties: {
      notice: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      rules: { type: 'array', minItems: 1, maxItems: 1, items: { enum: ['ACA-CONFERRED'] } },
    },
  },
  check(raw, ctx) {
    const p = raw as AcaPositionParams;
    return p.notice in (ctx.scenario.station?.roles ?? {})
      ? []
      : [
          ctx.issueAt(
            ['notice'],
            'SCENARIO_ROLE',
            `Failed to load the scenario: notice '${p.notice}' is not a role of the scenario. Declare it under station.roles.`,
          ),
        ];
  },
  label: (raw) => `expectAcaPosition ${(raw as AcaPositionParams).notice}`,
  async run(raw, ctx) {
    const sc = ctx.station;
    const p = raw as AcaPositionParams;
    const b = sc?.bindings[p.notice];
    if (!sc || !b)
      return {
        kind: 'error',
        message: 'Failed to run expectAcaPosition: the case has no station under test or no notice for the role. This is a harness bug.',
      };
    const l = line(ctx);
    const what = `notice ${b.noticeNumber} of EC ${b.fiscalCode} is in ACA, VALID and payable in stand-in`;
    let positions: AcaView[];
    let where: string;
    if (sc.profile.aca.url) {
      where = sc.profile.aca.url;
      try {
        const r = await fetch(`${where}/_control/aca/positions?paFiscalCode=${b.fiscalCode}`, { signal: ctx.signal });
        if (!r.ok)
          return {
            kind: 'error',
            message: `Failed to read ACA's positions at ${where}: HTTP ${r.status} ${(await r.text()).slice(0, 200)}. Check aca.url in ${sc.profile.file} points at a harness (station-harness aca).`,
          };
        positions = (await r.json()) as AcaView[];
      } catch (e) {
        return {
          kind: 'error',
          message: `Failed to reach the harness ACA at ${where}: ${(e as Error).message}. Start it (station-harness aca --profile ${sc.profile.file}) or fix aca.url.`,
        };
      }
    } else {
      // The in-process reference station: its back office (the harness) confers its positions to this world's ACA now.
      where = `${ctx.world.baseUrl}/aca/v1`;
      await ctx.world.stations.conferToAca(sc.stationCode, where, DEFAULT_SUBSCRIPTION_KEY);
      positions = ctx.world.aca.positions(b.fiscalCode).map((x) => ({
        iupd: x.iupd,
        payStandIn: x.payStandIn ?? true,
        position: { nav: x.paymentOption[0]?.nav, amount: x.paymentOption[0]?.amount, status: x.status },
      }));
    }
    const found = positions.find((x) => x.position.nav === b.noticeNumber);
    const hint = `confer every position to ACA when you create or change it (POST .../aca/v1/paCreatePosition with paFiscalCode, iuv, nav = the notice number, amount in eurocent, payStandIn not false; ACA-CONFERRED: docs/aca-standin.md §2); without it the Nodo cannot take payments of your notices while your station is in stand-in`;
    if (!found)
      return {
        kind: 'done',
        checks: [
          ruleCheck(
            'ACA-CONFERRED',
            what,
            {
              type: 'missing',
              path: `ACA ${where}`,
              expected: `an ACA position with nav ${b.noticeNumber}`,
              actual: positions.length
                ? `${positions.length} other position(s) of EC ${b.fiscalCode}: ${positions
                    .map((x) => x.position.nav)
                    .slice(0, 5)
                    .join(', ')}`
                : `no position of EC ${b.fiscalCode}`,
              hint,
            },
            l,
          ),
        ],
      };
    const bad = found.position.status !== 'VALID' ? `status ${found.position.status}` : found.payStandIn === false ? 'payStandIn false' : undefined;
    if (bad)
      return {
        kind: 'done',
        checks: [ruleCheck('ACA-CONFERRED', what, { type: 'value', path: `ACA ${found.iupd}`, expected: 'VALID, payStandIn true', actual: bad, hint }, l)],
      };
    const v = sc.memory.get(`${b.fiscalCode}/${b.noticeNumber}`)?.verify;
    const verified = v ? (pick(v, 'paymentList.paymentOptionDescription.0.amount') as string | undefined) : undefined;
    if (verified !== undefined && found.position.amount !== undefined && Math.round(Number(verified) * 100) !== found.position.amount) {
      return {
        kind: 'done',
        checks: [
          ruleCheck(
            'ACA-CONFERRED',
            what,
            {
              type: 'value',
              path: `ACA ${found.iupd}.amount`,
              expected: `${Math.round(Number(verified) * 100)} eurocent (your station verifies ${verified})`,
              actual: `${found.position.amount} eurocent`,
              hint: 'update ACA whenever the amount changes (paCreatePosition again with the new amount): stand-in takes payments at the amount ACA holds',
            },
            l,
          ),
        ],
      };
    }
    return { kind: 'done', checks: [ruleCheck('ACA-CONFERRED', what, undefined, l)] };
  },
};

export default [paCreatePosition, standIn, standInProbe, expectStandIn, expectAcaPosition];
