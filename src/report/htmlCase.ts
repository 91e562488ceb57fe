/**
 * One scenario in report.html: a collapsed row (state, title, id, tags, cause, duration) whose
 * body opens on what matters. A failed case opens on its root cause — the expectation, where it
 * failed, the message it is about — with the checks that failed only because of it folded under
 * it; the text of a cause shared with other scenarios is printed once, in its cause card, and
 * referenced. Then findings and steps. The sequence view and the messages are the `lazy` part:
 * the page embeds them compressed and inserts them when the case is opened.
 */
import type { Check } from '../scenario/index.ts';
import { checkLine, formatDuration, rootCauses } from './display.ts';
import type { Cause } from './causes.ts';
import { messageHtml, messageId, partyLabel } from './htmlMessages.ts';
import { sequenceSvg } from './htmlSequence.ts';
import type { CaseResult } from './model.ts';
import { exchangeTree, type SeqNode } from './sequence.ts';
import { esc } from './xmlText.ts';

export interface CauseRef {
  /** 1-based cause number (`#cause-N`). */
  n: number;
  cause: Cause;
}

export interface RenderedCase {
  /** The `<details>` element, lazy part not included. */
  html: string;
  /** Sequence view and messages (and, for cases that did not fail, the steps). */
  lazy: string;
}

const mismatchTable = (c: Check) => {
  const m = c.mismatch;
  if (!m) return '';
  return `<table class="mm"><tr><td>at</td><td>${esc(m.path)}</td></tr><tr><td>expected</td><td class="exp">${esc(m.expected)}</td></tr><tr><td>actual</td><td class="act">${esc(m.actual)}</td></tr>${m.hint ? `<tr><td>fix</td><td>${esc(m.hint)}</td></tr>` : ''}</table>`;
};

export function ruleTag(c: Check): string {
  return c.rule ? `<span class="rule" title="${esc(c.source ?? '')}">${esc(c.rule)}</span>${c.source ? ` <span class="cid">${esc(c.source)}</span>` : ''}` : '';
}

/** The check the cause card shows (text printed once for every scenario with this cause). */
export function causeCard(ref: CauseRef, listed: string): string {
  const { n, cause } = ref;
  const count = cause.occurrences.length;
  const body =
    cause.kind === 'failed' && cause.check
      ? `<div class="cname"><b class="ko">✗ ${esc(cause.check.name)}</b> ${ruleTag(cause.check)}</div>${mismatchTable(cause.check)}`
      : `<div class="cname"><b class="err">! Error</b></div><div class="reason">${esc(cause.reason ?? '')}</div>`;
  const variants =
    cause.variants > 1
      ? `<div class="cap">the check above is the first of ${cause.variants} different ones under this rule; each scenario below shows its own</div>`
      : '';
  return `<div class="cause ${cause.kind}" id="cause-${n}" data-cause="${n}"><div class="ch">Cause ${n} · ${count} scenario${count > 1 ? 's' : ''}</div>${body}${variants}<div class="who">${listed}</div></div>`;
}

function stepOfCheck(c: CaseResult, index: number): CaseResult['steps'][number] | undefined {
  let seen = 0;
  for (const s of c.steps) {
    if (index < seen + s.checks.length) return s;
    seen += s.checks.length;
  }
  return undefined;
}

/** The message a root check is about: an exchange of its step with schema issues on the named message. */
function messageOf(c: CaseResult, check: Check, index: number, numbers: Map<number, number>): { n: number; side: string } | undefined {
  const step = stepOfCheck(c, index);
  const m = check.mismatch;
  if (!step || !m || m.type !== 'schema') return undefined;
  for (const seq of step.exchanges) {
    const e = c.exchanges.find((x) => x.seq === seq);
    const n = numbers.get(seq);
    if (!e || n === undefined || !m.path.startsWith(e.operation)) continue;
    if (e.responseIssues.length && m.path !== `${e.operation}Request` && m.path !== `${e.operation}Req`) return { n, side: 'answer' };
    if (e.requestIssues.length) return { n, side: 'request' };
  }
  return undefined;
}

function rootBlocks(c: CaseResult, key: string, causeOf: (check: Check) => CauseRef | undefined, numbers: Map<number, number>): string {
  if (c.state !== 'failed') return '';
  return rootCauses(c)
    .map(({ index, check, folded }, i) => {
      const ref = causeOf(check);
      const step = stepOfCheck(c, index);
      const same =
        ref?.cause.check &&
        ref.cause.check.name === check.name &&
        ref.cause.check.mismatch?.actual === check.mismatch?.actual &&
        ref.cause.check.mismatch?.hint === check.mismatch?.hint;
      const msg = messageOf(c, check, index, numbers);
      const where = [
        step ? `step ${step.index + 1}` : '',
        `<span class="cid">${esc(c.file)}:${check.line ?? c.line}</span>`,
        msg ? `the ${msg.side} in message <a class="mref" href="#${messageId(key, msg.n)}">${String(msg.n).padStart(2, '0')}</a>` : '',
      ]
        .filter(Boolean)
        .join(' · ');
      const detail = same && ref ? `<div class="cap">expected, actual and fix: <a href="#cause-${ref.n}">cause ${ref.n}</a></div>` : mismatchTable(check);
      const knock = folded.length
        ? `<details class="knock"><summary>↳ ${folded.length} more check${folded.length > 1 ? 's' : ''} failed only because of this</summary><ul>${folded.map((f) => `<li>${esc(checkLine(f, 220))}</li>`).join('')}</ul></details>`
        : '';
      return `<div class="root"${i === 0 ? ' data-root="1"' : ''}><div class="rc-h"><b>${i === 0 ? 'Root cause' : 'Also'}</b>${ref ? ` · <a href="#cause-${ref.n}">cause ${ref.n}</a>${ref.cause.occurrences.length > 1 ? ` (${ref.cause.occurrences.length} scenarios)` : ''}` : ''} · ${where}</div><div class="cname"><b class="ko">✗ ${esc(check.name)}</b> ${ruleTag(check)}</div>${detail}${knock}</div>`;
    })
    .join('');
}

function findingsBlock(c: CaseResult): string {
  if (!c.findings.length) return '';
  const items = c.findings
    .map(
      (f) =>
        `<li><span class="sev ${f.severity}">${f.severity}</span><span class="fcode">${esc(f.code)}</span> <span class="cid">${esc(partyLabel(f.source.party))}${f.source.exchange !== undefined ? ` #${f.source.exchange}` : ''} · step ${f.step + 1}</span><br>${esc(f.message)}</li>`,
    )
    .join('');
  return `<div class="findings"><b>Findings</b> <span class="dur">(${c.findings.length}; not failures: pagoPA does not make these a refusal)</span><ul>${items}</ul></div>`;
}

function stepsList(c: CaseResult): string {
  if (c.steps.length === 0) return '';
  const items = c.steps
    .map((s) => {
      const failed = s.checks.filter((k) => !k.passed && k.causedBy === undefined);
      const knock = s.checks.filter((k) => !k.passed && k.causedBy !== undefined).length;
      const shown = [...failed, ...s.checks.filter((k) => k.passed && !k.name.includes('schema-valid'))];
      const valid = s.checks.filter((k) => k.passed && k.name.includes('schema-valid')).length;
      const checks =
        shown.map((k) => `<li class="${k.passed ? 'ok' : 'ko'}">${k.passed ? '✓' : '✗'} ${esc(k.name)}</li>`).join('') +
        (knock ? `<li class="ko">↳ ${knock} knock-on check(s), folded under the root cause</li>` : '') +
        (valid ? `<li class="ok">✓ ${valid} message(s) schema-valid</li>` : '');
      return `<li><b>${esc(s.label)}</b> <span class="dur">${formatDuration(s.durationMs)} · line ${s.line}</span>${checks ? `<ul class="checks">${checks}</ul>` : ''}</li>`;
    })
    .join('');
  return `<h3>Steps</h3><ol class="steps">${items}</ol>`;
}

function flatten(nodes: readonly SeqNode[]): SeqNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

/** Text the search box matches: ids, title, tags, finding codes, failure text. */
function searchText(c: CaseResult): string {
  const fail =
    c.state === 'failed'
      ? c.checks
          .filter((k) => !k.passed)
          .map((k) => `${k.name} ${k.mismatch?.actual ?? ''} ${k.rule ?? ''}`)
          .join(' ')
      : c.state === 'errored' || c.state === 'skipped'
        ? c.reason
        : '';
  return `${c.id} ${c.title} ${c.tags.join(' ')} ${c.testCase ?? ''} ${c.findings.map((f) => f.code).join(' ')} ${fail}`.toLowerCase().replace(/\s+/g, ' ');
}

export function renderCase(c: CaseResult, key: string, causeOf: (check: Check) => CauseRef | undefined, errorCause?: CauseRef): RenderedCase {
  const tree = exchangeTree(c.exchanges);
  const nodes = flatten(tree);
  const numbers = new Map(nodes.map((n) => [n.exchange.seq, n.n]));
  const refs =
    c.state === 'failed'
      ? [
          ...new Set(
            rootCauses(c)
              .map((r) => causeOf(r.check)?.n)
              .filter((n): n is number => n !== undefined),
          ),
        ]
      : errorCause
        ? [errorCause.n]
        : [];
  // One line per scenario: state, title (cut, whole on hover), id, cause, test case, findings, duration.
  const summary =
    `<summary><span class="badge ${c.state}">${c.state}</span><span class="title" title="${esc(c.title)}">${esc(c.title)}</span><span class="cid">${esc(c.id)}</span>` +
    refs.map((n) => `<span class="tag cref">cause ${n}</span>`).join('') +
    (c.testCase ? `<span class="tag tc">${esc(c.testCase)}</span>` : '') +
    (c.findings.length ? `<span class="tag fnd">${c.findings.length} finding${c.findings.length > 1 ? 's' : ''}</span>` : '') +
    `<span class="dur">${formatDuration(c.durationMs)}</span></summary>`;
  const where = `<p class="where"><span class="cid">${esc(c.file)}:${c.line}</span> ${c.tags.map((t) => `<span class="tag">${esc(t)}</span>`).join('')}</p>`;
  const problem =
    c.state === 'errored'
      ? `<div class="root" data-root="1"><div class="rc-h"><b>Error</b>${errorCause ? ` · <a href="#cause-${errorCause.n}">cause ${errorCause.n}</a>` : ''} · <span class="cid">${esc(c.file)}:${c.line}</span></div><div class="reason">${esc(c.reason)}</div></div>`
      : c.state === 'skipped'
        ? `<div class="problem skipped"><b>Skipped:</b> ${esc(c.reason)}</div>`
        : rootBlocks(c, key, causeOf, numbers);
  const failing = c.state === 'failed' || c.state === 'errored';
  const inline = `${problem}${where}${c.description ? `<p>${esc(c.description)}</p>` : ''}${findingsBlock(c)}${failing ? stepsList(c) : ''}`;
  const lazy = `${failing ? '' : stepsList(c)}${nodes.length ? `<h3>Sequence</h3>${sequenceSvg(tree, key)}<h3>Messages</h3>${nodes.map((n) => messageHtml(key, n.n, n.exchange)).join('')}` : ''}`;
  const html =
    `<details class="case ${c.state}" id="${key}" data-key="${key}" data-state="${c.state}" data-tags="${esc([...c.tags, ...(c.testCase ? [c.testCase] : [])].join(' '))}" data-text="${esc(searchText(c))}" data-findings="${c.findings.length}"${refs.length ? ` data-cause="${refs[0]}"` : ''}>` +
    `${summary}<div class="body">${inline}<div class="lazy"></div></div></details>`;
  return { html, lazy };
}
