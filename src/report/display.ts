/**
 * Renders checks, mismatches and issues as text, for the terminal and for the text
 * parts of other reports (JUnit failure bodies). Pure functions, no colours.
 */
import type { Check, Mismatch } from '../scenario/expect.ts';
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
  return c.mismatch && !c.passed ? `${head}\n${formatMismatch(c.mismatch, indent + '    ')}` : head;
}

/** The failure text of a case: each failed check with its mismatch, or the error/skip reason. */
export function caseDetails(c: CaseResult): string {
  if (c.state === 'errored' || c.state === 'skipped') return c.reason;
  if (c.state === 'passed') return '';
  return c.failures.map((f) => formatCheck(f, c.file, '')).join('\n');
}

/** One line of the first failure, for summaries and JUnit message attributes. */
export function firstFailure(c: CaseResult): string {
  if (c.state === 'errored' || c.state === 'skipped') return c.reason;
  if (c.state === 'passed') return '';
  const f = c.failures[0];
  if (!f) return 'failed';
  const m = f.mismatch;
  return m ? `${f.name}: expected ${m.expected}, got ${m.actual}` : f.name;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
