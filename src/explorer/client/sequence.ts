/**
 * The sequence view of one payment: every chain that touched a notice (verify, activate,
 * outcome), drawn as messages between lifelines (PSP, Nodo, stations, GPD, SEND) in causal
 * order: verify → paVerifyPaymentNotice, activate → paGetPayment[V2], outcome → one receipt
 * per recipient (and its retries). Each exchange is drawn once, from the caller's record.
 */
import type { Exchange } from './api.ts';
import { clear, h, svg } from './dom.ts';
import { isBad, isReceipt, resultOf, type JournalModel } from './journal.ts';

const COL = 160;
const ROW = 46;
const TOP = 46;
const LATEST = '(latest payment)';

const LABELS: Record<string, string> = { psp: 'PSP', nodo: 'Nodo', gpd: 'GPD', send: 'SEND', ec: 'EC' };
const label = (p: string) => LABELS[p] ?? p.replace(/^station:/, 'station ');

/** Notice numbers with at least one PSP request, in the order they were first seen. */
export function notices(model: JournalModel): string[] {
  const seen: string[] = [];
  for (const c of model.chains()) {
    const n = c.origin?.from === 'psp' ? c.records.map((e) => e.meta['noticeNumber']).find((x) => typeof x === 'string') : undefined;
    if (typeof n === 'string' && !seen.includes(n)) seen.push(n);
  }
  return seen;
}

/** The exchanges of a payment, once each, in causal order. */
export function paymentMessages(model: JournalModel, noticeNumber: string): Exchange[] {
  const out: Exchange[] = [];
  for (const c of model.chains()) {
    if (!c.records.some((e) => e.meta['noticeNumber'] === noticeNumber)) continue;
    out.push(...c.records.filter((e) => e.direction === 'outbound' || e.from === 'psp' || e.from === 'ec'));
  }
  return out;
}

export function mountSequence(el: HTMLElement, model: JournalModel): { render: () => void } {
  let chosen = LATEST;
  const select = h('select', {
    id: 'sequence-notice',
    'aria-label': 'Payment (notice number)',
    onchange: () => {
      chosen = select.value;
      render();
    },
  });
  const caption = h('div', { class: 'seq-caption' });
  const holder = h('div', { class: 'seq-holder' });
  el.append(h('label', { class: 'seq-pick' }, 'Payment of notice ', select), caption, holder);

  function render(): void {
    const all = notices(model);
    clear(select);
    for (const v of [LATEST, ...all.slice().reverse()]) select.append(h('option', { value: v, selected: v === chosen }, v));
    const notice = chosen === LATEST ? all[all.length - 1] : chosen;
    clear(holder);
    if (!notice) {
      caption.textContent = 'No payment yet: send a verifyPaymentNotice, an activatePaymentNotice and a sendPaymentOutcome.';
      return;
    }
    const msgs = paymentMessages(model, notice);
    const receipts = msgs.filter(isReceipt);
    caption.textContent = `notice ${notice}: ${msgs.length} message(s), ${receipts.length} receipt delivery attempt(s) to ${new Set(receipts.map((r) => r.to)).size} recipient(s)`;
    const parties: string[] = ['psp', 'nodo'];
    for (const m of msgs) for (const p of [m.from, m.to]) if (!parties.includes(p)) parties.push(p);
    const x = (p: string) => 20 + parties.indexOf(p) * COL + COL / 2;
    const height = TOP + msgs.length * ROW + 20;
    const root = svg('svg', {
      class: 'sequence',
      id: 'sequence',
      width: parties.length * COL + 40,
      height,
      role: 'img',
      'aria-label': `sequence of notice ${notice}`,
    });
    root.append(
      svg(
        'defs',
        {},
        svg(
          'marker',
          { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
          svg('path', { d: 'M0,0 L10,5 L0,10 z' }),
        ),
      ),
    );
    for (const p of parties) {
      root.append(svg('line', { class: 'lifeline', x1: x(p), y1: 30, x2: x(p), y2: height - 6 }));
      root.append(svg('rect', { class: 'actor', x: x(p) - COL / 2 + 12, y: 4, width: COL - 24, height: 24, rx: 4 }));
      root.append(svg('text', { class: 'actor-name', x: x(p), y: 21, 'text-anchor': 'middle' }, label(p)));
    }
    msgs.forEach((m, i) => {
      const y = TOP + i * ROW + 12;
      const x1 = x(m.from);
      const x2 = x(m.to);
      const name = `${m.operation}${isReceipt(m) && m.meta['attempt'] ? ` #${m.meta['attempt']}` : ''}`;
      const g = svg('g', {
        class: `msg${isBad(m) ? ' bad' : ''}${isReceipt(m) ? ' receipt' : ''}`,
        'data-op': m.operation,
        'data-from': m.from,
        'data-to': m.to,
        'data-result': resultOf(m),
      });
      g.append(svg('title', {}, `${m.at} ${m.from} → ${m.to} ${m.operation}: ${resultOf(m)}${m.notes.length ? `\n${m.notes.join('\n')}` : ''}`));
      g.append(svg('line', { class: 'call', x1, y1: y, x2, y2: y, 'marker-end': 'url(#arrow)' }));
      g.append(svg('text', { class: 'call-label', x: (x1 + x2) / 2, y: y - 4, 'text-anchor': 'middle' }, name));
      g.append(svg('line', { class: 'reply', x1: x2, y1: y + 18, x2: x1, y2: y + 18, 'marker-end': 'url(#arrow)' }));
      g.append(svg('text', { class: 'reply-label', x: (x1 + x2) / 2, y: y + 14, 'text-anchor': 'middle' }, resultOf(m)));
      root.append(g);
    });
    holder.append(root);
  }
  model.onChange(render);
  render();
  return { render };
}
