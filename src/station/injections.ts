/**
 * Fault injection: how the harness makes a station misbehave on purpose. An injection
 * matches by station / operation / notice, applies `times` times (or always), may delay,
 * and either replaces the answer (close, reset, HTTP 500, malformed XML, a PAA fault,
 * KO without fault) or alters the correct answer (schema-invalid mutation, amount
 * different from verify, wrong IBAN).
 */
import type { BuildObject, BuildValue } from '../xml/build.ts';
import { buildXml } from '../xml/build.ts';
import { wrap } from '../soap/envelope.ts';
import type { HandlerResult } from '../soap/endpoint.ts';
import type { OperationDef } from '../soap/operations.ts';
import { koBody, responseBody } from './faults.ts';
import { formatCents, type Injection, type MutationOp } from './model.ts';
import type { Answer } from './context.ts';

/** The first live injection for this call; its `times` is consumed. */
export function takeInjection(list: Injection[], station: string, operation: string, noticeNumber: string | undefined): Injection | undefined {
  const inj = list.find(
    (i) => (i.times === undefined || i.times > 0) && (!i.station || i.station === station) && (!i.operation || i.operation === operation) && (!i.noticeNumber || i.noticeNumber === noticeNumber),
  );
  if (inj && inj.times !== undefined) inj.times -= 1;
  return inj;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const HTML_500 = '<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>injected by station-harness</p></body></html>\n';

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
      return { kind: 'response', body: koBody(op, { faultCode: a.faultCode, faultString: a.faultString, description: a.description ?? `injected ${a.faultCode}` }, id), notes };
    case 'koWithoutFault':
      return { kind: 'response', body: responseBody(op, { outcome: 'KO' }), notes };
    default:
      return undefined;
  }
}

type Container = BuildObject | BuildValue[];

/** Applies a named mutation at a dotted path below the response root; returns why it failed. */
export function mutate(body: BuildObject, op: OperationDef, kind: MutationOp, path: string, value?: string): string | undefined {
  const root = body[`pafn:${op.response}`] as BuildObject;
  const segs = path.split('.').filter(Boolean);
  let parent: Container = root;
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i]!;
    let next: BuildValue = Array.isArray(parent) ? parent[Number(seg)] : parent[seg];
    if (Array.isArray(next) && !/^\d+$/.test(segs[i + 1]!)) next = next[0];
    if (next === undefined || next === null || typeof next !== 'object') return `path ${path} not found at '${seg}'`;
    parent = next as Container;
  }
  const last = segs[segs.length - 1];
  if (last === undefined) return 'empty path';
  const cur: BuildValue = Array.isArray(parent) ? parent[Number(last)] : parent[last];
  if (cur === undefined && kind !== 'set') return `path ${path} not found at '${last}'`;
  const put = (v: BuildValue | typeof REMOVE) => {
    if (Array.isArray(parent)) {
      if (v === REMOVE) parent.splice(Number(last), 1);
      else parent[Number(last)] = v;
    } else if (v === REMOVE) delete parent[last];
    else parent[last] = v;
  };
  switch (kind) {
    case 'remove':
      put(REMOVE);
      break;
    case 'set':
      put(value ?? '');
      break;
    case 'empty':
      put('');
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(Number(last), 0, structuredClone(cur));
      else put(Array.isArray(cur) ? [...cur, structuredClone(cur[cur.length - 1])] : [cur, structuredClone(cur)]);
      break;
  }
  return undefined;
}
const REMOVE = Symbol('remove');

function dataOf(body: BuildObject, op: OperationDef): BuildObject | undefined {
  return (body[`pafn:${op.response}`] as BuildObject | undefined)?.['data'] as BuildObject | undefined;
}

const addCents = (amount: string, delta: number) => formatCents(Math.round(Number(amount) * 100) + delta);

/** Injections that alter the handler's correct answer. */
export function alterAnswer(inj: Injection, op: OperationDef, answer: Answer, note: string): HandlerResult {
  const a = inj.action;
  const notes = [...answer.notes, note];
  const body = structuredClone(answer.body);
  const base = { notes, meta: answer.meta };
  if (a.kind === 'mutate') {
    const why = mutate(body, op, a.op, a.path, a.value);
    if (why) return { kind: 'response', body: answer.body, ...base, notes: [...notes, `Failed to apply mutation ${a.op} ${a.path}: ${why}. Check the path against the ${op.response} element.`] };
    return { kind: 'raw', status: 200, body: wrap(buildXml(body)), ...base };
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

export function describeInjection(inj: Injection): string {
  const a = inj.action;
  const what =
    a.kind === 'fault' ? `fault ${a.faultCode}` : a.kind === 'mutate' ? `mutate ${a.op} ${a.path}` : a.kind === 'amountMismatch' ? `amount ${a.deltaCents >= 0 ? '+' : ''}${formatCents(a.deltaCents)}` : a.kind === 'wrongIban' ? `wrong IBAN ${a.iban}` : a.kind;
  const delay = inj.delayMs ? ` after ${inj.delayMs} ms` : '';
  const left = inj.times === undefined ? '' : ` (${inj.times} left)`;
  return `injection ${inj.id}: ${what}${delay}${left}`;
}
