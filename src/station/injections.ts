/**
 * Fault injection: how the harness makes a station misbehave on purpose. An injection
 * matches by station / operation / notice, applies `times` times (or always), may delay,
 * and either replaces the answer (close, reset, no answer until the caller gives up, HTTP 500,
 * malformed XML, a SOAP Fault, a PAA fault, KO without fault) or alters the correct answer
 * (a mutation: remove, set, empty, duplicate, move; OK with a fault bean; another response
 * element; amount different from verify; wrong IBAN).
 */
import type { ServerResponse } from 'node:http';
import type { BuildObject, BuildValue } from '../xml/index.ts';
import { buildXml } from '../xml/index.ts';
import { wrap } from '../soap/index.ts';
import { soapFaultEnvelope } from '../soap/index.ts';
import type { HandlerResult } from '../soap/index.ts';
import { OPERATIONS, type OperationDef } from '../soap/index.ts';
import { koBody, responseBody } from './faults.ts';
import { formatCents, type Injection, type MutationOp, type Placement } from './model.ts';
import type { Answer } from './context.ts';

/** The first live injection for this call; its `times` is consumed. */
export function takeInjection(list: Injection[], station: string, operation: string, noticeNumber: string | undefined): Injection | undefined {
  const inj = list.find(
    (i) =>
      (i.times === undefined || i.times > 0) &&
      (!i.station || i.station === station) &&
      (!i.operation || i.operation === operation) &&
      (!i.noticeNumber || i.noticeNumber === noticeNumber),
  );
  if (inj && inj.times !== undefined) inj.times -= 1;
  return inj;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves once the caller is gone: it closed the connection (its timeout) or the server closed it. */
export function callerGone(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    if (res.destroyed || res.writableFinished || res.socket === null || res.socket.destroyed) return resolve();
    res.once('close', () => resolve());
  });
}

const HTML_500 =
  '<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>injected by station-harness</p></body></html>\n';

/** Injections that replace the handler entirely; undefined when the handler must run. */
export function replaceAnswer(inj: Injection, op: OperationDef, id: string, note: string): HandlerResult | undefined {
  const a = inj.action;
  const notes = [note];
  switch (a.kind) {
    case 'close':
    case 'reset':
      return { kind: 'drop', mode: a.kind, notes };
    case 'http500':
      return { kind: 'raw', status: 500, contentType: 'text/html; charset=utf-8', body: HTML_500, notes };
    case 'malformed': {
      const full = wrap(buildXml(responseBody(op, { outcome: 'OK' })));
      return { kind: 'raw', status: 200, body: full.slice(0, Math.floor(full.length * 0.6)), notes };
    }
    case 'fault':
      return {
        kind: 'response',
        body: koBody(op, { faultCode: a.faultCode, faultString: a.faultString, description: a.description ?? `injected ${a.faultCode}` }, id),
        notes,
      };
    case 'koWithoutFault':
      return { kind: 'response', body: responseBody(op, { outcome: 'KO' }), notes };
    case 'soapFault':
      return { kind: 'raw', status: 500, body: soapFaultEnvelope(a.code, a.faultString), notes };
    default:
      return undefined;
  }
}

type Container = BuildObject | BuildValue[];
interface Slot {
  parent: Container;
  key: string;
  /** Element name of the slot: the key, or the list's name for an item of a list. */
  name: string;
}

const isIndex = (s: string) => /^\d+$/.test(s);
const getIn = (c: Container, k: string): BuildValue => (Array.isArray(c) ? c[Number(k)] : c[k]);

/**
 * The parent container and key of a dotted path below `root`. A list met before a
 * non-numeric segment means its first item. With `create`, missing parents become
 * empty elements (appended to theirs).
 */
function resolve(root: BuildObject, path: string, create: boolean): Slot | string {
  const segs = path.split('.').filter(Boolean);
  if (!segs.length) return 'empty path';
  let parent: Container = root;
  let name = '';
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i]!;
    if (Array.isArray(parent) && !isIndex(seg)) return `path ${path}: '${name}' is a list, give an index before '${seg}'`;
    let next = getIn(parent, seg);
    if (next === undefined && create) {
      next = {};
      if (Array.isArray(parent)) parent[Number(seg)] = next;
      else parent[seg] = next;
    }
    if (Array.isArray(next) && !isIndex(segs[i + 1]!)) next = next[0];
    if (next === undefined || next === null || typeof next !== 'object') return `path ${path} not found at '${seg}'`;
    if (!isIndex(seg)) name = seg;
    parent = next as Container;
  }
  const key = segs[segs.length - 1]!;
  if (Array.isArray(parent) && !isIndex(key)) return `path ${path}: '${name}' is a list, give an index before '${key}'`;
  return { parent, key, name: Array.isArray(parent) ? name : key };
}

/** Rebuilds `obj` in place with `key` right after/before `anchor`. */
function placeKey(obj: BuildObject, key: string, value: BuildValue, anchor: string, before: boolean): void {
  const entries = Object.entries(obj).filter(([k]) => k !== key);
  const at = entries.findIndex(([k]) => k === anchor) + (before ? 0 : 1);
  entries.splice(at, 0, [key, value]);
  for (const k of Object.keys(obj)) delete obj[k];
  for (const [k, v] of entries) obj[k] = v;
}

/** Where the element at `where` is, resolved before anything is detached (list indexes shift). */
function anchorOf(root: BuildObject, where: Placement): { slot: Slot; value: BuildValue; before: boolean; path: string } | string {
  const before = 'before' in where;
  const path = 'before' in where ? where.before : where.after;
  const slot = resolve(root, path, false);
  if (typeof slot === 'string') return slot;
  const value = getIn(slot.parent, slot.key);
  if (value === undefined) return `path ${path} not found at '${slot.key}'`;
  return { slot, value, before, path };
}

/** Puts `value` (already detached from `from`) next to the anchor; returns why it could not. */
function place(from: Slot, value: BuildValue, anchor: Exclude<ReturnType<typeof anchorOf>, string>): string | undefined {
  const { slot, before, path } = anchor;
  if (Array.isArray(slot.parent)) {
    if (slot.parent !== from.parent) return `${path} is an item of the list '${slot.name}': an item moves only within its own list`;
    const at = slot.parent.indexOf(anchor.value);
    slot.parent.splice(at + (before ? 0 : 1), 0, value);
    return undefined;
  }
  if (slot.parent[from.name] !== undefined) return `${path} already has a sibling '${from.name}'`;
  placeKey(slot.parent, from.name, value, slot.key, before);
  return undefined;
}

/**
 * Applies a named mutation at a dotted path below the response root; returns why it failed
 * (the body is then left as it was). `set` creates missing parents; `set`/`move` with
 * `where` put the element right after/before another one.
 */
export function mutate(body: BuildObject, kind: MutationOp, path: string, value?: string, where?: Placement): string | undefined {
  const root = Object.values(body)[0] as BuildObject;
  const backup = structuredClone(root);
  const why = apply(root, kind, path, value, where);
  if (why) {
    for (const k of Object.keys(root)) delete root[k];
    Object.assign(root, backup);
  }
  return why;
}

function apply(root: BuildObject, kind: MutationOp, path: string, value?: string, where?: Placement): string | undefined {
  const slot = resolve(root, path, kind === 'set');
  if (typeof slot === 'string') return slot;
  const { parent, key } = slot;
  const cur = getIn(parent, key);
  if (cur === undefined && kind !== 'set') return `path ${path} not found at '${key}'`;
  const detach = () => {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  };
  const put = (v: BuildValue) => {
    if (Array.isArray(parent)) parent[Number(key)] = v;
    else parent[key] = v;
  };
  if (where && (kind === 'set' || kind === 'move')) {
    const anchor = anchorOf(root, where);
    if (typeof anchor === 'string') return anchor;
    detach();
    return place(slot, kind === 'set' ? (value ?? '') : cur, anchor);
  }
  switch (kind) {
    case 'remove':
      detach();
      break;
    case 'set':
      put(value ?? '');
      break;
    case 'empty':
      put('');
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(Number(key), 0, structuredClone(cur));
      else put(Array.isArray(cur) ? [...cur, structuredClone(cur[cur.length - 1])] : [cur, structuredClone(cur)]);
      break;
    case 'move':
      return 'move needs after or before';
  }
  return undefined;
}

function dataOf(body: BuildObject, op: OperationDef): BuildObject | undefined {
  return (body[`pafn:${op.response}`] as BuildObject | undefined)?.['data'] as BuildObject | undefined;
}

const addCents = (amount: string, delta: number) => formatCents(Math.round(Number(amount) * 100) + delta);

/** Injections that alter the handler's correct answer. */
export function alterAnswer(inj: Injection, op: OperationDef, answer: Answer, note: string, id: string): HandlerResult {
  const a = inj.action;
  const notes = [...answer.notes, note];
  const body = structuredClone(answer.body);
  const base = { notes, meta: answer.meta };
  if (a.kind === 'mutate') {
    const why = mutate(body, a.op, a.path, a.value, a.place);
    if (why)
      return {
        kind: 'response',
        body: answer.body,
        ...base,
        notes: [...notes, `Failed to apply mutation ${a.op} ${a.path}: ${why}. Check the path against the ${op.response} element.`],
      };
    return { kind: 'raw', status: 200, body: wrap(buildXml(body)), ...base };
  }
  if (a.kind === 'okWithFault') {
    // outcome OK and a fault bean: XSD-valid (fault is optional after outcome), refused by the Nodo's outcome rule.
    const root = Object.values(body)[0] as BuildObject;
    const injected = koBody(
      op,
      { faultCode: a.faultCode, faultString: a.faultString, description: a.description ?? `injected ${a.faultCode} on an OK answer` },
      id,
    );
    // A KO answer keeps its own fault bean and only turns OK.
    const withFault = { outcome: 'OK', fault: root['fault'] ?? (Object.values(injected)[0] as BuildObject)['fault'] };
    const rest = Object.entries(root).filter(([k]) => k !== 'outcome' && k !== 'fault');
    for (const k of Object.keys(root)) delete root[k];
    Object.assign(root, Object.fromEntries(rest.filter(([k]) => k.startsWith('@_'))), withFault, Object.fromEntries(rest.filter(([k]) => !k.startsWith('@_'))));
    return { kind: 'raw', status: 200, body: wrap(buildXml(body)), ...base };
  }
  if (a.kind === 'respondAs') {
    const [rootKey, root] = Object.entries(body)[0]!;
    const element = `${rootKey.split(':')[0]}:${a.element}`;
    return { kind: 'raw', status: 200, body: wrap(buildXml({ [element]: root })), ...base };
  }
  if (a.kind === 'amountMismatch') {
    const root = body[`pafn:${op.response}`] as BuildObject;
    const data = dataOf(body, op);
    const option = ((root['paymentList'] as BuildObject | undefined)?.['paymentOptionDescription'] as BuildObject[] | undefined)?.[0];
    if (data) {
      data['paymentAmount'] = addCents(String(data['paymentAmount']), a.deltaCents);
      const t0 = ((data['transferList'] as BuildObject)['transfer'] as BuildObject[])[0]!;
      t0['transferAmount'] = addCents(String(t0['transferAmount']), a.deltaCents);
    } else if (option) option['amount'] = addCents(String(option['amount']), a.deltaCents);
    else return { kind: 'response', body: answer.body, ...base, notes: [...notes, 'amountMismatch not applied: the answer has no amount'] };
    return { kind: 'response', body, ...base };
  }
  if (a.kind === 'wrongIban') {
    const data = dataOf(body, op);
    const t = ((data?.['transferList'] as BuildObject | undefined)?.['transfer'] as BuildObject[] | undefined)?.find((x) => x['IBAN'] !== undefined);
    if (!t) return { kind: 'response', body: answer.body, ...base, notes: [...notes, 'wrongIban not applied: the answer has no IBAN transfer'] };
    t['IBAN'] = a.iban;
    return { kind: 'response', body, ...base };
  }
  return { kind: 'response', body: answer.body, notes: inj.delayMs ? notes : answer.notes, meta: answer.meta };
}

/**
 * The operation whose handler answers under `respondAs`: the one whose response element is
 * named (a V1 station answering paGetPaymentV2 with its paGetPaymentRes), else the called one
 * (its answer is then only renamed).
 */
export function answeringOperation(inj: Injection, op: OperationDef): OperationDef {
  if (inj.action.kind !== 'respondAs') return op;
  const element = inj.action.element;
  return OPERATIONS.find((o) => o.iface === op.iface && o.response === element) ?? op;
}

export function describeInjection(inj: Injection): string {
  const a = inj.action;
  const what =
    a.kind === 'fault'
      ? `fault ${a.faultCode}`
      : a.kind === 'mutate'
        ? `mutate ${a.op} ${a.path}${a.place ? ('after' in a.place ? ` after ${a.place.after}` : ` before ${a.place.before}`) : ''}`
        : a.kind === 'amountMismatch'
          ? `amount ${a.deltaCents >= 0 ? '+' : ''}${formatCents(a.deltaCents)}`
          : a.kind === 'wrongIban'
            ? `wrong IBAN ${a.iban}`
            : a.kind === 'okWithFault'
              ? `outcome OK with fault ${a.faultCode}`
              : a.kind === 'respondAs'
                ? `answer as ${a.element}`
                : a.kind === 'soapFault'
                  ? `SOAP Fault ${a.code}: ${a.faultString}`
                  : a.kind;
  const delay = inj.delayMs ? ` after ${inj.delayMs} ms` : '';
  const left = inj.times === undefined ? '' : ` (${inj.times} left)`;
  return `injection ${inj.id}: ${what}${delay}${left}`;
}
