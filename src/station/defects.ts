/**
 * The broken-station catalogue (issue 12): each defect is the reference station with ONE
 * mistake a real station implementation makes, switched on at handler or answer level (not a
 * scenario injection): `station-harness station --defect <name>` (repeatable) or
 * `createReferenceStations({ defects })`. Each entry names the station-suite rules and the
 * scenario checks expected to catch it, so the proof that every broken station fails is
 * table-driven (test/station/defects*.test.ts). A defect is added by adding an entry here and
 * its behaviour where the station does that work (handlers consult `has(defects, name)`; what
 * changes a whole answer is `defectAnswer` / `alterForDefects` below).
 */
import { buildXml, type BuildObject } from '../xml/index.ts';
import { wrap } from '../soap/index.ts';
import type { HandlerResult } from '../soap/index.ts';
import { soapFaultEnvelope } from '../soap/index.ts';
import type { OperationDef } from '../soap/index.ts';
import { parseDuration } from '../clock.ts';
import type { Position } from './model.ts';
import { iuvOf, STAND_IN_PROBE } from './noticeNumber.ts';

export interface DefectEntry {
  name: string;
  /** One line: what the broken station does. */
  description: string;
  /** Station-suite rules (src/scenario/rules.ts ids) whose checks must fail against it. */
  rules: string[];
  /**
   * Scenarios of the suite that must fail when the reference stations of their world have this
   * defect, with a fragment of a failing check's name, expected, actual or hint (the rule as the
   * scenario states it). Empty when only the station suite's direct calls can see the defect
   * (the Nodo never sends such a request, or does not judge that part of the answer).
   */
  scenarios: Array<{ id: string; check: string }>;
  /**
   * The station-suite scenarios the proof against a station process runs (default: every
   * scenario naming one of `rules`); set for rules every call is judged on (HTTP-SOAP-ANSWER,
   * ANSWER-TIME), to keep the proof short.
   */
  suite?: string[];
  /** Takes a value (`name=value`): what it means and its default. */
  param?: { meaning: string; default: string };
  /**
   * When set, the only rules left as root causes of the proof's failures once knock-ons are folded
   * (report/fold.ts): one defect shows as its cause, not as every rule it breaks on the way.
   */
  roots?: string[];
  /**
   * Rules the proof must see fail only as knock-ons: at least one failed check of each, and every one
   * folded under a check of a rule of `roots` in its scenario.
   */
  folded?: string[];
  /**
   * The Nodo's timeouts (ms) the proof's profile gives instead of the reference profile's (the real
   * ones, docs/primitives.md §12): `slow` answers in 8 s, under the real 15 s paSendRT timeout, so its
   * proof shortens that one to judge late receipts too.
   */
  proofTimeouts?: { paVerifyPaymentNotice?: number; paGetPayment?: number; paSendRT?: number };
}

/** An IBAN that is well-formed but registered for no EC of the fixtures. */
export const UNREGISTERED_IBAN = 'IT40S0542811101000000999999';
/** Elements a receipt may carry that an older implementation does not expect (V2 additions; govpay#860). */
export const UNEXPECTED_OPTIONAL_RECEIPT_ELEMENTS = ['paymentNote', 'primaryCiIncurredFee', 'idBundle', 'idCiBundle'] as const;
/**
 * The same for a V1 station (ctReceipt): the receipt's own `metadata` (a mapEntry list an implementation
 * that maps only the fields it uses has no place for). `standIn`, also optional, is in every receipt the
 * Nodo sends (false outside stand-in), so a station choking on it fails every receipt, not only this probe.
 */
export const UNEXPECTED_OPTIONAL_RECEIPT_ELEMENTS_V1 = ['metadata'] as const;
/** The mandatory receipt element the `rejects-receipt-field` station refuses. */
export const REJECTED_RECEIPT_FIELD = 'channelDescription';

export const DEFECTS: readonly DefectEntry[] = [
  {
    name: 'stateless',
    description: 'keeps no state: a receipt does not mark its notice paid, so verify and paGetPayment still answer OK after payment',
    rules: ['PAID-AFTER-RECEIPT'],
    scenarios: [],
  },
  {
    name: 'accepts-any-receipt',
    description: 'answers OK to a receipt that is not valid against the XSD (an empty receipt element) instead of KO PAA_SINTASSI_EXTRAXSD',
    rules: ['SYNTAX-INVALID'],
    scenarios: [],
  },
  {
    name: 'accepts-duplicate-receipt',
    description: 'answers OK to the same receipt again instead of KO PAA_RECEIPT_DUPLICATA',
    rules: ['RECEIPT-DUPLICATE'],
    scenarios: [
      { id: 'receipts-duplicate-delivery-receipt-duplicata', check: 'PAA_RECEIPT_DUPLICATA' },
      { id: 'receipts-answer-ok-with-fault-retried', check: 'PAA_RECEIPT_DUPLICATA' },
    ],
  },
  {
    name: 'text-html',
    description: 'answers every SOAP message with Content-Type text/html instead of text/xml',
    rules: ['HTTP-SOAP-ANSWER'],
    suite: ['station-standin-probe', 'station-verify-payable'],
    scenarios: [],
  },
  {
    name: 'standin-probe-404',
    description: "answers the Nodo's stand-in probe (notice 000000000000000000) with HTTP 404 instead of KO PAA_PAGAMENTO_SCONOSCIUTO",
    rules: ['STANDIN-PROBE'],
    // The direct probe (its 404 is the transport cause) and the hour of probes (STANDIN-PROBE-ENDS folds under the probe).
    suite: ['station-standin-probe', 'station-standin-probe-ends-standin'],
    roots: ['HTTP-SOAP-ANSWER', 'STANDIN-PROBE'],
    scenarios: [{ id: 'verify-state-stand-in-probe', check: 'PAA_PAGAMENTO_SCONOSCIUTO' }],
  },
  {
    name: 'http500-on-ko',
    description: 'sends every KO answer with HTTP status 500 instead of 200',
    rules: ['HTTP-SOAP-ANSWER'],
    suite: ['station-unknown-notice'],
    scenarios: [
      { id: 'verify-paa-sconosciuto-relayed', check: 'HTTP 500' },
      { id: 'receipts-duplicate-delivery-receipt-duplicata', check: 'HTTP 500' },
    ],
  },
  {
    name: 'ignores-idpa',
    description: 'never checks idPA: a request for an EC the station does not serve is answered as if it were its own',
    rules: ['HEADER-IDPA'],
    scenarios: [],
  },
  {
    name: 'ignores-idbrokerpa',
    description: 'never checks idBrokerPA: a request naming another broker is answered as usual',
    rules: ['HEADER-IDBROKERPA'],
    scenarios: [],
  },
  {
    name: 'ignores-idstation',
    description: 'never checks idStation: a request naming another station is answered as usual',
    rules: ['HEADER-IDSTATION'],
    scenarios: [],
  },
  {
    name: 'transfers-not-adding-up',
    description: 'paGetPayment transfers do not add up to paymentAmount (the first transfer is 1.00 too high)',
    rules: ['AMOUNT-SUM'],
    scenarios: [{ id: 'act-v2-mono-v2-station', check: 'AMOUNT_SUM' }],
  },
  {
    name: 'unregistered-iban',
    description: `paGetPayment credits the first transfer to an IBAN not registered for its EC (${UNREGISTERED_IBAN})`,
    rules: ['IBAN-REGISTERED'],
    scenarios: [{ id: 'act-v2-mono-v2-station', check: 'IBAN_REGISTERED' }],
  },
  {
    name: 'v1-element-in-v2',
    description: 'answers paGetPaymentV2 with the V1 element paGetPaymentRes (and paSendRTV2 with paSendRTRes)',
    rules: ['VERSION-ELEMENT'],
    scenarios: [{ id: 'act-v2-mono-v2-station', check: 'expected paGetPaymentV2Response' }],
  },
  {
    name: 'slow',
    description: "answers later than the Nodo's timeout (7 s for verify and paGetPayment)",
    rules: ['ANSWER-TIME'],
    // The scenario advancing an hour of probes fails ANSWER-TIME at its first probe (it ended errored: every probe waited).
    // The stand-in receipts (no station call before them) with a 1 s paSendRT timeout: a late receipt is ANSWER-TIME too.
    suite: [
      'station-standin-probe',
      'station-standin-probe-ends-standin',
      'station-standin-receipt-unknown-notice',
      'station-standin-receipt-paid-notice',
      'station-standin-receipt-expired-notice',
      'station-standin-receipt-cancelled-notice',
      'station-standin-receipt-other-amount',
    ],
    roots: ['ANSWER-TIME'],
    folded: ['STANDIN-PROBE', 'STANDIN-RECEIPT'],
    proofTimeouts: { paSendRT: 1000 },
    scenarios: [{ id: 'verify-ok-mono', check: 'PPT_STAZIONE_INT_PA_TIMEOUT' }],
    param: { meaning: 'how long every answer is delayed', default: '8s' },
  },
  {
    name: 'unknown-notice-ok',
    description: 'answers OK, with made-up payment data, for a notice it does not hold instead of KO PAA_PAGAMENTO_SCONOSCIUTO',
    rules: ['NOTICE-UNKNOWN'],
    scenarios: [{ id: 'verify-paa-sconosciuto-relayed', check: 'PAA_PAGAMENTO_SCONOSCIUTO' }],
  },
  {
    name: 'paid-still-payable',
    description: 'answers a notice it holds as paid as payable (OK) instead of KO PAA_PAGAMENTO_DUPLICATO',
    rules: ['NOTICE-PAID', 'PAID-AFTER-RECEIPT'],
    scenarios: [{ id: 'verify-paa-duplicato-relayed', check: 'PAA_PAGAMENTO_DUPLICATO' }],
  },
  {
    name: 'rejects-receipt-field',
    description: `answers KO PAA_SINTASSI_EXTRAXSD to a valid receipt because it carries ${REJECTED_RECEIPT_FIELD} (mandatory), which it does not expect`,
    rules: ['RECEIPT-ACCEPTED'],
    scenarios: [{ id: 'outcome-v2-ok-receipt', check: 'PAA_SINTASSI_EXTRAXSD' }],
  },
  {
    name: 'crash-on-optional-element',
    description: `crashes (HTTP 500, SOAP Fault) on a valid receipt carrying an optional element it does not expect (paSendRTV2: ${UNEXPECTED_OPTIONAL_RECEIPT_ELEMENTS.join(', ')}; paSendRT: the receipt's ${UNEXPECTED_OPTIONAL_RECEIPT_ELEMENTS_V1.join(', ')})`,
    rules: ['RECEIPT-ALL-OPTIONAL'],
    scenarios: [{ id: 'receipts-every-optional-element', check: 'paymentNote' }],
  },
  {
    name: 'rejects-standin-receipts',
    description:
      'answers KO PAA_PAGAMENTO_SCONOSCIUTO to a receipt with standIn true (a payment taken from ACA while it was in stand-in, which it never served; link-it/govpay#607), accepting the others',
    rules: ['STANDIN-RECEIPT'],
    scenarios: [
      { id: 'standin-receipt-notice-unknown-at-station', check: 'PAA_PAGAMENTO_SCONOSCIUTO' },
      { id: 'standin-payment-end-to-end', check: 'PAA_PAGAMENTO_SCONOSCIUTO' },
    ],
  },
];

export type DefectName = string;

/** Defects switched on, with their parameter when they take one. */
export type DefectSet = ReadonlyMap<DefectName, string | undefined>;
export const NO_DEFECTS: DefectSet = new Map();

export const has = (defects: DefectSet, name: DefectName): boolean => defects.has(name);

export function defectEntry(name: string): DefectEntry | undefined {
  return DEFECTS.find((d) => d.name === name);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The catalogue names closest to `name` (for "did you mean"). */
export function closestDefects(name: string): string[] {
  const scored = DEFECTS.map((d) => ({ n: d.name, s: d.name.includes(name) || name.includes(d.name) ? 0 : distance(name, d.name) })).sort((a, b) => a.s - b.s);
  const best = scored[0]!.s;
  return best <= Math.max(3, Math.floor(name.length / 3)) ? scored.filter((x) => x.s === best).map((x) => x.n) : [];
}

export type ParsedDefects = { ok: true; defects: DefectSet } | { ok: false; message: string };

/** `name` or `name=value` specs (CLI `--defect`, programmatic option) → a DefectSet, or a message naming the unknown one. */
export function parseDefects(specs: readonly string[]): ParsedDefects {
  const out = new Map<DefectName, string | undefined>();
  for (const spec of specs) {
    const [name = '', value] = spec.split(/=(.*)/s, 2);
    const entry = defectEntry(name);
    if (!entry) {
      const near = closestDefects(name);
      return {
        ok: false,
        message: `Failed to switch on defect '${name}': no such broken station.${near.length ? ` Did you mean ${near.join(' or ')}?` : ''} List them with --defect list.`,
      };
    }
    if (value !== undefined && !entry.param)
      return { ok: false, message: `Failed to switch on defect '${name}': it takes no value (got '${value}'). Write --defect ${name}.` };
    if (entry.param) {
      try {
        parseDuration(value ?? entry.param.default);
      } catch (e) {
        return { ok: false, message: `Failed to switch on defect '${name}': ${(e as Error).message}. Write e.g. --defect ${name}=${entry.param.default}.` };
      }
    }
    out.set(name, value ?? entry.param?.default);
  }
  return { ok: true, defects: out };
}

function wrapText(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

/** The catalogue as text (`--defect list`, `station --help`): name, then what it does and what catches it. */
export function describeDefects(indent = '  '): string {
  return DEFECTS.map((d) => {
    const name = d.param ? `${d.name}[=${d.param.default}]` : d.name;
    const text = `${d.description}${d.param ? ` (value: ${d.param.meaning}, default ${d.param.default})` : ''}. Caught by ${d.rules.join(', ')}.`;
    return `${indent}${name}\n${wrapText(text, 76, `${indent}    `)}`;
  }).join('\n');
}

/** Milliseconds the `slow` station waits before answering (0 when it is not slow). */
export function slowMs(defects: DefectSet): number {
  const v = defects.get('slow');
  return defects.has('slow') ? parseDuration(v ?? '8s') : 0;
}

/** A payable position made up for a notice the `unknown-notice-ok` station does not hold. */
export function madeUpPosition(fiscalCode: string, noticeNumber: string, template: Position | undefined): Position {
  return {
    fiscalCode,
    noticeNumber,
    iuv: iuvOf(noticeNumber),
    state: 'payable',
    description: 'Avviso di pagamento',
    companyName: template?.companyName ?? 'Ente creditore',
    dueDate: '2026-12-31',
    debtor: template?.debtor ?? { type: 'F', id: 'RSSMRA80A01H501U', fullName: 'Mario Rossi' },
    transfers: [
      {
        fiscalCode,
        amountCents: 1000,
        iban: template?.transfers.find((t) => t.iban)?.iban ?? UNREGISTERED_IBAN,
        remittanceInformation: 'Avviso di pagamento',
        category: '0101101IM',
        metadata: [],
      },
    ],
    metadata: [],
    send: false,
  };
}

const HTML_404 = '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n';

/** An answer that replaces the station's work altogether (the request never reaches a handler). */
export function defectAnswer(defects: DefectSet, op: OperationDef, request: BuildObject): HandlerResult | undefined {
  if (has(defects, 'standin-probe-404') && op.name === 'paVerifyPaymentNotice') {
    const qr = request['qrCode'] as BuildObject | undefined;
    if (qr?.['noticeNumber'] === STAND_IN_PROBE)
      return {
        kind: 'raw',
        status: 404,
        contentType: 'text/html; charset=utf-8',
        body: HTML_404,
        notes: ['defect standin-probe-404: the stand-in probe is answered HTTP 404'],
      };
  }
  if (has(defects, 'crash-on-optional-element') && op.name.startsWith('paSendRT')) {
    const receipt = (request['receipt'] ?? {}) as BuildObject;
    const unexpected = (op.name === 'paSendRTV2' ? UNEXPECTED_OPTIONAL_RECEIPT_ELEMENTS : UNEXPECTED_OPTIONAL_RECEIPT_ELEMENTS_V1).find(
      (e) => receipt[e] !== undefined,
    );
    if (unexpected) {
      const why = `Unmarshalling Error: unexpected element (uri:"", local:"${unexpected}")`;
      return { kind: 'raw', status: 500, body: soapFaultEnvelope('Server', why), notes: [`defect crash-on-optional-element: ${why}`] };
    }
  }
  return undefined;
}

const outcomeOf = (body: BuildObject): unknown => (Object.values(body)[0] as BuildObject | undefined)?.['outcome'];

/** How the answer the station built is sent by a station with these defects. */
export function alterForDefects(defects: DefectSet, result: HandlerResult): HandlerResult {
  if (result.kind !== 'response') return result;
  /** The same answer sent as raw HTTP, with the defect's note. */
  const sentAs = (status: number, note: string, contentType?: string): HandlerResult => ({
    kind: 'raw',
    status,
    ...(contentType ? { contentType } : {}),
    body: wrap(buildXml(result.body)),
    notes: [...(result.notes ?? []), note],
    ...(result.meta ? { meta: result.meta } : {}),
  });
  if (has(defects, 'http500-on-ko') && outcomeOf(result.body) === 'KO') return sentAs(500, 'defect http500-on-ko: KO sent with HTTP 500');
  if (has(defects, 'text-html')) return sentAs(200, 'defect text-html: sent as text/html', 'text/html; charset=utf-8');
  return result;
}
