/**
 * Root-cause folding of a case's checks (issues 12.3 and 13.2). When a station's answer is
 * schema-invalid, the Nodo answers the PSP a KO, and every expectation on the fields of that
 * answer fails too: those are consequences, not findings. This links each such check to its
 * root cause (`Check.causedBy`, an index in the case's checks) so that reports show the cause
 * first and once, with the knock-on checks folded under it.
 *
 * Rules, per step:
 * - a failed schema check ("... is schema-valid") is a root cause; the step's failed checks on
 *   the answer the PSP got (`response.*`, HTTP status, SOAP Fault) are folded under the first one;
 *   without one, a failed transport check (no answer in time, an HTTP error, not text/xml: mismatch
 *   type `transport`) is that root (a station-suite rule judged on such an answer is on `response`);
 * - without one, a failed `outcome` check is the root of the step's checks on `response.*`
 *   that found the field absent (a KO carries no payment data);
 * - a failed `${name...} has a value` check (a later step could not get a value the named step
 *   should have captured) is folded under the root cause of that named step, when it failed;
 * - a failed check of a rule whose premises are other rules (`Check.premises`, from the rule
 *   catalogue: STANDIN-PROBE-ENDS needs STANDIN-PROBE) is folded under the root cause of the first
 *   earlier failed check of a premise, in whichever step (stand-in cannot end on probes the station
 *   answers wrongly: that is one defect, not two).
 * Links always point at a root (never at a folded check).
 */
import type { Check } from '../scenario/index.ts';

export interface StepChecks {
  index: number;
  /** The step's `name:` (what `${name...}` refers to). */
  name?: string;
  checks: readonly Check[];
}

const isSchemaRoot = (c: Check) => !c.passed && c.mismatch?.type === 'schema' && c.mismatch.expected !== 'schema-invalid';
const isTransportRoot = (c: Check) => !c.passed && c.mismatch?.type === 'transport';
const onAnswer = (c: Check) =>
  !c.passed &&
  c.mismatch !== undefined &&
  (/^response(\.|$)/.test(c.mismatch.path) ||
    c.mismatch.path === 'http.status' ||
    c.mismatch.path.startsWith('soap:Fault') ||
    c.mismatch.path.startsWith('probe:'));
const isOutcome = (c: Check) => !c.passed && c.mismatch?.path === 'response.outcome';
/** The step name a `${name.path} has a value` check refers to. */
const missingCapture = (c: Check) => (!c.passed && c.mismatch?.type === 'missing' ? /^\$\{([^.}]+)/.exec(c.mismatch.path)?.[1] : undefined);

/** The checks of every step, in order, with `causedBy` set where a check is a knock-on. Input is not modified. */
export function foldChecks(steps: readonly StepChecks[]): Check[][] {
  const out = steps.map((s) => s.checks.map((c) => ({ ...c })));
  const flat: Check[] = out.flat();
  const indexOf = new Map<Check, number>(flat.map((c, i) => [c, i]));
  const rootOfStep = new Map<string, number>();
  const link = (c: Check, root: Check) => {
    if (c !== root && c.causedBy === undefined) c.causedBy = indexOf.get(root)!;
  };
  steps.forEach((s, si) => {
    const checks = out[si]!;
    for (const c of checks) {
      const ref = missingCapture(c);
      const root = ref !== undefined ? rootOfStep.get(ref) : undefined;
      if (root !== undefined) link(c, flat[root]!);
    }
    const answerRoot = checks.find(isSchemaRoot) ?? checks.find(isTransportRoot);
    const outcome = checks.find(isOutcome);
    if (answerRoot) for (const c of checks) if (onAnswer(c)) link(c, answerRoot);
    if (!answerRoot && outcome) for (const c of checks) if (onAnswer(c) && c.mismatch?.type === 'missing') link(c, outcome);
    for (const c of checks) {
      const premises = c.premises ?? [];
      if (c.passed || c.causedBy !== undefined || !premises.length) continue;
      const premise = flat.slice(0, indexOf.get(c)).find((k) => !k.passed && k.rule !== undefined && premises.includes(k.rule));
      if (premise) link(c, premise.causedBy !== undefined ? flat[premise.causedBy]! : premise);
    }
    const first = answerRoot ?? checks.find((c) => !c.passed && c.causedBy === undefined) ?? checks.find((c) => !c.passed);
    if (s.name && first) rootOfStep.set(s.name, first.causedBy ?? indexOf.get(first)!);
  });
  return out;
}

/** Failed checks in reading order: each root cause followed by the checks folded under it. */
export function failuresInOrder(checks: readonly Check[]): Check[] {
  const failed = checks.map((c, i) => ({ c, i })).filter(({ c }) => !c.passed);
  return failed.filter(({ c }) => c.causedBy === undefined).flatMap(({ c, i }) => [c, ...failed.filter((f) => f.c.causedBy === i).map((f) => f.c)]);
}

/** The checks folded under the root cause at `index` of `checks`. */
export function foldedUnder(checks: readonly Check[], index: number): Check[] {
  return checks.filter((c) => c.causedBy === index);
}
