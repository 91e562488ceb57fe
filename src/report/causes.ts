/**
 * Failures grouped by cause across a run (issue 13.2): 29 scenarios failing on one broken amount
 * are one cause with 29 occurrences, not 29 stories. A cause is a root-cause check (not folded,
 * see fold.ts) keyed by its rule when it names one, else by its expectation and the actual value
 * with line numbers taken out; an errored scenario's cause is its reason.
 */
import type { Check } from '../scenario/index.ts';
import type { CaseResult, RunResult } from './model.ts';
import { formatCheck, rootCauses } from './display.ts';

export interface CauseOccurrence {
  caseId: string;
  title: string;
  file: string;
  /** Line of the failed expectation (or of the scenario). */
  line: number;
  /** Index of the root check in the case's checks (failed cases). */
  check?: number;
  /** How many checks of that case are folded under this cause. */
  folded: number;
  /** How many more root checks of that case have this cause (the same rule broken by another call). */
  again: number;
}

export interface Cause {
  key: string;
  kind: 'failed' | 'errored';
  /** The first occurrence's check (failed), shown for the whole group. */
  check?: Check;
  /** The reason (errored). */
  reason?: string;
  rule?: string;
  occurrences: CauseOccurrence[];
  /** How many different actual values the occurrences have (a rule's cause can differ in detail; each scenario then shows its own). */
  variants: number;
}

const unlined = (s: string) =>
  s
    .replace(/\(line \d+:\d+\)/g, '(line)')
    .replace(/ \(\+\d+ more\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();

export function causeKey(c: Check): string {
  // One rule, one cause (its checks differ in detail: the card says so, each scenario shows its own).
  if (c.rule) return `rule:${c.rule}`;
  const m = c.mismatch;
  return `check:${unlined(c.name)}\u0000${m ? `${m.expected}\u0000${unlined(m.actual)}` : ''}`;
}

/** Causes of the failed and errored scenarios, most frequent first (then in order of first appearance). */
export function groupCauses(run: Pick<RunResult, 'cases'>): Cause[] {
  const map = new Map<string, Cause>();
  const actuals = new Map<string, Set<string>>();
  const add = (key: string, init: () => Omit<Cause, 'occurrences' | 'key' | 'variants'>, occ: CauseOccurrence, actual = '') => {
    let g = map.get(key);
    if (!g) {
      g = { key, ...init(), occurrences: [], variants: 0 };
      map.set(key, g);
    }
    const seen = actuals.get(key) ?? new Set<string>();
    seen.add(unlined(actual).replace(/\b\d+ ms\b/g, 'N ms'));
    actuals.set(key, seen);
    g.variants = seen.size;
    if (!g.occurrences.some((o) => o.caseId === occ.caseId)) g.occurrences.push(occ);
    else {
      const o = g.occurrences.find((x) => x.caseId === occ.caseId)!;
      o.folded += occ.folded;
      o.again++;
    }
  };
  for (const c of run.cases as CaseResult[]) {
    if (c.state === 'errored')
      add(`error:${unlined(c.reason)}`, () => ({ kind: 'errored', reason: c.reason }), {
        caseId: c.id,
        title: c.title,
        file: c.file,
        line: c.line,
        folded: 0,
        again: 0,
      });
    if (c.state !== 'failed') continue;
    for (const { index, check, folded } of rootCauses(c)) {
      add(
        causeKey(check),
        () => ({ kind: 'failed', check, ...(check.rule ? { rule: check.rule } : {}) }),
        { caseId: c.id, title: c.title, file: c.file, line: check.line ?? c.line, check: index, folded: folded.length, again: 0 },
        `${check.name}\u0000${check.mismatch?.actual ?? ''}`,
      );
    }
  }
  const order = [...map.values()];
  return order
    .map((g, i) => ({ g, i }))
    .sort((a, b) => b.g.occurrences.length - a.g.occurrences.length || a.i - b.i)
    .map(({ g }) => g);
}

/** `2 times, +3 knock-on check(s) folded`, or '' (the terminal; report.html says it shorter). */
export function occurrenceNote(o: CauseOccurrence, short = false): string {
  return [o.again ? `${o.again + 1} times` : '', o.folded ? (short ? `+${o.folded} folded` : `+${o.folded} knock-on check(s) folded`) : '']
    .filter(Boolean)
    .join(', ');
}

/** Scenario lines listed per cause in the terminal (all of them are in the reports). */
const LISTED = 8;

/**
 * The terminal's failure summary: each cause once (expectation, expected, actual, fix), then the
 * scenarios where it occurred with file:line and how many knock-on checks were folded under it.
 */
export function formatCauses(
  causes: readonly Cause[],
  mark: { failed: (s: string) => string; dim: (s: string) => string } = { failed: (s) => s, dim: (s) => s },
): string {
  return causes
    .map((g, i) => {
      const n = g.occurrences.length;
      const head = `${mark.failed(g.kind === 'failed' ? '✗' : '!')} Cause ${i + 1} of ${causes.length}: ${n} scenario(s)${g.rule ? ` · rule ${g.rule}${g.check?.source ? ` (${g.check.source})` : ''}` : ''}`;
      const body =
        (g.kind === 'failed' && g.check ? formatCheck({ ...g.check, line: undefined } as Check, undefined, '    ') : `    ${g.reason ?? ''}`) +
        (g.variants > 1
          ? mark.dim(`\n    (the check above is the first of ${g.variants} different ones under this rule: see each scenario in the reports)`)
          : '');
      const list = g.occurrences
        .slice(0, LISTED)
        .map((o) => `      ${o.caseId} ${mark.dim(`${o.file}:${o.line}`)}${occurrenceNote(o) ? mark.dim(` (${occurrenceNote(o)})`) : ''}`);
      if (n > LISTED) list.push(mark.dim(`      ... and ${n - LISTED} more (see report.html)`));
      return `${head}\n${body}\n    in:\n${list.join('\n')}`;
    })
    .join('\n');
}
