/**
 * The sequence view of a case (inline SVG): lanes PSP, Nodo, stations, other parties; each call
 * drawn in causal order — its request, the calls it caused nested inside it (with an activation
 * bar on the callee's lane), then its reply. Arrowheads are drawn paths, so the page has no SVG
 * marker ids to collide. Each arrow links to its message (`#m-<case>-NN`).
 */
import { esc } from './xmlText.ts';
import { exchangeOutcome, messageId, partyLabel } from './htmlMessages.ts';
import type { SeqNode } from './sequence.ts';

type Row = { kind: 'request' | 'reply'; node: SeqNode; depth: number };

function rows(nodes: readonly SeqNode[], depth = 0): Row[] {
  return nodes.flatMap((node) => [{ kind: 'request' as const, node, depth }, ...rows(node.children, depth + 1), { kind: 'reply' as const, node, depth }]);
}

const COLOR = { call: '#33507a', ok: '#1f9d55', ko: '#b7791f', bad: '#d64545' };

function head(x: number, y: number, dir: number, fill: string): string {
  return `<path d="M${x},${y} l${-dir * 8},-4.5 l0,9 z" fill="${fill}"/>`;
}

export function sequenceSvg(tree: readonly SeqNode[], key: string): string {
  if (tree.length === 0) return '<p class="cap">No exchange.</p>';
  const parties = ['psp', 'nodo'];
  const all = rows(tree);
  for (const r of all) for (const p of [r.node.exchange.from, r.node.exchange.to]) if (!parties.includes(p)) parties.push(p);
  const laneW = 180;
  const top = 46;
  const rowH = 30;
  const width = parties.length * laneW;
  const height = top + all.length * rowH + 14;
  const x = (p: string) => parties.indexOf(p) * laneW + laneW / 2;
  const yOf = (i: number) => top + i * rowH + 14;
  const lanes = parties
    .map((p) => {
      const cx = x(p);
      const fill = p === 'nodo' ? '#0b5cad' : p === 'psp' ? '#33507a' : '#5a6b85';
      return `<rect x="${cx - 78}" y="6" width="156" height="26" rx="6" fill="${fill}"/><text x="${cx}" y="23" text-anchor="middle" fill="#fff" font-size="12" font-weight="600">${esc(partyLabel(p))}</text><line x1="${cx}" y1="32" x2="${cx}" y2="${height - 4}" stroke="#c9d0dc" stroke-dasharray="4 4"/>`;
    })
    .join('');
  // Activation bars: the callee is busy from the request to its reply.
  const bars = all
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.kind === 'request')
    .map(({ r, i }) => {
      const j = all.findIndex((s) => s.kind === 'reply' && s.node === r.node);
      const cx = x(r.node.exchange.to);
      return `<rect x="${cx - 4}" y="${yOf(i)}" width="8" height="${yOf(j) - yOf(i)}" fill="#e8eef8" stroke="#b9c6dc"/>`;
    })
    .join('');
  const arrows = all
    .map((r, i) => {
      const e = r.node.exchange;
      const y = yOf(i);
      const [a, b] = r.kind === 'request' ? [x(e.from), x(e.to)] : [x(e.to), x(e.from)];
      const dir = b >= a ? 1 : -1;
      const x1 = a + dir * 4;
      const x2 = b - dir * 4;
      const mid = (a + b) / 2;
      const nn = String(r.node.n).padStart(2, '0');
      let stroke: string;
      let label: string;
      let dash = '';
      if (r.kind === 'request') {
        const reqBad = e.requestIssues.length > 0;
        stroke = reqBad ? COLOR.bad : COLOR.call;
        label = `${nn} ${e.operation}${reqBad ? ' ⚠' : ''}`;
      } else {
        const o = exchangeOutcome(e);
        stroke = COLOR[o.cls];
        label = `${o.text} · ${Math.round(e.durationMs)} ms`;
        dash = ' stroke-dasharray="5 3"';
      }
      const title = `${nn} ${e.operation} ${r.kind === 'request' ? `${partyLabel(e.from)} → ${partyLabel(e.to)}` : `${partyLabel(e.to)} → ${partyLabel(e.from)} (reply)`}${e.notes.length ? `\n${e.notes.join('\n')}` : ''}`;
      return (
        `<a href="#${messageId(key, r.node.n)}"><g class="arrow" data-kind="${r.kind}" data-op="${esc(e.operation)}" data-n="${nn}" data-depth="${r.depth}"><title>${esc(title)}</title>` +
        `<line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" stroke="${stroke}" stroke-width="1.6"${dash}/>${head(x2, y, dir, stroke)}` +
        `<text x="${mid}" y="${y - 5}" text-anchor="middle" font-size="11.5" fill="${r.kind === 'request' ? '#1d2433' : stroke}">${esc(label)}</text></g></a>`
      );
    })
    .join('');
  return `<div class="seq"><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui,sans-serif">${lanes}${bars}${arrows}</svg></div>`;
}
