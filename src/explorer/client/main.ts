/**
 * The explorer page: operations by interface on the left, the request editor and the answer in
 * the middle (Send, or validate only), and on the right the live log, the sequence of a payment
 * and the world's controls. Header buttons: reset, clock advance.
 */
import { getJson, postSoap, sendJson, validate, type Issue } from './api.ts';
import { byId, clear, h } from './dom.ts';
import { XmlEditor } from './editor.ts';
import { JournalModel } from './journal.ts';
import { mountLog } from './log.ts';
import { mountSequence } from './sequence.ts';
import { mountWorld, type WorldState } from './world.ts';

interface Operation {
  name: string;
  request: string;
  response: string;
  example: string;
}
interface InterfaceInfo {
  iface: string;
  title: string;
  who: string;
  wsdl?: string;
  targets: Array<{ label: string; path: string }>;
  operations: Operation[];
}
interface Catalogue {
  interfaces: InterfaceInfo[];
}

let catalogue: Catalogue = { interfaces: [] };
let current: { iface: InterfaceInfo; op: Operation } | undefined;
let highlighted: string | undefined;
let offsetMs = 0;
const edited = new Map<string, string>();

const journal = new JournalModel();

function report(text: string, bad = false): void {
  const n = byId('notice');
  n.hidden = false;
  n.textContent = text;
  n.className = `notice${bad ? ' bad' : ''}`;
}

const summary = (issues: Issue[], what: string, element?: string) =>
  issues.length ? `${what}: ${issues.length} schema issue(s)` : `${what}: valid${element ? ` ${element}` : ''}`;

// ---------------------------------------------------------------- workbench

const requestEditor = new XmlEditor({ id: 'request', label: 'request XML', onInput: () => current && edited.set(current.op.name, requestEditor.value) });
const answerEditor = new XmlEditor({ id: 'answer', label: 'answer XML', readOnly: true });
const title = h('h2', { id: 'op-title' });
const who = h('p', { class: 'hint', id: 'op-who' });
const target = h('select', { id: 'target', 'aria-label': 'send to' });
const modeSend = h('input', { type: 'radio', name: 'mode', id: 'mode-send', value: 'send', checked: true, onchange: () => syncMode() });
const modeValidate = h('input', { type: 'radio', name: 'mode', id: 'mode-validate', value: 'validate', onchange: () => syncMode() });
const go = h('button', { type: 'button', id: 'send', class: 'primary', onclick: () => void run() }, 'Send');
const status = h('div', { class: 'answer-status', id: 'answer-status' });

function syncMode(): void {
  const sendable = Boolean(current?.iface.targets.length);
  modeSend.disabled = !sendable;
  if (!sendable) modeValidate.checked = true;
  const validating = modeValidate.checked;
  go.textContent = validating ? 'Validate' : 'Send';
  target.disabled = validating;
}

function mountWorkbench(): void {
  byId('workbench').append(
    title,
    who,
    h('div', { class: 'toolbar' }, h('label', {}, modeSend, ' Send to '), target, h('label', {}, modeValidate, ' Validate only (paste any pagoPA message)')),
    requestEditor.root,
    h(
      'div',
      { class: 'toolbar' },
      go,
      h(
        'button',
        {
          type: 'button',
          id: 'example',
          onclick: () => {
            if (!current) return;
            edited.delete(current.op.name);
            select(current.iface, current.op);
          },
        },
        'Fresh example',
      ),
    ),
    h('h3', {}, 'Answer'),
    status,
    answerEditor.root,
  );
}

function select(iface: InterfaceInfo, op: Operation): void {
  current = { iface, op };
  for (const b of Array.from(document.querySelectorAll<HTMLElement>('.op'))) b.classList.toggle('active', b.dataset['op'] === op.name);
  title.textContent = op.name;
  who.textContent = `${iface.title}: ${iface.who}. Request ${op.request}, answer ${op.response}.`;
  const previous = target.value;
  clear(target);
  for (const t of iface.targets) target.append(h('option', { value: t.path, selected: t.path === previous }, `${t.label} (${t.path})`));
  requestEditor.value = edited.get(op.name) ?? op.example;
  answerEditor.value = '';
  status.textContent = '';
  syncMode();
}

async function run(): Promise<void> {
  if (!current) return;
  const xml = requestEditor.value;
  go.disabled = true;
  try {
    const v = await validate(xml);
    requestEditor.setIssues(v.issues, v.problem ?? summary(v.issues, 'request', v.element));
    if (modeValidate.checked) return;
    status.textContent = `sending ${current.op.name} to ${target.value} …`;
    const a = await postSoap(target.value, current.op.name, xml);
    answerEditor.value = a.text;
    const av = a.text.trim() ? await validate(a.text) : { valid: false, issues: [], problem: 'empty answer' };
    answerEditor.setIssues(
      av.issues,
      av.problem ?? (av.fault ? `SOAP Fault ${av.fault.faultcode}: ${av.fault.faultstring}` : summary(av.issues, 'answer', av.element)),
    );
    const outcome = /<outcome>(\w+)<\/outcome>/.exec(a.text)?.[1];
    const fault = /<faultCode>([^<]+)<\/faultCode>/.exec(a.text)?.[1];
    status.textContent = `HTTP ${a.status} in ${a.ms} ms${outcome ? `, outcome ${outcome}` : ''}${fault ? ` ${fault}` : ''}${a.correlationId ? `, exchange #${a.correlationId} in the log` : ''}`;
    status.dataset['outcome'] = outcome ?? '';
    highlighted = a.correlationId;
    await journal.poll();
    await refreshAfterExchange();
  } catch (e) {
    status.textContent = `Failed to send: ${(e as Error).message}. Is serve still running?`;
  } finally {
    go.disabled = false;
  }
}

// ---------------------------------------------------------------- operations

async function loadCatalogue(): Promise<void> {
  catalogue = await getJson<Catalogue>('/_control/explorer/catalogue');
  const nav = byId('operations');
  clear(nav);
  for (const iface of catalogue.interfaces) {
    nav.append(
      h(
        'section',
        { class: 'iface', 'data-iface': iface.iface },
        h('h2', {}, iface.title, iface.wsdl ? h('a', { href: iface.wsdl, class: 'wsdl', target: '_blank' }, 'WSDL') : null),
        h('p', { class: 'hint' }, iface.who),
        h(
          'ul',
          {},
          ...iface.operations.map((op) =>
            h('li', {}, h('button', { type: 'button', class: 'op', id: `op-${op.name}`, 'data-op': op.name, onclick: () => select(iface, op) }, op.name)),
          ),
        ),
      ),
    );
  }
}

/** Examples follow the world (a live paymentToken for the outcome): reload them, keep what was edited. */
async function refreshAfterExchange(): Promise<void> {
  await loadCatalogue();
  if (current) {
    const iface = catalogue.interfaces.find((i) => i.iface === current!.iface.iface)!;
    const op = iface.operations.find((o) => o.name === current!.op.name)!;
    current = { iface, op };
    for (const b of Array.from(document.querySelectorAll<HTMLElement>('.op'))) b.classList.toggle('active', b.dataset['op'] === op.name);
  }
  const s = await worldPanel.refresh();
  if (s) offsetMs = s.offsetMs;
}

// ---------------------------------------------------------------- header actions and clock

function tickClock(): void {
  const now = new Date(Date.now() + offsetMs).toISOString();
  byId('clock').textContent = `clock ${now.slice(0, 19).replace('T', ' ')}Z${offsetMs ? ` (+${Math.round(offsetMs / 60000)} min)` : ''}`;
}

function mountActions(): void {
  const act = (label: string, id: string, fn: () => Promise<string>) =>
    h(
      'button',
      {
        type: 'button',
        id,
        onclick: async () => {
          try {
            report(await fn());
            await journal.poll();
            await refreshAfterExchange();
          } catch (e) {
            report((e as Error).message, true);
          }
        },
      },
      label,
    );
  const advance = (by: string) => async () => {
    const r = await sendJson<{ now: string }>('POST', '/_control/nodo/clock/advance', { by });
    return `clock advanced by ${by}: now ${r.now}. Due receipt retries run within a second; expired tokens are refused.`;
  };
  const custom = h('input', { id: 'advance-by', 'aria-label': 'advance by', placeholder: '2h', size: 4 });
  byId('actions').append(
    act('Reset sessions', 'reset-sessions', async () => {
      await sendJson('POST', '/_control/nodo/reset');
      return 'Nodo sessions, idempotency keys and receipts dropped.';
    }),
    act('Reset world', 'reset-world', async () => {
      await sendJson('POST', '/_control/explorer/reset');
      journal.forget();
      edited.clear();
      return 'World reset: registry, positions, GPD and SEND as at start; no ACA positions, stand-in, sessions, receipts, faults or journal.';
    }),
    h('span', { class: 'sep' }, 'advance clock'),
    act('+1 min', 'advance-1m', advance('1m')),
    act('+30 min', 'advance-30m', advance('30m')),
    act('+1 h', 'advance-1h', advance('1h')),
    custom,
    act('Go', 'advance-go', () => advance(custom.value || '1h')()),
  );
}

// ---------------------------------------------------------------- side tabs

let worldPanel: { refresh: () => Promise<WorldState | undefined> };

function mountSide(): void {
  const side = byId('side');
  const panes: Record<string, HTMLElement> = {
    log: h('div', { class: 'pane', id: 'pane-log' }),
    sequence: h('div', { class: 'pane', id: 'pane-sequence' }),
    world: h('div', { class: 'pane', id: 'pane-world' }),
  };
  const names: Record<string, string> = { log: 'Message log', sequence: 'Sequence', world: 'World & faults' };
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const show = (k: string) => {
    for (const [name, pane] of Object.entries(panes)) pane.hidden = name !== k;
    for (const b of Array.from(tabs.querySelectorAll('button'))) b.setAttribute('aria-selected', String(b.dataset['tab'] === k));
    if (k === 'world') void worldPanel.refresh();
  };
  for (const k of Object.keys(panes))
    tabs.append(h('button', { type: 'button', role: 'tab', id: `tab-${k}`, 'data-tab': k, onclick: () => show(k) }, names[k]!));
  side.append(tabs, ...Object.values(panes));
  const log = mountLog(panes['log']!, journal, { highlight: () => highlighted });
  mountSequence(panes['sequence']!, journal);
  worldPanel = mountWorld(panes['world']!, { report, changed: () => void journal.poll() });
  void log;
  show('log');
}

async function main(): Promise<void> {
  mountActions();
  mountWorkbench();
  mountSide();
  try {
    await loadCatalogue();
    const first = catalogue.interfaces[0];
    if (first?.operations[0]) select(first, first.operations[0]);
    const s = await worldPanel.refresh();
    if (s) offsetMs = s.offsetMs;
  } catch (e) {
    report(`Failed to load the explorer: ${(e as Error).message}. Is serve still running?`, true);
  }
  tickClock();
  window.setInterval(tickClock, 1000);
  journal.start(1000);
  document.body.dataset['ready'] = 'true';
}

void main();
