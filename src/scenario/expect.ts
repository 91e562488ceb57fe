/**
 * Expectations → Checks. A Check is a result (passed or not, with a Mismatch record);
 * nothing here throws on a failed expectation. Display is done by report/display.ts.
 */
import type { Exchange } from '../soap/index.ts';
import { pick } from '../xml/index.ts';
import { hasErrors, type Issue } from '../xml/index.ts';

/** Source of rule XSD-ANSWER (src/scenario/rules.ts), repeated here so this file imports no catalogue. */
const XSD_ANSWER_SOURCE = '[XSD-PA] paForNode.xsd; [ERR-RESP]; docs/primitives.md §8.1';

export type MismatchType = 'value' | 'missing' | 'unexpected' | 'count' | 'schema' | 'transport' | 'state';

export interface Mismatch {
  type: MismatchType;
  /** Where: a field path (`fault.faultCode`), a message (`paGetPaymentV2Response`) or a station. */
  path: string;
  expected: string;
  actual: string;
  /** What to fix, for a station author (rule broken, PPT_* a real Nodo returns, schema issue line). */
  hint?: string;
}

export interface Check {
  passed: boolean;
  /** The expectation in words, e.g. `faultCode is PPT_ERRORE_EMESSO_DA_PAA`. */
  name: string;
  /** Scenario file line of the expectation. */
  line?: number;
  mismatch?: Mismatch;
  /** The rule the check enforces, when it names one (station suite); reports group failures by it. */
  rule?: string;
  /** Where the rule comes from (pagoPA document and section). */
  source?: string;
  /**
   * On a failed check of a rule that holds only if others do (rules.ts `premises`): those rule ids.
   * When one of them failed earlier in the case, this check is a knock-on of it (report/fold.ts).
   */
  premises?: string[];
  /**
   * Root-cause folding: set on a failed check that only failed because another one did (a field of
   * a station answer that was schema-invalid, a value an earlier failed step did not capture). It is
   * the index, in the case's `checks`, of the root cause; reports show the root cause once and fold
   * this check under it. Computed when the case ends (report/fold.ts).
   */
  causedBy?: number;
}

/** A field expectation: a scalar (equality, numbers compared numerically) or one matcher. */
export type Matcher =
  | string
  | number
  | boolean
  | null
  | { absent: true }
  | { present: true }
  | { matches: string }
  | { oneOf: Array<string | number | boolean> }
  | { contains: string }
  | { count: number };

export const pass = (name: string, line?: number): Check => ({ passed: true, name, ...(line ? { line } : {}) });
export const fail = (name: string, mismatch: Mismatch, line?: number): Check => ({ passed: false, name, mismatch, ...(line ? { line } : {}) });

/** Renders an actual value (object/array/undefined) for a mismatch. */
export function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  if (v === null) return 'null';
  if (typeof v === 'string') return v === '' ? '(empty)' : v;
  if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) return '(empty)';
  return JSON.stringify(v);
}

function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) return '';
  return undefined;
}

function equalScalar(expected: string | number | boolean | null, actual: unknown): boolean {
  const a = scalarText(Array.isArray(actual) && actual.length === 1 ? actual[0] : actual);
  if (expected === null) return actual === undefined;
  if (a === undefined) return false;
  if (typeof expected === 'number') return a.trim() !== '' && Number(a) === expected;
  return a === String(expected);
}

export function describeMatcher(m: Matcher): string {
  if (m === null) return 'absent';
  if (typeof m !== 'object') return String(m);
  if ('absent' in m) return 'absent';
  if ('present' in m) return 'present';
  if ('matches' in m) return `matching /${m.matches}/`;
  if ('oneOf' in m) return `one of ${m.oneOf.join(', ')}`;
  if ('contains' in m) return `containing '${m.contains}'`;
  return `${m.count} item(s)`;
}

/** Evaluates one matcher against a value. */
export function matches(m: Matcher, actual: unknown): boolean {
  if (m === null || typeof m !== 'object') return equalScalar(m, actual);
  if ('absent' in m) return actual === undefined;
  if ('present' in m) return actual !== undefined;
  if ('matches' in m) {
    const t = scalarText(actual);
    return t !== undefined && new RegExp(m.matches).test(t);
  }
  if ('oneOf' in m) return m.oneOf.some((x) => equalScalar(x, actual));
  if ('contains' in m) {
    const t = scalarText(actual) ?? (actual === undefined ? undefined : JSON.stringify(actual));
    return t?.includes(m.contains) === true;
  }
  const n = actual === undefined ? 0 : Array.isArray(actual) ? actual.length : 1;
  return n === m.count;
}

/** One check per field path of `fields`, read from `obj` with xml/read.ts `pick`. */
export function checkFields(obj: unknown, fields: Record<string, Matcher>, where: string, line?: number, hint?: string): Check[] {
  return Object.entries(fields).map(([path, m]) => {
    const actual = pick(obj, path);
    const name = `${where} ${path} is ${describeMatcher(m)}`;
    if (matches(m, actual)) return pass(name, line);
    const type = actual === undefined ? 'missing' : 'value';
    return fail(name, { type, path: `${where}.${path}`, expected: describeMatcher(m), actual: show(actual), ...(hint ? { hint } : {}) }, line);
  });
}

export function checkCount(name: string, path: string, expected: number, actual: number, line?: number, hint?: string): Check {
  if (expected === actual) return pass(name, line);
  return fail(name, { type: 'count', path, expected: String(expected), actual: String(actual), ...(hint ? { hint } : {}) }, line);
}

/** `line:col path: message` of the first issue, the form a station author needs. */
export function issueText(issues: readonly Issue[]): string {
  const first = issues[0];
  if (!first) return '';
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
  return `${first.path || '/'} (line ${first.line}:${first.col}): ${first.message.replace(/\.+$/, '')}${more}`;
}

/** The message names of an exchange: request and response root elements (from operations). */
export interface MessageNames {
  request: string;
  response: string;
}

/** How a scenario stated a schema-invalid message: `stated` by an `invalid:` (its line), or `tolerated` (a deliberately broken request). */
export type InvalidStatement = { kind: 'stated'; line?: number } | { kind: 'tolerated' };

/**
 * Schema checks, always on: each message of the exchange must be XSD-valid, unless `stated(msg)`
 * says the scenario expects it invalid. `stated` is asked only about messages that are invalid,
 * so the caller can match each `invalid:` declaration with the message that satisfies it.
 * `onMessage` sees every message checked (name, invalid or not), for declarations never satisfied.
 */
export function checkSchema(
  ex: Exchange,
  names: MessageNames,
  stated: (msg: string) => InvalidStatement | undefined,
  line?: number,
  onMessage?: (msg: string, invalid: boolean) => void,
): Check[] {
  const out: Check[] = [];
  const leg = `${ex.from} → ${ex.to}`;
  const one = (msg: string, issues: Issue[], present: boolean) => {
    if (!present) return;
    // The station's answers are judged on rule XSD-ANSWER (station suite, reports).
    const stationAnswer = ex.to.startsWith('station:') && msg === names.response;
    const tag = (c: Check): Check => (stationAnswer ? { ...c, rule: 'XSD-ANSWER', source: XSD_ANSWER_SOURCE } : c);
    const isInvalid = hasErrors(issues);
    onMessage?.(msg, isInvalid);
    if (!isInvalid) {
      out.push(tag(pass(`${msg} (${leg}) is schema-valid`, line)));
      return;
    }
    const st = stated(msg);
    if (st?.kind === 'tolerated') return;
    if (st?.kind === 'stated') {
      out.push(pass(`${msg} (${leg}) is schema-invalid, as stated${st.line ? ` at line ${st.line}` : ''}`, line));
      return;
    }
    const toStation = ex.to.startsWith('station:');
    const hint =
      toStation && msg === names.response
        ? `Make the station's ${msg} valid against the XSD (the issue above). A real Nodo answers the PSP PPT_STAZIONE_INT_PA_ERRORE_RESPONSE for an invalid station answer.`
        : 'Make the message valid against the XSD (the issue above).';
    out.push(
      tag(fail(`${msg} (${leg}) is schema-valid`, { type: 'schema', path: msg, expected: 'valid against the XSD', actual: issueText(issues), hint }, line)),
    );
  };
  one(names.request, ex.requestIssues, ex.request !== '');
  // An answer that is not a SOAP message at all (HTTP 500 page, malformed XML, no answer) is a transport
  // failure the Nodo classifies; the step's expectations judge it, not the schema check.
  const transport = ex.failure !== undefined && ex.failure !== 'schema-invalid';
  one(
    names.response,
    ex.responseIssues,
    !transport && ex.response !== undefined && ex.response !== '' && !ex.faultCode?.startsWith('soap:') && !/<(\w+:)?Fault[\s>]/.test(ex.response),
  );
  return out;
}
