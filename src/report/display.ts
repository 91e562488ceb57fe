/**
 * Renders checks, mismatches and issues as text, for the terminal and for the text
 * parts of other reports (JUnit failure bodies). Pure functions, no colours.
 */
import type { Check, Mismatch } from '../scenario/index.ts';
import type { Finding } from '../scenario/index.ts';
import type { CaseResult } from './model.ts';

export function formatMismatch(m: Mismatch, indent = '    '): string {
  const lines = [`${indent}expected: ${m.expected}`, `${indent}actual:   ${m.actual}`];
  if (m.path) lines.unshift(`${indent}at:       ${m.path}`);
  if (m.hint) lines.push(`${indent}fix:      ${m.hint}`);
  return lines.join('\n');
}

export function formatCheck(c: Check, file?: string, indent = '  '): string {
  const where = c.line && file ? ` (${file}:${c.line})` : '';
  const head = `${indent}${c.passed ? '✓' : '✗'} ${c.name}${where}`;
  return c.mismatch && !c.passed ? `${head}\n${formatMismatch(c.mismatch, `${indent}    `)}` : head;
}

/** One line: the check, what was expected and what came instead (long values cut). */
export function checkLine(c: Check, max = 160): string {
  const m = c.mismatch;
  const text = m && !c.passed ? `${c.name}: expected ${m.expected}, got ${m.actual}` : c.name;
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * The failure text of a case: each root cause with its mismatch and fix, then the checks that
 * failed only because of it, one short line each (their hint is the root cause's: not repeated).
 */
export function caseDetails(c: CaseResult): string {
  if (c.state === 'errored' || c.state === 'skipped') return c.reason;
  if (c.state === 'passed') return '';
  return rootCauses(c)
    .map(({ check, folded }) => {
      const head = formatCheck(check, c.file, '');
      if (!folded.length) return head;
      return `${head}\n    ↳ ${folded.length} more check(s) failed only because of this:\n${folded.map((f) => `      - ${checkLine(f, 140)}`).join('\n')}`;
    })
    .join('\n');
}

/** The root causes of a failed case (checks not folded under another), each with the checks folded under it. */
export function rootCauses(c: CaseResult): Array<{ index: number; check: Check; folded: Check[] }> {
  return c.checks
    .map((check, index) => ({ index, check }))
    .filter(({ check }) => !check.passed && check.causedBy === undefined)
    .map(({ index, check }) => ({ index, check, folded: c.checks.filter((k) => k.causedBy === index) }));
}

/** One line of the first root cause, for summaries and JUnit message attributes. */
export function firstFailure(c: CaseResult): string {
  if (c.state === 'errored' || c.state === 'skipped') return c.reason;
  if (c.state === 'passed') return '';
  const f = rootCauses(c)[0]?.check ?? c.failures[0];
  if (!f) return 'failed';
  const m = f.mismatch;
  return m ? `${f.name}: expected ${m.expected}, got ${m.actual}` : f.name;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** `[warning] IUV_MATCH (nodo #4): creditorReferenceId ...` */
export function formatFinding(f: Finding): string {
  return `[${f.severity}] ${f.code} (${f.source.party}${f.source.exchange !== undefined ? ` #${f.source.exchange}` : ''}): ${f.message}`;
}
