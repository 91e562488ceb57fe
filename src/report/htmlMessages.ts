/**
 * The messages of a case in report.html: each call once, numbered in request order (the NN of
 * the evidence files and of the sequence view), request and answer side by side, pretty-printed
 * and highlighted, schema issues marked on their line.
 */
import type { Exchange } from '../soap/index.ts';
import type { Issue } from '../xml/index.ts';
import { esc } from './xmlText.ts';

/** Splits one-line XML into indented lines (only used when the text has no line structure and no located issues). */
function prettyXml(xml: string): string {
  const tokens = xml
    .replace(/>\s*</g, '><')
    .split(/(?=<)|(?<=>)/g)
    .filter((t) => t.trim() !== '');
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
  return esc(line).replace(
    /(&lt;\/?)([\w:.-]+)((?:\s+[\w:.-]+=&quot;[^&]*&quot;)*)(\s*\/?&gt;)/g,
    (_m, open: string, name: string, attrs: string, close: string) => {
      const a = attrs.replace(/([\w:.-]+)=(&quot;[^&]*&quot;)/g, '<span class="xa">$1</span>=<span class="xv">$2</span>');
      return `<span class="xt">${open}${name}</span>${a}<span class="xt">${close}</span>`;
    },
  );
}

export function xmlBlock(text: string | undefined, issues: readonly Issue[]): string {
  if (!text) return '<pre class="xml"><span class="l"><span class="ln"></span>(no message)</span></pre>';
  const located = issues.some((i) => i.line > 0);
  const src = !located && text.split('\n').length < 3 && text.length > 160 && text.trimStart().startsWith('<') ? prettyXml(text) : text;
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

export const partyLabel = (p: string) => (p === 'psp' ? 'PSP' : p === 'nodo' ? 'Nodo' : p.replace(/^station:/, ''));

export function exchangeOutcome(e: Exchange): { text: string; cls: 'ok' | 'ko' | 'bad' } {
  const bad = e.requestIssues.length + e.responseIssues.length > 0 || e.failure !== undefined;
  if (e.failure) return { text: `${e.failure}${e.httpStatus ? ` (HTTP ${e.httpStatus})` : ''}`, cls: 'bad' };
  if (e.faultCode) return { text: `${e.outcome ?? ''} ${e.faultCode}`.trim(), cls: bad ? 'bad' : 'ko' };
  if (e.outcome) return { text: e.outcome, cls: bad ? 'bad' : e.outcome === 'OK' ? 'ok' : 'ko' };
  return { text: e.httpStatus ? `HTTP ${e.httpStatus}` : 'no answer', cls: bad || !e.httpStatus ? 'bad' : 'ok' };
}

/** Id of message `n` of the case with key `key` (unique in the page). */
export const messageId = (key: string, n: number) => `m-${key}-${String(n).padStart(2, '0')}`;

export function messageHtml(key: string, n: number, e: Exchange): string {
  const o = exchangeOutcome(e);
  const bad = o.cls === 'bad';
  const nn = String(n).padStart(2, '0');
  const side = (label: string, text: string | undefined, issues: readonly Issue[]) =>
    `<div><div class="cap">${label}${issues.length ? ` · <span class="ko">${issues.length} schema issue(s)</span>` : ''}</div>${xmlBlock(text, issues)}</div>`;
  return (
    `<details class="msg${bad ? ' bad' : ''}" id="${messageId(key, n)}"${bad ? ' open' : ''}><summary><b>${nn}</b> ${esc(e.operation)} — ${esc(partyLabel(e.from))} → ${esc(partyLabel(e.to))} · <span class="${o.cls === 'ok' ? 'ok' : 'ko'}">${esc(o.text)}</span></summary>` +
    `${e.notes.length ? `<div class="notes">${e.notes.map(esc).join('<br>')}</div>` : ''}<div class="pair">${side('request', e.request, e.requestIssues)}${side('response', e.response, e.responseIssues)}</div></details>`
  );
}
