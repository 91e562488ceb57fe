/**
 * report.html: ONE self-contained offline file (inline CSS, SVG and script, no network), read
 * top-down by a station author:
 *
 * 1. a summary: counts, duration, the station under test, the primitives touched (and, against a
 *    user's station, how many passes exchanged messages with it);
 * 2. an index of the causes of failure, then the failures grouped by cause — each cause card
 *    prints the failed expectation, expected, actual and fix once, followed by its scenarios,
 *    each opening on its root cause with the knock-on checks folded under it (htmlCase.ts);
 * 3. the scenarios that passed or were skipped; filters (state, tag, findings) and search.
 *
 * The sequence views and messages — most of the weight — are embedded as one gzip-compressed
 * JSON (base64) and inserted when a case is opened, which keeps the default suite's report a
 * few MB instead of 13.
 */
import { gzipSync } from 'node:zlib';
import type { Check } from '../scenario/index.ts';
import { causeKey, groupCauses, occurrenceNote, type Cause } from './causes.ts';
import { formatDuration } from './display.ts';
import { CSS, JS } from './htmlAssets.ts';
import { causeCard, renderCase, type CauseRef } from './htmlCase.ts';
import type { CaseResult, RunResult } from './model.ts';
import { oneRecordPerCall } from './sequence.ts';
import { esc } from './xmlText.ts';

/** Cause lines in the index at the top; cause cards list this many scenario links. */
const INDEX_LINES = 6;
const LINKS_PER_CAUSE = 12;

function targetExchanges(c: CaseResult, targets: readonly string[]): number {
  if (c.stationExchanges !== undefined) return c.stationExchanges;
  return oneRecordPerCall(c.exchanges).filter((e) => targets.some((t) => e.to === `station:${t}` || e.from === `station:${t}`)).length;
}

/** The stations under test: the run's --station targets; a station-suite run names its station per case. */
function underTest(run: RunResult): Array<[string, string]> {
  const caseTargets = Object.fromEntries(run.cases.flatMap((k) => Object.entries(k.targets)));
  return Object.entries(Object.keys(run.targets).length ? run.targets : caseTargets);
}

function summary(run: RunResult): string {
  const c = run.counts;
  const ran = c.passed + c.failed + c.errored + c.skipped || 1;
  const pct = (n: number) => ((n / ran) * 100).toFixed(2);
  const cards =
    (['passed', 'failed', 'errored', 'skipped'] as const).map((s) => `<div class="card ${s}"><b>${c[s]}</b><span>${s}</span></div>`).join('') +
    (c.notRun ? `<div class="card"><b>${c.notRun}</b><span>not run</span></div>` : '') +
    `<div class="card fcard"><b>${c.findings}</b><span>findings</span></div>`;
  const targets = underTest(run);
  const ops = new Map<string, number>();
  for (const k of run.cases) for (const e of oneRecordPerCall(k.exchanges)) ops.set(e.operation, (ops.get(e.operation) ?? 0) + 1);
  const prims = [...ops]
    .sort((a, b) => b[1] - a[1])
    .map(([o, n]) => `${esc(o)} ×${n}`)
    .join(', ');
  const facts = [
    ['duration', `${formatDuration(run.durationMs)} for ${c.total} scenario(s)${c.notRun ? `, ${c.notRun} not run` : ''}`],
    [
      'station under test',
      targets.length ? targets.map(([k, v]) => `<b>${esc(k)}</b> = ${esc(v)}`).join(', ') : 'none: the reference stations (a self-test of the harness)',
    ],
    ...(targets.length || run.counts.stationPasses !== undefined
      ? [
          [
            'touched it',
            (() => {
              const passed = run.cases.filter((k) => k.state === 'passed');
              const touched =
                run.counts.stationPasses ??
                passed.filter(
                  (k) =>
                    targetExchanges(
                      k,
                      targets.map(([id]) => id),
                    ) > 0,
                ).length;
              return `${touched} of ${passed.length} passes exchanged messages with the station under test`;
            })(),
          ],
        ]
      : []),
    ['primitives touched', `<span class="prim">${prims || 'none'}</span>`],
  ];
  return (
    `<section class="summary" id="summary"><div class="cards">${cards}</div>` +
    `<div class="facts">${facts.map(([k, v]) => `<div><span class="k">${k}</span> ${v}</div>`).join('')}</div>` +
    `<div class="bar"><i class="passed" style="width:${pct(c.passed)}%"></i><i class="failed" style="width:${pct(c.failed)}%"></i><i class="errored" style="width:${pct(c.errored)}%"></i><i class="skipped" style="width:${pct(c.skipped)}%"></i></div></section>`
  );
}

function causeIndex(causes: readonly Cause[], refs: Map<Cause, CauseRef>): string {
  if (!causes.length) return '';
  const n = new Set(causes.flatMap((g) => g.occurrences.map((o) => o.caseId))).size;
  const line = (g: Cause) => {
    const r = refs.get(g)!;
    const what = g.kind === 'failed' ? `✗ ${g.check?.name ?? ''}` : `! ${(g.reason ?? '').slice(0, 140)}`;
    return `<li><a href="#cause-${r.n}">${esc(what)}</a> <span class="dur">${g.occurrences.length} scenario(s)</span></li>`;
  };
  const more = causes.length > INDEX_LINES ? `<li class="dur">and ${causes.length - INDEX_LINES} more cause(s) below</li>` : '';
  return `<nav class="index" id="causes"><b>${n} scenario(s) failed or errored, ${causes.length} cause(s)</b><ol>${causes.slice(0, INDEX_LINES).map(line).join('')}${more}</ol></nav>`;
}

function filters(run: RunResult): string {
  const tags = [...new Set(run.cases.flatMap((k) => [...k.tags, ...(k.testCase ? [k.testCase] : [])]))].sort();
  const buttons = ['all', 'failed', 'errored', 'passed', 'skipped']
    .map((s) => `<button data-st="${s}" class="${s === 'all' ? 'on' : ''}">${s}</button>`)
    .join('');
  return `<div class="filters">${buttons}<select id="tag"><option value="">all tags</option>${tags.map((t) => `<option>${esc(t)}</option>`).join('')}</select><button id="fnd" title="only scenarios with findings">with findings</button><input id="q" placeholder="search id, title, tag, check, message…"><span id="shown" class="dur"></span><button id="expand">expand all</button><button id="collapse">collapse all</button></div>`;
}

export function reportHtml(run: RunResult): string {
  const causes = groupCauses(run);
  const refs = new Map<Cause, CauseRef>(causes.map((cause, i) => [cause, { n: i + 1, cause }]));
  const byKey = new Map<string, CauseRef>(causes.filter((g) => g.kind === 'failed').map((g) => [g.key, refs.get(g)!]));
  const causeOf = (check: Check) => byKey.get(causeKey(check));
  const errorOf = new Map<string, CauseRef>(
    causes.filter((g) => g.kind === 'errored').flatMap((g) => g.occurrences.map((o) => [o.caseId, refs.get(g)!] as [string, CauseRef])),
  );
  const keys = new Map(run.cases.map((c, i) => [c.id, `c${i}`]));
  const rendered = new Map(run.cases.map((c) => [c.id, renderCase(c, keys.get(c.id)!, causeOf, errorOf.get(c.id))]));
  const lazy: Record<string, string> = {};
  for (const [id, r] of rendered) lazy[keys.get(id)!] = r.lazy;

  // Failures first, under the card of their (first) cause; then what passed or was skipped.
  const placed = new Set<string>();
  const groups = causes
    .map((g) => {
      const mine = g.occurrences.filter((o) => !placed.has(o.caseId));
      for (const o of mine) placed.add(o.caseId);
      const links = g.occurrences
        .slice(0, LINKS_PER_CAUSE)
        .map((o) => `<a href="#${keys.get(o.caseId)}">${esc(o.caseId)}</a>${occurrenceNote(o, true) ? ` (${occurrenceNote(o, true)})` : ''}`);
      const listed = `in ${links.join(', ')}${g.occurrences.length > LINKS_PER_CAUSE ? `, and ${g.occurrences.length - LINKS_PER_CAUSE} more below` : ''}`;
      return causeCard(refs.get(g)!, listed) + mine.map((o) => rendered.get(o.caseId)!.html.replace('<details ', `<details data-group="failures" `)).join('');
    })
    .join('\n');
  // What passed or was skipped: one closed group per scenario file (filters and search open them).
  const byFile = new Map<string, CaseResult[]>();
  for (const c of run.cases) if (!placed.has(c.id)) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
  const others = [...byFile]
    .map(([file, list]) => {
      const n = (st: CaseResult['state']) => list.filter((c) => c.state === st).length;
      const counts = (['passed', 'skipped'] as const)
        .filter((st) => n(st))
        .map((st) => `<span class="${st === 'passed' ? 'ok' : 'dur'}">${n(st)} ${st}</span>`)
        .join(' · ');
      const f = list.reduce((t, c) => t + c.findings.length, 0);
      return `<details class="file" data-file="${esc(file)}"><summary><b>${esc(file)}</b> · ${counts}${f ? ` · <span class="err">${f} finding${f > 1 ? 's' : ''}</span>` : ''}</summary><div class="cases">${list.map((c) => rendered.get(c.id)!.html.replace('<details ', '<details data-group="others" ')).join('')}</div></details>`;
    })
    .join('\n');
  const blob = gzipSync(Buffer.from(JSON.stringify(lazy)), { level: 9 }).toString('base64');
  const targets = underTest(run);
  const meta = [
    `run ${esc(run.runId)}`,
    esc(run.startedAt),
    targets.length ? `against ${targets.map(([k]) => esc(k)).join(', ')}` : 'against the reference stations',
  ];
  const banner = run.interrupted
    ? `<div class="banner">Interrupted (${esc(run.interruption ?? 'SIGINT')}): ${run.counts.notRun} scenario(s) not run${run.notRun.length ? `: ${run.notRun.slice(0, 20).map(esc).join(', ')}${run.notRun.length > 20 ? ', …' : ''}` : ''}.</div>`
    : run.bailed
      ? `<div class="banner">Stopped at the first failure (--bail): ${run.counts.notRun} scenario(s) not run.</div>`
      : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>station-harness conformance report</title><style>${CSS}</style></head>
<body><header><h1>pagoPA station conformance report</h1><div class="meta">${meta.join(' · ')}</div></header>
<main>${summary(run)}${banner}${causeIndex(causes, refs)}${filters(run)}
<div id="list">${groups ? `<h2 class="sec" data-for="failures">Failures, by cause</h2>\n${groups}` : ''}
${others ? `<h2 class="sec" data-for="others">${causes.length ? 'Passed and skipped' : 'Scenarios'}</h2>\n${others}` : ''}</div>
<footer>${esc(run.tool.name)} ${esc(run.tool.version)} · every message validated against the official pagoPA XSDs · report schema v${run.schemaVersion}</footer></main>
<script type="application/octet-stream" id="lazy">${blob}</script>
<script>${JS}</script></body></html>
`;
}
