/**
 * Step `stationReceipt:` — judges the receipts the mock Nodo delivered to the station under
 * test for a notice the scenario paid (station suite), once delivery has settled:
 *
 * ```yaml
 * - stationReceipt: { notice: n, rules: [RECEIPT-ACCEPTED] }
 * ```
 *
 * RECEIPT-ACCEPTED (STANDIN-RECEIPT for a payment taken in stand-in): every first delivery attempt to the station for the notice (to the
 * primary EC, and to other ECs the station is a broadcast station of) was answered OK.
 * The receipt delivered to the notice's EC is remembered, so `stationCall: { receipt: replay }`
 * can send it again byte for byte.
 */
import type { Exchange } from '../../soap/index.ts';
import { ruleCheck } from '../rules.ts';
import { memoryFor } from '../stationCase.ts';
import type { StepKind } from '../step.ts';

interface Params {
  notice: string;
  rules: string[];
}

function answered(e: Exchange): string {
  if (e.failure) return `no valid answer (${e.failure}${e.httpStatus ? `, HTTP ${e.httpStatus}` : ''}): ${e.notes[0] ?? ''}`;
  return e.outcome === 'KO' ? `KO ${e.faultCode ?? '(no fault bean)'}` : (e.outcome ?? `HTTP ${e.httpStatus ?? '?'}`);
}

const kind: StepKind = {
  kind: 'stationReceipt',
  describe: 'Judges the receipts the Nodo delivered to the station under test for a paid notice (station suite)',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['notice', 'rules'],
    properties: {
      notice: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      rules: { type: 'array', minItems: 1, maxItems: 1, items: { enum: ['RECEIPT-ACCEPTED', 'STANDIN-RECEIPT'] } },
    },
  },
  check(raw, ctx) {
    const p = raw as Params;
    const roles = ctx.scenario.station?.roles ?? {};
    return p.notice in roles
      ? []
      : [
          ctx.issueAt(
            ['notice'],
            'SCENARIO_ROLE',
            `Failed to load the scenario: notice '${p.notice}' is not a role of the scenario. Declare it under station.roles.`,
          ),
        ];
  },
  label: (raw) => `stationReceipt ${(raw as Params).notice}`,
  async run(raw, ctx) {
    const sc = ctx.station;
    const p = raw as Params;
    const b = sc?.bindings[p.notice];
    if (!sc || !b)
      return { kind: 'error', message: 'Failed to run stationReceipt: the case has no station under test or no notice for the role. This is a harness bug.' };
    await ctx.world.idle();
    const line = ctx.step.at.line;
    const rule = p.rules[0] ?? 'RECEIPT-ACCEPTED';
    const sent = ctx.journal
      .list({ party: 'nodo', direction: 'outbound' })
      .filter(
        (e) =>
          e.to === `station:${sc.stationCode}` && e.operation.startsWith('paSendRT') && e.meta['noticeNumber'] === b.noticeNumber && e.meta['attempt'] === 1,
      );
    const what = `the receipt${sent.length > 1 ? 's' : ''} of notice ${b.noticeNumber} delivered by the Nodo ${sent.length > 1 ? 'are' : 'is'} answered OK`;
    if (sent.length === 0) {
      return {
        kind: 'done',
        halt: `no receipt of ${b.noticeNumber} was delivered`,
        checks: [
          ruleCheck(
            rule,
            what,
            {
              type: 'missing',
              path: `notice ${b.noticeNumber} (role ${b.role})`,
              expected: 'a receipt delivered to your station',
              actual: 'none',
              hint: 'the Nodo sends the receipt after an OK sendPaymentOutcome: the payment did not complete, see the failed steps before (activation or outcome)',
            },
            line,
          ),
        ],
      };
    }
    const primary = sent.find((e) => e.meta['idPA'] === b.fiscalCode) ?? sent[0]!;
    memoryFor(sc, b.fiscalCode, b.noticeNumber).receipt = { operation: primary.operation, envelope: primary.request };
    const bad = sent.filter((e) => e.outcome !== 'OK');
    if (!bad.length) return { kind: 'done', checks: [ruleCheck(rule, what, undefined, line)] };
    // No answer within the Nodo's timeout is the cause (ANSWER-TIME); the receipt rule, judged on that
    // non-answer, folds under it (report/fold.ts: a transport root and the checks on the answer).
    const late = bad.every((e) => e.failure === 'timeout');
    const timeoutMs = sc.profile.station.timeouts.paSendRT;
    const lateCheck = late
      ? [
          ruleCheck(
            'ANSWER-TIME',
            `${bad[0]!.operation} (the receipt of ${b.noticeNumber}) is answered within the Nodo's timeout (${timeoutMs} ms)`,
            {
              type: 'transport',
              path: 'time',
              expected: `an answer within ${timeoutMs} ms`,
              actual: `no answer within ${timeoutMs} ms`,
              hint: `answer ${bad[0]!.operation} within ${timeoutMs} ms: a real Nodo gives up and retries the delivery later (ANSWER-TIME)`,
            },
            line,
          ),
        ]
      : [];
    return {
      kind: 'done',
      // The later steps judge a notice whose receipt was acquired: without it they would only repeat this failure.
      halt: `${rule} failed: the station did not accept the receipt of ${b.noticeNumber}`,
      checks: [
        ...lateCheck,
        ruleCheck(
          rule,
          what,
          {
            type: 'value',
            path: late ? 'response' : `notice ${b.noticeNumber} (role ${b.role})`,
            expected: 'OK',
            actual: bad.map((e) => `${e.operation} for EC ${String(e.meta['idPA'])}: ${answered(e)}`).join('; '),
            hint:
              rule === 'STANDIN-RECEIPT'
                ? 'accept a receipt with standIn true whatever the notice is on your side (unknown, paid, expired, cancelled, another amount): the payment was taken from ACA while your station was in stand-in, so you never served it; answer OK and flag it for reconciliation. A KO ends delivery and the EC never books the payment (STANDIN-RECEIPT: [SANP-STANDIN]; link-it/govpay#607)'
                : `accept the receipt of a payment with outcome OK and close the position as paid: a valid KO makes the Nodo stop delivering it (the EC never books the payment), an invalid answer makes it retry 48 times an hour apart (RECEIPT-ACCEPTED: [SANP-SYNC]; docs/primitives.md §10)`,
          },
          line,
        ),
      ],
    };
  },
};
export default kind;
