/**
 * JUnit XML for CI test publishers (GitLab, GitHub, Jenkins, Azure): one <testsuite> per
 * scenario file, one <testcase> per scenario; `failed` → <failure> (expectation and
 * actual value), `errored` → <error> (harness or transport trouble), `skipped` →
 * <skipped>; stations and operations as <properties>. Findings (never failures) are
 * <property name="finding"> entries and lines of <system-out>.
 */
import { canonicalExchanges } from '../scenario/run.ts';
import { formatFinding } from '../scenario/findings.ts';
import { caseDetails, firstFailure } from './display.ts';
import type { CaseResult, RunResult } from './model.ts';
import { esc, xmlSafe } from './xmlText.ts';

const secs = (ms: number) => (ms / 1000).toFixed(3);

function properties(c: CaseResult): string {
  const ex = canonicalExchanges(c.exchanges);
  const stations = [...new Set(ex.flatMap((e) => [e.from, e.to]).filter((p) => p.startsWith('station:')).map((p) => p.slice(8)))];
  const ops = [...new Set(ex.map((e) => e.operation))];
  const props: [string, string][] = [
    ...(c.testCase ? [['testCase', c.testCase] as [string, string]] : []),
    ['tags', c.tags.join(',')],
    ['file', `${c.file}:${c.line}`],
    ...stations.map((s) => ['station', c.targets[s] ? `${s}=${c.targets[s]}` : s] as [string, string]),
    ...ops.map((o) => ['operation', o] as [string, string]),
    ...c.findings.map((f) => ['finding', `${f.severity} ${f.code}: ${f.message}`] as [string, string]),
  ];
  return `      <properties>\n${props.map(([n, v]) => `        <property name="${esc(n)}" value="${esc(xmlSafe(v))}"/>`).join('\n')}\n      </properties>\n`;
}

function testcase(c: CaseResult, classname: string): string {
  const open = `    <testcase name="${esc(`${c.id}: ${c.title}`)}" classname="${esc(classname)}" time="${secs(c.durationMs)}" file="${esc(c.file)}" line="${c.line}">\n`;
  let body = properties(c);
  const text = esc(xmlSafe(caseDetails(c)));
  if (c.state === 'failed') body += `      <failure message="${esc(xmlSafe(firstFailure(c)))}" type="ConformanceFailure">${text}</failure>\n`;
  if (c.state === 'errored') body += `      <error message="${esc(xmlSafe(firstFailure(c)))}" type="HarnessError">${text}</error>\n`;
  if (c.state === 'skipped') body += `      <skipped message="${esc(xmlSafe(c.reason))}"/>\n`;
  const steps = c.steps.map((s) => `${s.index + 1}. ${s.label} (${Math.round(s.durationMs)} ms)${s.checks.some((k) => !k.passed) ? ' ✗' : ''}`).join('\n');
  const findings = c.findings.length ? `Findings (${c.findings.length}, not failures):\n${c.findings.map((f) => `- ${formatFinding(f)}`).join('\n')}` : '';
  const out = [steps, findings].filter(Boolean).join('\n\n');
  if (out) body += `      <system-out>${esc(xmlSafe(out))}</system-out>\n`;
  return `${open}${body}    </testcase>\n`;
}

export function junitXml(run: RunResult): string {
  const byFile = new Map<string, CaseResult[]>();
  for (const c of run.cases) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
  const suites = [...byFile].map(([file, cases]) => {
    const n = (s: CaseResult['state']) => cases.filter((c) => c.state === s).length;
    const time = cases.reduce((t, c) => t + c.durationMs, 0);
    const classname = file.replace(/\.ya?ml$/i, '').replace(/[\\/]/g, '.');
    return (
      `  <testsuite name="${esc(file)}" tests="${cases.length}" failures="${n('failed')}" errors="${n('errored')}" skipped="${n('skipped')}" time="${secs(time)}" timestamp="${esc(run.startedAt.replace(/\.\d+Z$/, ''))}">\n` +
      cases.map((c) => testcase(c, classname)).join('') +
      `  </testsuite>\n`
    );
  });
  const c = run.counts;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="station-harness" tests="${c.passed + c.failed + c.errored + c.skipped}" failures="${c.failed}" errors="${c.errored}" skipped="${c.skipped}" time="${secs(run.durationMs)}">\n${suites.join('')}</testsuites>\n`;
}
