/**
 * JUnit XML for CI test publishers (Jenkins, GitLab, GitHub, Azure). The file is valid against
 * both schemas CI tools check JUnit input with — the Jenkins xunit plugin's `junit-10.xsd` and
 * the Apache Ant JUnit schema (copies in test/fixtures/junit-schemas/, checked by
 * test/report/junit.test.ts) — so it is written to what the two allow together:
 *
 * - `<testsuites>` has no attributes (Ant allows none); the totals are in a comment above it.
 * - One `<testsuite>` per scenario file with `package`, `id`, `hostname`, `timestamp`
 *   (no zone), counts and `time`; then `<properties>`, the test cases, `<system-out>`,
 *   `<system-err>`, in that order (Ant's sequence).
 * - One `<testcase>` per scenario (`name`, `classname`, `time` only) holding at most one of
 *   `<failure>` (a conformance failure: the root cause in `message`, with file and line),
 *   `<error>` (harness or transport trouble) or `<skipped>`. Scenarios an interrupted or
 *   --bail run never started are `<skipped>` with the reason.
 * - What a test case cannot carry goes to its suite: properties named `<scenario id>.<what>`
 *   (file:line, test-case id, tags, stations, findings) and a `<system-out>` block per scenario
 *   (state, steps, stations and operations, findings).
 */
import { hostname } from 'node:os';
import { inCallOrder } from './sequence.ts';
import type { CaseInfo } from '../scenario/index.ts';
import { caseDetails, firstFailure, formatDuration, formatFinding, rootCauses } from './display.ts';
import type { CaseResult, RunResult } from './model.ts';
import { esc, escText, xmlSafe } from './xmlText.ts';

const secs = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);
const attr = (s: string) => esc(xmlSafe(s));
const text = (s: string) => escText(xmlSafe(s));
/** Ant's timestamp: `YYYY-MM-DDThh:mm:ss`, no fraction, no zone. */
const timestamp = (iso: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.exec(iso)?.[0] ?? new Date().toISOString().slice(0, 19);

/** A scenario of the suite: one that ran (or was skipped), or one the run never started. */
type Entry = { kind: 'case'; c: CaseResult } | { kind: 'notRun'; c: CaseInfo };

function stationsAndOperations(c: CaseResult): { stations: string[]; operations: string[] } {
  const ex = inCallOrder(c.exchanges);
  const stations = [
    ...new Set(
      ex
        .flatMap((e) => [e.from, e.to])
        .filter((p) => p.startsWith('station:'))
        .map((p) => p.slice(8)),
    ),
  ].map((s) => (c.targets[s] ? `${s}=${c.targets[s]}` : s));
  return { stations, operations: [...new Set(ex.map((e) => e.operation))] };
}

function notRunReason(run: RunResult): string {
  if (run.interrupted) return `not run: the run was interrupted (${run.interruption ?? 'SIGINT'}) before this scenario started`;
  if (run.bailed) return 'not run: --bail stopped the run after the first failed scenario';
  return 'not run';
}

function properties(entries: readonly Entry[], file: string): string {
  const props: [string, string][] = [['file', file]];
  for (const { kind, c } of entries) {
    props.push([`${c.id}.file`, `${c.file}:${c.line}`]);
    if (c.testCase) props.push([`${c.id}.testCase`, c.testCase]);
    if (c.tags.length) props.push([`${c.id}.tags`, c.tags.join(',')]);
    if (kind === 'case') {
      for (const s of stationsAndOperations(c).stations) props.push([`${c.id}.station`, s]);
      for (const f of c.findings) props.push([`${c.id}.finding`, `${f.severity} ${f.code}: ${f.message}`]);
    }
  }
  return `    <properties>\n${props.map(([n, v]) => `      <property name="${attr(n)}" value="${attr(v)}"/>`).join('\n')}\n    </properties>\n`;
}

/** The text of a failure or error: where, the root causes with the checks folded under them, the steps. */
function stepLine(c: CaseResult, s: CaseResult['steps'][number]): string {
  const errored = c.state === 'errored' && s === c.steps[c.steps.length - 1];
  return `${s.index + 1}. ${s.label} (line ${s.line}, ${Math.round(s.durationMs)} ms)${errored ? ' ! error' : s.checks.some((k) => !k.passed) ? ' ✗' : ' ✓'}`;
}

function failureText(c: CaseResult): string {
  const steps = c.steps.map((s) => stepLine(c, s)).join('\n');
  return [`${c.file}:${c.line} ${c.id}: ${c.title}`, caseDetails(c), steps ? `Steps:\n${steps}` : ''].filter(Boolean).join('\n\n');
}

function testcase(e: Entry, classname: string, run: RunResult): string {
  const c = e.c;
  const open = `    <testcase name="${attr(`${c.id}: ${c.title}`)}" classname="${attr(classname)}" time="${e.kind === 'case' ? secs(e.c.durationMs) : '0.000'}"`;
  if (e.kind === 'notRun') return `${open}>\n      <skipped message="${attr(notRunReason(run))}"/>\n    </testcase>\n`;
  const r = e.c;
  if (r.state === 'passed') return `${open}/>\n`;
  if (r.state === 'skipped') return `${open}>\n      <skipped message="${attr(r.reason)}"/>\n    </testcase>\n`;
  const where = r.state === 'failed' ? (rootCauses(r)[0]?.check.line ?? r.line) : r.line;
  const message = `${firstFailure(r).replace(/\s+/g, ' ')} (${r.file}:${where})`;
  const tag = r.state === 'failed' ? 'failure' : 'error';
  const type = r.state === 'failed' ? 'ConformanceFailure' : 'HarnessError';
  return `${open}>\n      <${tag} message="${attr(message)}" type="${type}">${text(failureText(r))}</${tag}>\n    </testcase>\n`;
}

/** The suite's system-out: one block per scenario (what a test case element cannot carry). */
function systemOut(entries: readonly Entry[], run: RunResult): string {
  return entries
    .map((e) => {
      if (e.kind === 'notRun') return `[not run] ${e.c.id} (${e.c.file}:${e.c.line}): ${notRunReason(run)}`;
      const c = e.c;
      const { stations, operations } = stationsAndOperations(c);
      const lines = [`[${c.state}] ${c.id} (${c.file}:${c.line}, ${formatDuration(c.durationMs)}): ${c.title}`];
      if (c.state === 'failed') lines.push(`  root cause: ${firstFailure(c).replace(/\s+/g, ' ')}`);
      if (c.state === 'errored' || c.state === 'skipped') lines.push(`  ${c.state === 'errored' ? 'error' : 'skipped'}: ${c.reason}`);
      for (const s of c.steps) lines.push(`  ${stepLine(c, s)}`);
      if (stations.length) lines.push(`  stations: ${stations.join(', ')}`);
      if (operations.length) lines.push(`  operations: ${operations.join(', ')}`);
      if (c.findings.length) lines.push(`  findings (${c.findings.length}, not failures):`, ...c.findings.map((f) => `  - ${formatFinding(f)}`));
      return lines.join('\n');
    })
    .join('\n\n');
}

export function junitXml(run: RunResult): string {
  const byFile = new Map<string, Entry[]>();
  const add = (e: Entry) => byFile.set(e.c.file, [...(byFile.get(e.c.file) ?? []), e]);
  for (const c of run.cases) add({ kind: 'case', c });
  for (const c of run.notRunCases ?? []) add({ kind: 'notRun', c });
  const host = hostname() || 'localhost';
  const suites = [...byFile].map(([file, entries], id) => {
    const n = (s: CaseResult['state']) => entries.filter((e) => e.kind === 'case' && e.c.state === s).length;
    const notRun = entries.filter((e) => e.kind === 'notRun').length;
    const time = entries.reduce((t, e) => t + (e.kind === 'case' ? e.c.durationMs : 0), 0);
    const classname = file.replace(/\.ya?ml$/i, '').replace(/[\\/]/g, '.');
    return (
      `  <testsuite name="${attr(file)}" package="${attr(classname)}" id="${id}" hostname="${attr(host)}" timestamp="${timestamp(run.startedAt)}" tests="${entries.length}" failures="${n('failed')}" errors="${n('errored')}" skipped="${n('skipped') + notRun}" time="${secs(time)}">\n` +
      properties(entries, file) +
      entries.map((e) => testcase(e, classname, run)).join('') +
      `    <system-out>${text(systemOut(entries, run))}</system-out>\n` +
      `    <system-err/>\n` +
      `  </testsuite>\n`
    );
  });
  const c = run.counts;
  const total = c.passed + c.failed + c.errored + c.skipped + c.notRun;
  const summary = `${run.tool.name} ${run.tool.version}, run ${run.runId}: ${total} tests, ${c.passed} passed, ${c.failed} failed, ${c.errored} errored, ${c.skipped} skipped${c.notRun ? `, ${c.notRun} not run (${run.interrupted ? `interrupted, ${run.interruption ?? 'SIGINT'}` : '--bail'})` : ''}, ${secs(run.durationMs)} s`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!-- ${xmlSafe(summary).replace(/--/g, '- -')} -->\n<testsuites>\n${suites.join('')}</testsuites>\n`;
}
