/**
 * `expectStationAnswer`: judges what a station ANSWERED the Nodo (expectStation judges what
 * it received), for the reference stations and a user's station (`--station`) alike:
 *
 * ```yaml
 * - expectStationAnswer:
 *     operation: paGetPaymentV2            # paVerifyPaymentNotice | paGetPayment | paGetPaymentV2
 *     noticeNumber: "301000000010092967"   # default: setup.notice
 *     fields: { data.paymentAmount: 113.82 }          # any field of the answer (matchers of expect.ts)
 *     metadata: { NOTIFICATION_FEE: "1382" }          # data/metadata by key, in any position; null = absent
 *     finding: { code: SEND_PRICE_FAILURE_ANSWER, when: "SEND's price API answered 500" }
 * ```
 *
 * The last Nodo → station call of `operation` for the notice must have got an answer (not a
 * timeout or a transport failure: the station answers the Nodo within the Nodo's timeout).
 * `metadata` looks at payment-level `data/metadata`; a key found only in a transfer's
 * metadata passes with a warning finding (docs/send.md §7.4 item 2: transfer-level placement is
 * not the convention). `finding` records what the station answered as an info finding:
 * for behaviours pagoPA leaves open (docs/send.md §7.4 items 3-4), recorded, never judged.
 */
import { unwrap } from '../../soap/index.ts';
import type { Exchange } from '../../soap/index.ts';
import { asArray, pick, type XmlObject } from '../../xml/index.ts';
import { checkFields, fail, pass, show, type Check, type Matcher } from '../expect.ts';
import type { NewFinding } from '../findings.ts';
import type { StepContext, StepKind } from '../step.ts';

interface Params {
  operation: 'paVerifyPaymentNotice' | 'paGetPayment' | 'paGetPaymentV2';
  fiscalCode?: string;
  noticeNumber?: string;
  fields?: Record<string, Matcher>;
  /** Key → value in data/metadata; null: the key must be absent (payment and transfer level). */
  metadata?: Record<string, string | null>;
  finding?: { code: string; when: string };
}

const matcherRef = { $ref: 'urn:pagopa-station-harness:scenario#/$defs/matcher' };

function bodyOf(e: Exchange): XmlObject | undefined {
  if (!e.response || e.failure) return undefined;
  const r = unwrap(e.response);
  return r.ok && !r.message.fault ? r.message.bodyChild.value : undefined;
}

function mapEntries(m: unknown): Array<{ key: string; value: string }> {
  return asArray(pick(m, 'mapEntry') as XmlObject | XmlObject[] | undefined).map((e) => ({ key: String(e['key'] ?? ''), value: String(e['value'] ?? '') }));
}

/** One line saying what the station answered: outcome, amount, fee or fault. */
export function describeAnswer(e: Exchange, v: XmlObject | undefined): string {
  if (e.failure) return `no usable answer (${e.failure}${e.httpStatus ? `, HTTP ${e.httpStatus}` : ''}, after ${Math.round(e.durationMs)} ms)`;
  if (!v) return `an answer that is not a paForNode response (HTTP ${e.httpStatus ?? '?'})`;
  const outcome = String(v['outcome'] ?? '?');
  if (outcome !== 'OK')
    return `${outcome} ${show(pick(v, 'fault.faultCode'))} (${show(pick(v, 'fault.description') ?? pick(v, 'fault.faultString'))}) in ${Math.round(e.durationMs)} ms`;
  if (e.operation === 'paVerifyPaymentNotice')
    return `OK with amount ${show(pick(v, 'paymentList.paymentOptionDescription.0.amount'))} in ${Math.round(e.durationMs)} ms`;
  const fee = mapEntries(pick(v, 'data.metadata')).find((m) => m.key === 'NOTIFICATION_FEE');
  return `OK with paymentAmount ${show(pick(v, 'data.paymentAmount'))} and ${fee ? `NOTIFICATION_FEE ${fee.value}` : 'no NOTIFICATION_FEE'} in ${Math.round(e.durationMs)} ms`;
}

const kind: StepKind = {
  kind: 'expectStationAnswer',
  describe: 'Checks what a station answered the Nodo (answered in time, fields, data/metadata by key) and can record that answer as a finding',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['operation'],
    properties: {
      operation: { enum: ['paVerifyPaymentNotice', 'paGetPayment', 'paGetPaymentV2'] },
      fiscalCode: { type: 'string', pattern: '^\\d{11}$' },
      noticeNumber: { type: 'string', pattern: '^\\d{18}$' },
      fields: { type: 'object', additionalProperties: matcherRef },
      metadata: { type: 'object', additionalProperties: { type: ['string', 'null'] } },
      finding: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'when'],
        properties: { code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' }, when: { type: 'string', minLength: 1 } },
      },
    },
  },
  readsSetupNotice: (p) => (p as Params | null)?.noticeNumber === undefined,
  label: (p) => `expectStationAnswer ${(p as Params).operation}${(p as Params).noticeNumber ? ` ${(p as Params).noticeNumber}` : ''}`,
  async run(raw, ctx: StepContext) {
    const p = ctx.resolve(raw) as Params;
    const line = ctx.step.at.line;
    const nav = p.noticeNumber ?? ctx.scenario.setup.notice?.noticeNumber;
    const calls = ctx.journal
      .list({ party: 'nodo', direction: 'outbound', operation: p.operation, ...(nav ? { meta: { noticeNumber: nav } } : {}) })
      .filter((e) => e.to.startsWith('station:') && (!p.fiscalCode || e.meta['idPA'] === undefined || e.meta['idPA'] === p.fiscalCode));
    const call = calls[calls.length - 1];
    const name = `the station answered the Nodo's ${p.operation}${nav ? ` for ${nav}` : ''}`;
    if (!call)
      return {
        kind: 'done',
        checks: [fail(name, { type: 'missing', path: p.operation, expected: `a ${p.operation} from the Nodo to a station`, actual: 'no such call' }, line)],
      };
    const station = call.to.slice('station:'.length);
    const v = bodyOf(call);
    const checks: Check[] = [];
    const findings: NewFinding[] = [];
    checks.push(
      call.failure
        ? fail(
            name,
            {
              type: 'transport',
              path: call.to,
              expected: "an answer within the Nodo's timeout",
              actual: describeAnswer(call, v),
              hint: 'the station must answer the Nodo in time whatever its own back ends do (docs/primitives.md §12); bound its calls (e.g. to SEND) below the Nodo timeout',
            },
            line,
          )
        : pass(name, line),
    );
    if (v && p.fields) checks.push(...checkFields(v, p.fields, `${station} ${p.operation}Response`, line));
    if (p.metadata) {
      const payment = mapEntries(pick(v, 'data.metadata'));
      const transfers = asArray(pick(v, 'data.transferList.transfer') as XmlObject | XmlObject[] | undefined).flatMap((t) => mapEntries(t['metadata']));
      for (const [key, want] of Object.entries(p.metadata)) {
        const got = payment.find((m) => m.key === key);
        const inTransfer = transfers.find((m) => m.key === key);
        if (want === null) {
          const n = `${station} ${p.operation}Response has no ${key} metadata`;
          const seen = got ?? inTransfer;
          checks.push(seen ? fail(n, { type: 'unexpected', path: `data/metadata/${key}`, expected: '(absent)', actual: seen.value }, line) : pass(n, line));
          continue;
        }
        const n = `${station} ${p.operation}Response data/metadata has ${key}=${want}`;
        if (got)
          checks.push(got.value === want ? pass(n, line) : fail(n, { type: 'value', path: `data/metadata/${key}`, expected: want, actual: got.value }, line));
        else if (inTransfer && inTransfer.value === want) {
          checks.push(pass(n, line));
          findings.push({
            code: 'METADATA_TRANSFER_LEVEL',
            severity: 'warning',
            message: `station ${station} put ${key}=${want} in a transfer's metadata, not in data/metadata where GPD puts it (docs/send.md §4.2, §7.4)`,
            source: { party: `station:${station}`, exchange: call.seq },
          });
        } else
          checks.push(
            fail(
              n,
              {
                type: 'missing',
                path: `data/metadata/${key}`,
                expected: want,
                actual: inTransfer ? `${inTransfer.value} (in a transfer's metadata)` : '(absent)',
                hint: key === 'NOTIFICATION_FEE' ? "a SYNC station puts SEND's totalPrice (eurocent, as text) in data/metadata (docs/send.md §4.2)" : undefined,
              },
              line,
            ),
          );
      }
    }
    if (p.finding)
      findings.push({
        code: p.finding.code,
        severity: 'info',
        message: `station ${station} answered ${p.operation}${nav ? ` for ${nav}` : ''} while ${p.finding.when}: ${describeAnswer(call, v)} (pagoPA does not specify this answer; recorded)`,
        source: { party: `station:${station}`, exchange: call.seq },
      });
    return { kind: 'done', value: v, checks, findings };
  },
};

export default kind;
