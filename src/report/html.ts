/**
 * report.html: ONE self-contained file (inline CSS, inline SVG, a few lines of inline JS,
 * no network): summary, filters by status/tag/text, and per scenario its failures
 * (expected vs actual, what to fix), its steps with their checks, a sequence diagram
 * PSP ↔ Nodo ↔ stations, and every message pretty-printed with its schema issues marked.
 */
import { canonicalExchanges } from '../scenario/run.ts';
import type { Check } from '../scenario/expect.ts';
import type { Exchange } from '../soap/exchange.ts';
import type { Issue } from '../xml/issue.ts';
import { formatDuration } from './display.ts';
import type { CaseResult, RunResult } from './model.ts';
import { esc } from './xmlText.ts';

const CSS = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1d2433;--mute:#6b7385;--line:#e3e6ec;--pass:#1f9d55;--fail:#d64545;--err:#b7791f;--skip:#8a94a6;--accent:#0b5cad}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--ink)}
header{background:linear-gradient(120deg,#0b3d6e,#0b5cad);color:#fff;padding:22px 32px 18px}
header h1{margin:0 0 4px;font-size:22px;font-weight:600}header .meta{opacity:.85;font-size:13px}
main{max-width:1200px;margin:0 auto;padding:20px 24px 60px}
.cards{display:flex;gap:12px;margin:-34px 0 16px;flex-wrap:wrap}
.card{background:var(--card);border-radius:10px;padding:12px 18px;min-width:130px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.card b{display:block;font-size:26px}.card span{color:var(--mute);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.card.passed b{color:var(--pass)}.card.failed b{color:var(--fail)}.card.errored b{color:var(--err)}.card.skipped b{color:var(--skip)}
.bar{display:flex;height:8px;border-radius:4px;overflow:hidden;background:var(--line);margin-bottom:18px}
.bar i{display:block}.bar .passed{background:var(--pass)}.bar .failed{background:var(--fail)}.bar .errored{background:var(--err)}.bar .skipped{background:var(--skip)}
.filters{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin-bottom:14px;background:var(--card);padding:10px 12px;border-radius:10px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.filters button{border:1px solid var(--line);background:#fff;border-radius:16px;padding:4px 12px;cursor:pointer;font:inherit}
.filters button.on{background:var(--accent);border-color:var(--accent);color:#fff}
.filters select,.filters input{border:1px solid var(--line);border-radius:6px;padding:5px 8px;font:inherit}.filters input{flex:1;min-width:160px}
details.case{background:var(--card);border-radius:10px;margin-bottom:10px;box-shadow:0 1px 2px rgba(0,0,0,.07);border-left:5px solid var(--skip)}
details.case.passed{border-left-color:var(--pass)}details.case.failed{border-left-color:var(--fail)}details.case.errored{border-left-color:var(--err)}
details.case>summary{list-style:none;cursor:pointer;padding:12px 16px;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
details.case>summary::-webkit-details-marker{display:none}
.badge{font-size:11px;font-weight:700;text-transform:uppercase;border-radius:4px;padding:2px 7px;color:#fff;letter-spacing:.04em}
.badge.passed{background:var(--pass)}.badge.failed{background:var(--fail)}.badge.errored{background:var(--err)}.badge.skipped{background:var(--skip)}
.cid{font-family:ui-monospace,Menlo,Consolas,monospace;color:var(--mute);font-size:12px}.title{font-weight:600;flex:1 1 480px;min-width:260px}
.tag{font-size:11px;background:#eef2f8;color:#33507a;border-radius:10px;padding:1px 8px}.tc{background:#fff4e0;color:#8a5a00}.dur{color:var(--mute);font-size:12px}
.body{padding:0 18px 16px}.body h3{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:var(--mute);margin:16px 0 8px}
.problem{background:#fff5f5;border:1px solid #f3c4c4;border-radius:8px;padding:10px 12px;margin:8px 0}
.problem.errored{background:#fffaf0;border-color:#f0d9a8}.problem.skipped{background:#f5f6f8;border-color:var(--line)}
table.mm{border-collapse:collapse;width:100%;font-size:13px;margin-top:6px}table.mm td{padding:3px 8px;vertical-align:top;border-top:1px solid #f1dede}
table.mm td:first-child{width:90px;color:var(--mute)}.exp{color:var(--pass);font-family:ui-monospace,monospace}.act{color:var(--fail);font-family:ui-monospace,monospace;word-break:break-word}
ol.steps{margin:0;padding-left:22px}ol.steps li{margin:4px 0}ol.steps .checks{list-style:none;padding-left:6px;margin:2px 0 6px;font-size:13px}
.ok{color:var(--pass)}.ko{color:var(--fail)}
.seq{overflow-x:auto;border:1px solid var(--line);border-radius:8px;background:#fbfcfe}
details.msg{border:1px solid var(--line);border-radius:8px;margin:6px 0;background:#fff}details.msg>summary{cursor:pointer;padding:6px 10px;font-size:13px}
details.msg.bad{border-color:#f3c4c4}.pair>div{min-width:0}.pair{display:grid;grid-template-columns:1fr 1fr;gap:8px;padding:0 8px 8px}@media(max-width:900px){.pair{grid-template-columns:1fr}}
pre.xml{margin:0;background:#0f1623;color:#d7dde8;border-radius:6px;padding:8px 0;overflow:auto;font:12px/1.5 ui-monospace,Menlo,Consolas,monospace;max-height:420px}
pre.xml .ln{display:inline-block;width:34px;text-align:right;margin-right:10px;color:#5b667a;user-select:none}
pre.xml .l{display:block;padding:0 8px}pre.xml .l.issue{background:#5a1d1d}pre.xml .im{display:block;background:#3a1414;color:#ffb4b4;padding:2px 8px 2px 52px;white-space:pre-wrap}
.xt{color:#7fb4ff}.xa{color:#c3a6ff}.xv{color:#a5e8a1}.cap{font-size:12px;color:var(--mute);margin:6px 0 4px}
.findings{background:#fffbea;border:1px solid #f0d9a8;border-radius:8px;padding:8px 12px;margin:8px 0}.findings ul{margin:4px 0 0;padding-left:18px}.findings li{margin:3px 0}
.sev{font-size:10.5px;font-weight:700;text-transform:uppercase;border-radius:4px;padding:1px 6px;margin-right:4px;color:#fff;background:#b7791f}.sev.info{background:#5a6b85}.fcode{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
.tag.fnd{background:#fff4e0;color:#8a5a00}.card.fcard b{color:#b7791f}
.notes{font-size:12px;color:#5a4a00;background:#fffbea;border-radius:6px;padding:4px 8px;margin:4px 8px}
footer{color:var(--mute);font-size:12px;text-align:center;margin-top:30px}
`;

const JS = `
(function(){var st='all',tag='',q='',fnd=false;function apply(){var n=0;document.querySelectorAll('details.case').forEach(function(d){var ok=(st==='all'||d.dataset.state===st)&&(!fnd||d.dataset.findings!=='0')&&(!tag||(' '+d.dataset.tags+' ').indexOf(' '+tag+' ')>=0)&&(!q||d.dataset.text.indexOf(q)>=0);d.hidden=!ok;if(ok)n++;});document.getElementById('shown').textContent=n+' shown';}
document.querySelectorAll('[data-st]').forEach(function(b){b.addEventListener('click',function(){st=b.dataset.st;document.querySelectorAll('[data-st]').forEach(function(x){x.classList.toggle('on',x===b)});apply();});});
document.getElementById('fnd').addEventListener('click',function(e){fnd=!fnd;e.target.classList.toggle('on',fnd);apply();});
document.getElementById('tag').addEventListener('change',function(e){tag=e.target.value;apply();});
document.getElementById('q').addEventListener('input',function(e){q=e.target.value.toLowerCase();apply();});
document.getElementById('expand').addEventListener('click',function(){document.querySelectorAll('details.case:not([hidden])').forEach(function(d){d.open=true})});
document.getElementById('collapse').addEventListener('click',function(){document.querySelectorAll('details.case').forEach(function(d){d.open=false})});apply();})();
`;

/** Splits one-line XML into indented lines (only used when the text has no line structure and no located issues). */
function prettyXml(xml: string): string {
  const tokens = xml.replace(/>\s*</g, '><').split(/(?=<)|(?<=>)/g).filter((t) => t.trim() !== '');
  let depth = 0;
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (/^<\//.test(t)) {
      depth = Math.max(0, depth - 1);
      out.push('  '.repeat(depth) + t);
    } else if (/^<[^?!][^>]*[^/]>$|^<[A-Za-z][^>]*>$/.test(t) && !/\/>$/.test(t)) {
      const text = tokens[i + 1];
      const close = tokens[i + 2];
      if (text !== undefined && !text.startsWith('<') && close?.startsWith('</')) {
        out.push('  '.repeat(depth) + t + text + close);
        i += 2;
      } else {
        out.push('  '.repeat(depth) + t);
        depth++;
      }
    } else out.push('  '.repeat(depth) + t);
  }
  return out.join('\n');
}

function highlight(line: string): string {
  return esc(line).replace(/(&lt;\/?)([\w:.-]+)((?:\s+[\w:.-]+=&quot;[^&]*&quot;)*)(\s*\/?&gt;)/g, (_m, open: string, name: string, attrs: string, close: string) => {
    const a = attrs.replace(/([\w:.-]+)=(&quot;[^&]*&quot;)/g, '<span class="xa">$1</span>=<span class="xv">$2</span>');
    return `<span class="xt">${open}${name}</span>${a}<span class="xt">${close}</span>`;
  });
}

function xmlBlock(text: string | undefined, issues: readonly Issue[]): string {
  if (!text) return '<pre class="xml"><span class="l"><span class="ln"></span>(no message)</span></pre>';
  const located = issues.some((i) => i.line > 0);
  const src = !located && text.split('\n').length < 3 && text.length > 160 ? prettyXml(text) : text;
  const byLine = new Map<number, Issue[]>();
  for (const i of issues) byLine.set(i.line, [...(byLine.get(i.line) ?? []), i]);
  const lines = src.replace(/\n$/, '').split('\n');
  const body = lines
    .map((l, idx) => {
      const n = idx + 1;
      const is = byLine.get(n);
      const row = `<span class="l${is ? ' issue' : ''}"><span class="ln">${n}</span>${highlight(l)}</span>`;
      return is ? row + is.map((i) => `<span class="im">▲ ${esc(i.path)}: ${esc(i.message)}</span>`).join('') : row;
    })
    .join('');
  const unlocated = issues.filter((i) => !i.line || i.line > lines.length);
  return `<pre class="xml">${body}${unlocated.map((i) => `<span class="im">▲ ${esc(i.path || '/')}: ${esc(i.message)}</span>`).join('')}</pre>`;
}

const partyLabel = (p: string) => (p === 'psp' ? 'PSP' : p === 'nodo' ? 'Nodo' : p.replace(/^station:/, ''));

function exchangeOutcome(e: Exchange): { text: string; cls: 'ok' | 'ko' | 'bad' } {
  const bad = e.requestIssues.length + e.responseIssues.length > 0 || e.failure !== undefined;
  if (e.failure) return { text: `${e.failure}${e.httpStatus ? ` (HTTP ${e.httpStatus})` : ''}`, cls: 'bad' };
  if (e.faultCode) return { text: `${e.outcome ?? ''} ${e.faultCode}`.trim(), cls: bad ? 'bad' : 'ko' };
  if (e.outcome) return { text: e.outcome, cls: bad ? 'bad' : e.outcome === 'OK' ? 'ok' : 'ko' };
  return { text: e.httpStatus ? `HTTP ${e.httpStatus}` : 'no answer', cls: bad || !e.httpStatus ? 'bad' : 'ok' };
}

/** Inline SVG sequence diagram: lanes PSP, Nodo, stations, others; request and answer arrows. */
export function sequenceSvg(exchanges: readonly Exchange[]): string {
  if (exchanges.length === 0) return '<p class="cap">No exchange.</p>';
  const parties = ['psp', 'nodo'];
  for (const e of exchanges) for (const p of [e.from, e.to]) if (!parties.includes(p)) parties.push(p);
  const laneW = 190;
  const top = 44;
  const rowH = 50;
  const width = parties.length * laneW;
  const height = top + exchanges.length * rowH + 16;
  const x = (p: string) => parties.indexOf(p) * laneW + laneW / 2;
  const color = { ok: '#1f9d55', ko: '#b7791f', bad: '#d64545' };
  const lanes = parties
    .map((p) => {
      const cx = x(p);
      return `<rect x="${cx - 80}" y="6" width="160" height="26" rx="6" fill="${p === 'nodo' ? '#0b5cad' : p === 'psp' ? '#33507a' : '#5a6b85'}"/><text x="${cx}" y="23" text-anchor="middle" fill="#fff" font-size="12" font-weight="600">${esc(partyLabel(p))}</text><line x1="${cx}" y1="32" x2="${cx}" y2="${height - 6}" stroke="#c9d0dc" stroke-dasharray="4 4"/>`;
    })
    .join('');
  const arrows = exchanges
    .map((e, i) => {
      const y = top + i * rowH + 12;
      const x1 = x(e.from);
      const x2 = x(e.to);
      const dir = x2 >= x1 ? 1 : -1;
      const o = exchangeOutcome(e);
      const reqBad = e.requestIssues.length > 0;
      const mid = (x1 + x2) / 2;
      return (
        `<g><title>${esc(`#${e.seq} ${e.operation} ${partyLabel(e.from)} → ${partyLabel(e.to)}${e.notes.length ? '\n' + e.notes.join('\n') : ''}`)}</title>` +
        `<line x1="${x1}" y1="${y}" x2="${x2 - dir * 6}" y2="${y}" stroke="${reqBad ? color.bad : '#33507a'}" stroke-width="1.6" marker-end="url(#ah)"/>` +
        `<text x="${mid}" y="${y - 5}" text-anchor="middle" font-size="11.5" fill="${reqBad ? color.bad : '#1d2433'}">${esc(e.operation)}${reqBad ? ' ⚠' : ''}</text>` +
        `<line x1="${x2}" y1="${y + 20}" x2="${x1 + dir * 6}" y2="${y + 20}" stroke="${color[o.cls]}" stroke-width="1.4" stroke-dasharray="5 3" marker-end="url(#ah-${o.cls})"/>` +
        `<text x="${mid}" y="${y + 16}" text-anchor="middle" font-size="11" fill="${color[o.cls]}">${esc(o.text)} · ${Math.round(e.durationMs)} ms</text></g>`
      );
    })
    .join('');
  const marker = (id: string, fill: string) => `<marker id="${id}" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${fill}"/></marker>`;
  return `<div class="seq"><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui,sans-serif"><defs>${marker('ah', '#33507a')}${marker('ah-ok', color.ok)}${marker('ah-ko', color.ko)}${marker('ah-bad', color.bad)}</defs>${lanes}${arrows}</svg></div>`;
}

function mismatchTable(c: Check): string {
  const m = c.mismatch;
  if (!m) return '';
  return `<table class="mm"><tr><td>at</td><td>${esc(m.path)}</td></tr><tr><td>expected</td><td class="exp">${esc(m.expected)}</td></tr><tr><td>actual</td><td class="act">${esc(m.actual)}</td></tr>${m.hint ? `<tr><td>fix</td><td>${esc(m.hint)}</td></tr>` : ''}</table>`;
}

function problems(c: CaseResult): string {
  if (c.state === 'passed') return '';
  if (c.state === 'errored' || c.state === 'skipped') return `<div class="problem ${c.state}"><b>${c.state === 'errored' ? 'Error' : 'Skipped'}:</b> ${esc(c.reason)}</div>`;
  return c.failures.map((f) => `<div class="problem"><b class="ko">✗ ${esc(f.name)}</b>${f.line ? ` <span class="cid">${esc(c.file)}:${f.line}</span>` : ''}${mismatchTable(f)}</div>`).join('');
}

/** The findings of a case: never failures, but what a station author or an EC should read. */
function findingsBlock(c: CaseResult): string {
  if (!c.findings.length) return '';
  const items = c.findings
    .map((f) => `<li><span class="sev ${f.severity}">${f.severity}</span><span class="fcode">${esc(f.code)}</span> <span class="cid">${esc(partyLabel(f.source.party))}${f.source.exchange !== undefined ? ` #${f.source.exchange}` : ''} · step ${f.step + 1}</span><br>${esc(f.message)}</li>`)
    .join('');
  return `<div class="findings"><b>Findings</b> <span class="dur">(${c.findings.length}; not failures: pagoPA does not make these a refusal)</span><ul>${items}</ul></div>`;
}

function stepsList(c: CaseResult): string {
  if (c.steps.length === 0) return '';
  const items = c.steps
    .map((s) => {
      const failed = s.checks.filter((k) => !k.passed);
      const shown = [...failed, ...s.checks.filter((k) => k.passed && !k.name.includes('schema-valid'))];
      const valid = s.checks.filter((k) => k.passed && k.name.includes('schema-valid')).length;
      const checks = shown.map((k) => `<li class="${k.passed ? 'ok' : 'ko'}">${k.passed ? '✓' : '✗'} ${esc(k.name)}</li>`).join('') + (valid ? `<li class="ok">✓ ${valid} message(s) schema-valid</li>` : '');
      return `<li><b>${esc(s.label)}</b> <span class="dur">${formatDuration(s.durationMs)} · line ${s.line}</span>${checks ? `<ul class="checks">${checks}</ul>` : ''}</li>`;
    })
    .join('');
  return `<h3>Steps</h3><ol class="steps">${items}</ol>`;
}

function messages(list: readonly Exchange[]): string {
  return list
    .map((e, i) => {
      const o = exchangeOutcome(e);
      const bad = o.cls === 'bad';
      const nn = String(i + 1).padStart(2, '0');
      return `<details class="msg${bad ? ' bad' : ''}"${bad ? ' open' : ''}><summary><b>${nn}</b> ${esc(e.operation)} — ${esc(partyLabel(e.from))} → ${esc(partyLabel(e.to))} · <span class="${o.cls === 'ok' ? 'ok' : 'ko'}">${esc(o.text)}</span></summary>${e.notes.length ? `<div class="notes">${e.notes.map(esc).join('<br>')}</div>` : ''}<div class="pair"><div><div class="cap">request${e.requestIssues.length ? ` · <span class="ko">${e.requestIssues.length} schema issue(s)</span>` : ''}</div>${xmlBlock(e.request, e.requestIssues)}</div><div><div class="cap">response${e.responseIssues.length ? ` · <span class="ko">${e.responseIssues.length} schema issue(s)</span>` : ''}</div>${xmlBlock(e.response, e.responseIssues)}</div></div></details>`;
    })
    .join('');
}

function caseHtml(c: CaseResult): string {
  const list = canonicalExchanges(c.exchanges);
  const text = `${c.id} ${c.title} ${c.tags.join(' ')} ${c.testCase ?? ''} ${c.findings.map((f) => f.code).join(' ')}`.toLowerCase();
  const open = c.state === 'failed' || c.state === 'errored' ? ' open' : '';
  return (
    `<details class="case ${c.state}" data-state="${c.state}" data-tags="${esc(c.tags.join(' '))}" data-text="${esc(text)}" data-findings="${c.findings.length}"${open}>` +
    `<summary><span class="badge ${c.state}">${c.state}</span><span class="title">${esc(c.title)}</span><span class="cid">${esc(c.id)}</span>${c.testCase ? `<span class="tag tc">${esc(c.testCase)}</span>` : ''}${c.tags.map((t) => `<span class="tag">${esc(t)}</span>`).join('')}${c.findings.length ? `<span class="tag fnd">${c.findings.length} finding${c.findings.length > 1 ? 's' : ''}</span>` : ''}<span class="dur">${formatDuration(c.durationMs)}</span></summary>` +
    `<div class="body">${c.description ? `<p>${esc(c.description)}</p>` : ''}<p class="cid">${esc(c.file)}:${c.line}</p>${problems(c)}${findingsBlock(c)}${stepsList(c)}` +
    (list.length ? `<h3>Sequence</h3>${sequenceSvg(list)}<h3>Messages</h3>${messages(list)}` : '') +
    `</div></details>`
  );
}

export function reportHtml(run: RunResult): string {
  const c = run.counts;
  const ran = c.passed + c.failed + c.errored + c.skipped || 1;
  const pct = (n: number) => ((n / ran) * 100).toFixed(2);
  const tags = [...new Set(run.cases.flatMap((k) => [...k.tags, ...(k.testCase ? [k.testCase] : [])]))].sort();
  const targets = Object.entries(run.targets);
  const meta = [
    `run ${esc(run.runId)}`,
    esc(run.startedAt),
    formatDuration(run.durationMs),
    targets.length ? `against ${targets.map(([k, v]) => `${esc(k)} = ${esc(v)}`).join(', ')}` : 'against the reference stations',
    run.interrupted ? '<b>interrupted</b>' : '',
    run.bailed ? '<b>stopped at the first failure (--bail)</b>' : '',
  ].filter(Boolean);
  const cards = (['passed', 'failed', 'errored', 'skipped'] as const).map((s) => `<div class="card ${s}"><b>${c[s]}</b><span>${s}</span></div>`).join('') + (c.notRun ? `<div class="card"><b>${c.notRun}</b><span>not run</span></div>` : '') + `<div class="card fcard"><b>${c.findings}</b><span>findings</span></div>`;
  const buttons = ['all', 'passed', 'failed', 'errored', 'skipped'].map((s) => `<button data-st="${s}" class="${s === 'all' ? 'on' : ''}">${s}</button>`).join('');
  const casesWithTc = run.cases.map((k) => ({ ...k, tags: k.testCase ? [...k.tags, k.testCase] : k.tags }) as CaseResult);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>station-harness conformance report</title><style>${CSS}</style></head>
<body><header><h1>pagoPA station conformance report</h1><div class="meta">${meta.join(' · ')}</div></header>
<main><div class="cards">${cards}</div>
<div class="bar"><i class="passed" style="width:${pct(c.passed)}%"></i><i class="failed" style="width:${pct(c.failed)}%"></i><i class="errored" style="width:${pct(c.errored)}%"></i><i class="skipped" style="width:${pct(c.skipped)}%"></i></div>
<div class="filters">${buttons}<select id="tag"><option value="">all tags</option>${tags.map((t) => `<option>${esc(t)}</option>`).join('')}</select><button id="fnd" title="only scenarios with findings">with findings</button><input id="q" placeholder="search id, title, tag, finding…"><span id="shown" class="dur"></span><button id="expand">expand all</button><button id="collapse">collapse all</button></div>
${casesWithTc.map(caseHtml).join('\n')}
${run.notRun.length ? `<p class="cap">Not run: ${run.notRun.map(esc).join(', ')}</p>` : ''}
<footer>${esc(run.tool.name)} ${esc(run.tool.version)} · every message validated against the official pagoPA XSDs · report schema v${run.schemaVersion}</footer></main>
<script>${JS}</script></body></html>
`;
}
