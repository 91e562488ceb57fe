/**
 * Step `stationCall:` — the harness calls the station under test directly, as the Nodo
 * would (station suite only), and judges the answer against named rules (rules.ts):
 *
 * ```yaml
 * - stationCall:
 *     operation: paGetPayment        # paVerifyPaymentNotice | paGetPayment | paSendRT (V1/V2 from the profile's primitiveVersion)
 *     notice: n                      # a role name of the scenario (station.roles); or fiscalCode + noticeNumber
 *     header: { idPA: wrong }        # idPA / idBrokerPA / idStation: `wrong` (a value that is not the station's) or a value
 *     form: alternative-prefixes     # standard | alternative-prefixes | declared-on-envelope
 *     soapAction: bare               # quoted (default) | bare
 *     mutate: short-notice-number    # short-notice-number | empty-receipt | unknown-body-element (deliberately invalid requests)
 *     receipt: replay                # paSendRT: replay (the receipt the Nodo delivered) | all-optional | broadcast
 *     rules: [NOTICE-PAYABLE, AMOUNT-SUM]
 * ```
 *
 * Every call is also judged on HTTP-SOAP-ANSWER and ANSWER-TIME; both messages are validated
 * against the XSDs by the engine (XSD-ANSWER). The value (for `${name...}`) is the answer's Body child.
 */
import { memoryOf } from '../pspCall.ts';
import { ruleCheck, stationRule } from '../rules.ts';
import { memoryFor, type RoleBinding, type StationCase } from '../stationCase.ts';
import { callStationDirect, validResponse, type EnvelopeForm, type SoapActionForm } from '../stationCall.ts';
import { allOptionalReceipt, broadcastEc, broadcastReceipt } from '../stationReceipts.ts';
import { JUDGED_RULES, judge } from '../stationRules.ts';
import { STAND_IN_PROBE } from '../../station/index.ts';
import type { BuildObject } from '../../xml/index.ts';
import { pick, type XmlObject } from '../../xml/index.ts';
import type { Check } from '../expect.ts';
import type { NewFinding } from '../findings.ts';
import type { StepKind, StepResult } from '../step.ts';

type Operation = 'paVerifyPaymentNotice' | 'paGetPayment' | 'paSendRT';
type Mutation = 'short-notice-number' | 'empty-receipt' | 'unknown-body-element';

interface Params {
  operation: Operation;
  notice?: string;
  fiscalCode?: string;
  noticeNumber?: string;
  header?: { idPA?: string; idBrokerPA?: string; idStation?: string };
  form?: EnvelopeForm;
  soapAction?: SoapActionForm;
  mutate?: Mutation;
  receipt?: 'replay' | 'all-optional' | 'broadcast';
  rules: string[];
}

const AUTO_RULES = ['HTTP-SOAP-ANSWER', 'ANSWER-TIME'];
/** Rules about the state the later steps start from (the notice's role, a receipt acquired): when one fails, they are not run. */
const PREMISE_RULES = new Set(['NOTICE-PAYABLE', 'NOTICE-UNKNOWN', 'NOTICE-EXPIRED', 'NOTICE-CANCELLED', 'NOTICE-PAID', 'RECEIPT-ALL-OPTIONAL']);

/** Values the station must not take for its own (HEADER-* rules). */
function wrongValue(field: 'idPA' | 'idBrokerPA' | 'idStation', sc: StationCase): string {
  const p = sc.profile;
  if (field === 'idStation') return [`${p.station.idBrokerPA}_98`, `${p.station.idBrokerPA}_97`].find((x) => x !== p.station.idStation)!;
  const taken = new Set([p.station.idBrokerPA, ...p.ecs.map((e) => e.fiscalCode), ...p.secondaryEcs.map((e) => e.fiscalCode)]);
  return ['00000000001', '00000000002', '00000000003', '12345678901'].find((x) => !taken.has(x))!;
}

function versioned(op: Operation, sc: StationCase): string {
  if (op === 'paVerifyPaymentNotice') return op;
  return sc.profile.station.primitiveVersion === 2 ? `${op}V2` : op;
}

function timeoutOf(op: Operation, sc: StationCase): number {
  const t = sc.profile.station.timeouts;
  return op === 'paSendRT' ? t.paSendRT : op === 'paGetPayment' ? t.paGetPayment : t.paVerifyPaymentNotice;
}

const kind: StepKind = {
  kind: 'stationCall',
  describe: 'Calls the station under test directly as the Nodo would (station suite) and judges the answer against named rules',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['operation', 'rules'],
    properties: {
      operation: { enum: ['paVerifyPaymentNotice', 'paGetPayment', 'paSendRT'] },
      notice: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      fiscalCode: { type: 'string', pattern: '^[0-9]{11}$' },
      noticeNumber: { type: 'string', pattern: '^[0-9]{18}$' },
      header: {
        type: 'object',
        additionalProperties: false,
        properties: { idPA: { type: 'string', minLength: 1 }, idBrokerPA: { type: 'string', minLength: 1 }, idStation: { type: 'string', minLength: 1 } },
      },
      form: { enum: ['standard', 'alternative-prefixes', 'declared-on-envelope'] },
      soapAction: { enum: ['quoted', 'bare'] },
      mutate: { enum: ['short-notice-number', 'empty-receipt', 'unknown-body-element'] },
      receipt: { enum: ['replay', 'all-optional', 'broadcast'] },
      rules: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[A-Z][A-Z0-9-]*$' } },
    },
  },
  check(raw, ctx) {
    const p = raw as Params;
    const issues = [];
    for (const [i, r] of p.rules.entries()) {
      if (!stationRule(r) || !JUDGED_RULES.has(r))
        issues.push(
          ctx.issueAt(
            ['rules', i],
            'SCENARIO_RULE',
            `Failed to load the scenario: '${r}' is not a rule stationCall can judge. Use one of ${[...JUDGED_RULES].filter((x) => !AUTO_RULES.includes(x)).join(', ')} (src/scenario/rules.ts).`,
          ),
        );
    }
    const roles = ctx.scenario.station?.roles ?? {};
    if (p.notice !== undefined && !(p.notice in roles))
      issues.push(
        ctx.issueAt(
          ['notice'],
          'SCENARIO_ROLE',
          `Failed to load the scenario: notice '${p.notice}' is not a role of the scenario. Declare it under station.roles (e.g. station: { roles: { ${p.notice}: payable } }).`,
        ),
      );
    if (!ctx.scenario.station)
      issues.push(
        ctx.issueAt(
          [],
          'SCENARIO_STATION_SUITE',
          'Failed to load the scenario: stationCall calls the station under test, so the scenario must be part of the station suite. Add station: { roles: {...} } to it.',
        ),
      );
    if (p.receipt && p.operation !== 'paSendRT')
      issues.push(
        ctx.issueAt(['receipt'], 'SCENARIO_STEP', 'Failed to load the scenario: receipt: is for operation paSendRT. Remove it or change the operation.'),
      );
    if (p.operation === 'paSendRT' && !p.receipt && p.mutate !== 'empty-receipt')
      issues.push(
        ctx.issueAt(
          ['operation'],
          'SCENARIO_STEP',
          'Failed to load the scenario: a paSendRT call needs receipt: replay | all-optional | broadcast (or mutate: empty-receipt).',
        ),
      );
    return issues;
  },
  sendsInvalidRequest: (raw) => (raw as Params).mutate !== undefined,
  label: (raw) => {
    const p = raw as Params;
    const bits = [
      p.notice,
      p.header
        ? `header ${Object.entries(p.header)
            .map(([k, v]) => `${k}=${v}`)
            .join(',')}`
        : undefined,
      p.form && p.form !== 'standard' ? p.form : undefined,
      p.soapAction === 'bare' ? 'SOAPAction unquoted' : undefined,
      p.mutate,
      p.receipt ? `receipt ${p.receipt}` : undefined,
    ].filter(Boolean);
    return `stationCall ${p.operation}${bits.length ? ` ${bits.join(' ')}` : ''}`;
  },
  async run(raw, ctx): Promise<StepResult> {
    const sc = ctx.station;
    if (!sc)
      return {
        kind: 'error',
        message: 'Failed to run stationCall: the case has no station under test. This is a harness bug: station-suite scenarios run with a profile.',
      };
    const p = ctx.resolve(raw) as Params;
    const line = ctx.step.at.line;
    const binding: RoleBinding | undefined = p.notice ? sc.bindings[p.notice] : undefined;
    const fiscalCode = binding?.fiscalCode ?? p.fiscalCode ?? sc.profile.ecs[0]!.fiscalCode;
    const noticeNumber = binding?.noticeNumber ?? p.noticeNumber ?? STAND_IN_PROBE;
    const operation = versioned(p.operation, sc);
    const memory = memoryFor(sc, fiscalCode, noticeNumber);
    const hdr = { idPA: fiscalCode, idBrokerPA: sc.profile.station.idBrokerPA, idStation: sc.profile.station.idStation };
    for (const k of ['idPA', 'idBrokerPA', 'idStation'] as const) {
      const v = p.header?.[k];
      if (v !== undefined) hdr[k] = v === 'wrong' ? wrongValue(k, sc) : v;
    }

    let fields: BuildObject;
    let envelope: string | undefined;
    let judgedNotice = { fiscalCode, noticeNumber };
    let purpose = `${operation} of notice ${noticeNumber}${binding ? ` (role ${binding.role})` : ''}`;
    if (p.operation === 'paSendRT') {
      if (p.mutate === 'empty-receipt') {
        fields = { ...hdr, receipt: {} };
        purpose = `${operation} with an empty receipt`;
      } else if (p.receipt === 'replay') {
        if (!memory.receipt)
          return {
            kind: 'done',
            checks: [
              ruleCheck(
                p.rules[0]!,
                `the receipt of ${noticeNumber} is sent again`,
                {
                  type: 'missing',
                  path: `notice ${noticeNumber}`,
                  expected: 'a receipt delivered earlier in the scenario',
                  actual: 'none',
                  hint: 'the Nodo delivered no receipt to your station for this notice earlier in the scenario (see RECEIPT-ACCEPTED), so there is nothing to send again',
                },
                line,
              ),
            ],
          };
        envelope = memory.receipt.envelope;
        fields = {};
        purpose = `the receipt of notice ${noticeNumber} the Nodo delivered, sent again`;
      } else if (p.receipt === 'all-optional') {
        if (!memory.getPayment)
          return {
            kind: 'done',
            checks: [
              ruleCheck(
                p.rules[0]!,
                `a receipt of ${noticeNumber} with every optional element is accepted`,
                {
                  type: 'missing',
                  path: `notice ${noticeNumber}`,
                  expected: `an OK ${versioned('paGetPayment', sc)} answer earlier in the scenario`,
                  actual: 'none',
                  hint: "the receipt is built from your station's own payment data, and the paGetPayment step before failed (see its checks)",
                },
                line,
              ),
            ],
          };
        const b = allOptionalReceipt(
          {
            primitive: operation as 'paSendRT' | 'paSendRTV2',
            profile: sc.profile,
            fiscalCode,
            noticeNumber,
            receiptId: `${ctx.nextId('')}${ctx.nextId('')}`,
            now: ctx.clock.now(),
          },
          (memory.getPayment['data'] ?? {}) as XmlObject,
        );
        if (!b.ok) return { kind: 'error', message: `Failed to build the receipt of ${noticeNumber}: ${b.reason}.` };
        fields = b.fields;
        purpose = `a receipt of notice ${noticeNumber} with every optional element`;
      } else {
        const ec = broadcastEc(sc.profile);
        if (!ec)
          return {
            kind: 'error',
            message: 'Failed to build a broadcast receipt: the profile declares no broadcast EC. The scenario should require broadcast.',
          };
        const b = broadcastReceipt(operation as 'paSendRT' | 'paSendRTV2', sc.profile, ec, `${ctx.nextId('')}${ctx.nextId('')}`, ctx.clock.now());
        if (!b.ok) return { kind: 'error', message: `Failed to build a broadcast receipt: ${b.reason}.` };
        fields = b.fields;
        judgedNotice = { fiscalCode: b.fiscalCode, noticeNumber: b.noticeNumber };
        purpose = `a broadcast receipt for EC ${ec.fiscalCode}: notice ${b.noticeNumber} of EC ${b.fiscalCode}`;
      }
    } else {
      const qrCode = { fiscalCode, noticeNumber: p.mutate === 'short-notice-number' ? noticeNumber.slice(0, 17) : noticeNumber };
      const verified = pick(memory.verify, 'paymentList.paymentOptionDescription.0.amount');
      fields = { ...hdr, qrCode, ...(p.operation === 'paGetPayment' && typeof verified === 'string' ? { amount: verified } : {}) };
      if (p.mutate === 'short-notice-number') purpose = `${operation} with a 17-digit notice number (XSD-invalid)`;
    }
    if (p.mutate === 'unknown-body-element') purpose = 'a Body element no paForNode operation has';
    const answer = await callStationDirect({
      journal: ctx.journal,
      now: () => ctx.clock.now(),
      idStation: sc.stationCode,
      url: sc.url,
      operation: p.mutate === 'unknown-body-element' ? 'paUnknownOperation' : operation,
      ...(p.mutate === 'unknown-body-element' ? { element: 'paUnknownOperationRequest' } : {}),
      fields,
      ...(envelope ? { envelope } : {}),
      form: p.form ?? 'standard',
      soapAction: p.soapAction ?? 'quoted',
      timeoutMs: timeoutOf(p.operation, sc),
      meta: { noticeNumber: judgedNotice.noticeNumber, idPA: hdr.idPA, idStation: hdr.idStation, ...(binding ? { role: binding.role } : {}) },
      purpose,
    });
    if (p.mutate === 'unknown-body-element') answer.response = 'a SOAP Fault';

    const checks: Check[] = [];
    const findings: NewFinding[] = [];
    // SEND's price API calls for the notice while the station answered (a SYNC station asks at payment time).
    const priceCalls = ctx.journal
      .list({ since: ctx.startSeq })
      .filter((e) => e.party === 'send' && e.operation === 'retrieveNotificationPriceV23' && e.meta['noticeNumber'] === noticeNumber);
    const total = priceCalls[priceCalls.length - 1]?.meta['totalPrice'];
    const sendPrice = { calls: priceCalls.length, ...(typeof total === 'number' ? { totalPrice: total } : {}) };
    const jctx = { profile: sc.profile, ...(binding ? { binding } : {}), ...judgedNotice, memory, sendPrice };
    // A rule judged on an answer that is no valid response (HTTP error, XSD-invalid, wrong element, no
    // answer) failed because of it: its mismatch is on the answer itself, so that reports fold it under
    // the step's root cause (the transport or schema failure, report/fold.ts) instead of listing it apart.
    const invalid = !validResponse(answer);
    for (const id of [...AUTO_RULES, ...p.rules]) {
      const v = judge(id, answer, jctx);
      if ('na' in v) {
        if (v.finding)
          findings.push({ code: v.finding.code, severity: 'info', message: v.finding.message, source: { party: 'scenario', exchange: answer.exchange.seq } });
        continue;
      }
      const mismatch = v.ok ? undefined : invalid && !AUTO_RULES.includes(id) ? { ...v.mismatch, path: 'response' } : v.mismatch;
      checks.push(ruleCheck(id, v.what, mismatch, line));
    }
    // Remember what the station answered: later steps judge against it (AMOUNT-VERIFY, GETPAYMENT-REPEATABLE, the PSP's amount).
    const ok = validResponse(answer);
    if (ok?.['outcome'] === 'OK' && !p.header && !p.mutate) {
      if (p.operation === 'paVerifyPaymentNotice') {
        memory.verify = ok;
        const amount = pick(ok, 'paymentList.paymentOptionDescription.0.amount');
        if (typeof amount === 'string') memoryOf(ctx).amounts.set(`${fiscalCode}/${noticeNumber}`, amount);
      }
      if (p.operation === 'paGetPayment' && !memory.getPayment && ok['data']) memory.getPayment = ok;
    }
    // A notice that is not in the state its role says makes every later step judge on a false premise.
    const premise = checks.find((c) => !c.passed && c.rule !== undefined && PREMISE_RULES.has(c.rule));
    return {
      kind: 'done',
      value: { ...(answer.body ?? {}), httpStatus: answer.status, contentType: answer.contentType, durationMs: answer.durationMs },
      checks,
      ...(findings.length ? { findings } : {}),
      ...(premise ? { halt: `${premise.rule} failed: ${premise.mismatch?.actual ?? ''}` } : {}),
    };
  },
};

export default kind;
export { AUTO_RULES };
