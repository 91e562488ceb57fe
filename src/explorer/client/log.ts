/**
 * The live message log: one block per PSP request (or any request that started a chain), the
 * station calls, receipt deliveries (with their attempts) and SEND/GPD calls it caused under it.
 * Each line opens the raw request and answer.
 */
import type { Exchange } from './api.ts';
import { clear, clockTime, h } from './dom.ts';
import { isBad, isReceipt, resultOf, type Chain, type JournalModel } from './journal.ts';

const MAX_CHAINS = 150;

function describe(e: Exchange): string {
  if (isReceipt(e)) return `receipt ${e.operation} → ${e.to}${e.meta['attempt'] ? ` (attempt ${e.meta['attempt']})` : ''}`;
  if (e.direction === 'inbound' && !e.origin) return `${e.party} served ${e.operation}`;
  return `${e.from} → ${e.to} ${e.operation}`;
}

function details(e: Exchange): HTMLElement {
  const issues = [
    ...e.requestIssues.map((i) => `request ${i.line}:${i.col} ${i.path} ${i.message}`),
    ...e.responseIssues.map((i) => `answer ${i.line}:${i.col} ${i.path} ${i.message}`),
  ];
  return h(
    'div',
    { class: 'details' },
    e.notes.length ? h('ul', { class: 'notes' }, ...e.notes.map((n) => h('li', {}, n))) : null,
    issues.length ? h('ul', { class: 'notes bad' }, ...issues.map((n) => h('li', {}, n))) : null,
    h('div', { class: 'raw-title' }, `request ${e.url ?? ''}`),
    h('pre', { class: 'raw' }, e.request || '(none)'),
    h('div', { class: 'raw-title' }, `answer${e.httpStatus ? ` HTTP ${e.httpStatus}` : ''}`),
    h('pre', { class: 'raw' }, e.response || '(none)'),
  );
}

function line(e: Exchange, open: Set<number>, rerender: () => void): HTMLElement {
  const item = h(
    'li',
    {
      class: `rec${e.origin ? ' origin' : ''}${isReceipt(e) ? ' receipt' : ''}${isBad(e) ? ' bad' : ''}${e.direction === 'inbound' && !e.origin ? ' served' : ''}`,
      'data-seq': e.seq,
      'data-op': e.operation,
      'data-from': e.from,
      'data-to': e.to,
      'data-party': e.party,
      'data-result': resultOf(e),
    },
    h(
      'button',
      {
        class: 'rec-line',
        type: 'button',
        'aria-expanded': open.has(e.seq) ? 'true' : 'false',
        onclick: () => {
          if (open.has(e.seq)) open.delete(e.seq);
          else open.add(e.seq);
          rerender();
        },
      },
      h('span', { class: 'time' }, clockTime(e.at)),
      ' ',
      h('span', { class: 'what' }, describe(e)),
      ' ',
      h('span', { class: 'result' }, resultOf(e)),
      ' ',
      h('span', { class: 'ms' }, `${Math.round(e.durationMs)} ms`),
    ),
    open.has(e.seq) ? details(e) : null,
  );
  return item;
}

export function mountLog(el: HTMLElement, model: JournalModel, opts: { highlight: () => string | undefined }): { render: () => void } {
  const open = new Set<number>();
  const status = h('div', { class: 'log-status' });
  const list = h('ol', { class: 'log', id: 'log', reversed: true });
  el.append(status, list);

  function chainBlock(c: Chain): HTMLElement {
    const [first, ...rest] = c.records;
    return h(
      'li',
      { class: `chain${opts.highlight() === c.id ? ' highlight' : ''}`, 'data-chain': c.id },
      h('div', { class: 'chain-id' }, `#${c.id}`),
      h('ul', { class: 'chain-head' }, line(first!, open, render)),
      rest.length ? h('ul', { class: 'caused' }, ...rest.map((e) => line(e, open, render))) : null,
    );
  }

  function render(): void {
    const chains = model.chains().slice(-MAX_CHAINS).reverse();
    status.textContent = model.error ?? `${model.all().length} exchange(s) in ${chains.length} chain(s); newest first. Click a line for its XML.`;
    status.classList.toggle('bad', Boolean(model.error));
    clear(list);
    for (const c of chains) list.append(chainBlock(c));
  }
  model.onChange(render);
  render();
  return { render };
}
