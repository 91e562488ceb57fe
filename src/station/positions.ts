/**
 * Loads the positions file (YAML) or an already-parsed object (scenario files embed
 * positions inline): ajv schema check, then normalisation into the station model.
 * Every problem is an Issue located at file:line:col when a YAML document is known.
 */
import { parseYaml, pointerPath, yamlLocator, type Locator } from '../yamlSource.ts';
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { MAX_TIMER_MS as MAX_DELAY_MS, parseDuration } from '../clock.ts';
import { documentSchemaFromText } from '../xml/index.ts';
import { issue, type Issue } from '../xml/index.ts';
import { readDemandData } from './demandData.ts';
import { hasValidCheckDigit, iuvOf, makeNoticeNumber, type AuxDigit } from './noticeNumber.ts';
import { injectionSchema, positionSchema, positionsSchema } from './positionsSchema.ts';
import {
  emptyConfig,
  formatCents,
  type DemandService,
  type Injection,
  type InjectionAction,
  type MutationOp,
  type Metadata,
  type Position,
  type PositionState,
  type StationDef,
  type StationOperation,
  type StationsConfig,
  type Subject,
  type Transfer,
} from './model.ts';

export type LoadResult = { ok: true; config: StationsConfig; warnings: Issue[] } | { ok: false; issues: Issue[] };

// Compiled on first use: compiling costs start-up time to every command, most never load positions.
let ajv: Ajv2020 | undefined;
const compiled = new Map<object, ValidateFunction>();
function validator(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    ajv ??= new Ajv2020({ allErrors: true, strict: false });
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}
const validateFile = (data: unknown) => validator(positionsSchema)(data);
const validateInjection = (data: unknown) => validator(injectionSchema)(data);
/** The schema check of one position (NDJSON lines). */
export const validatePosition = (data: unknown) => validator(positionSchema)(data);
/** The errors of the last check of `schema`. */
export const lastErrors = (schema: object): ErrorObject[] => validator(schema).errors ?? [];

type Raw = Record<string, unknown>;

function at(pointer: string, locate: Locator | undefined, source: string | undefined) {
  const lc = locate?.(pointerPath(pointer));
  return { path: pointer || '/', line: lc?.line ?? 0, col: lc?.col ?? 0, ...(source ? { source } : {}) };
}

export function ajvIssues(errors: ErrorObject[], root: unknown, locate: Locator | undefined, source: string | undefined, base = ''): Issue[] {
  // Keep the most specific messages: drop anyOf/oneOf summaries when a precise error exists at or below the same path.
  // (`if` only says which branch failed: a position or a copy; the branch's own errors say what is wrong.)
  const summary = (e: ErrorObject) => e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if';
  const precise = errors.filter((e) => !summary(e));
  const kept = errors.filter((e) => !summary(e) || !precise.some((p) => p.instancePath.startsWith(e.instancePath)));
  const seen = new Set<string>();
  const out: Issue[] = [];
  for (const e of kept) {
    const pointer = base + e.instancePath;
    let msg =
      e.keyword === 'additionalProperties'
        ? `unknown field '${String((e.params as { additionalProperty: string }).additionalProperty)}'`
        : (e.message ?? 'is invalid');
    if (e.keyword === 'required') msg = `missing required field '${String((e.params as { missingProperty: string }).missingProperty)}'`;
    if (e.keyword === 'enum') msg += `: ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String).join(', ')}`;
    const value = valueAt(root, e.instancePath);
    if (/noticeNumber$/.test(e.instancePath) && typeof value === 'number')
      msg = 'must be a quoted string of 18 digits (an unquoted number loses digits), e.g. noticeNumber: "301000000000001255"';
    const key = `${pointer}|${msg}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue('POSITIONS_SCHEMA', `${pointer || '/'} ${msg}`, at(pointer, locate, source)));
  }
  return out;
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const seg of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Raw)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

/** '10', 10.5, '10.50' → cents. */
export function toCents(v: unknown): number {
  const s = typeof v === 'number' ? v.toFixed(2) : String(v);
  const [int, dec = ''] = s.split('.');
  return Number(int) * 100 + Number(`${dec}00`.slice(0, 2));
}

function metadataOf(v: unknown): Metadata {
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v as Raw).map(([key, value]) => ({ key, value: String(value) }));
}

function subjectOf(v: unknown): Subject {
  const d = (v ?? {}) as Raw;
  if (!v) return { type: 'F', id: 'ANONIMO', fullName: 'ANONIMO' };
  const s = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  return {
    type: (s('type') as 'F' | 'G' | undefined) ?? 'F',
    id: s('id') ?? 'ANONIMO',
    fullName: s('fullName')!,
    streetName: s('streetName'),
    civicNumber: s('civicNumber'),
    postalCode: s('postalCode'),
    city: s('city'),
    stateProvinceRegion: s('stateProvinceRegion'),
    country: s('country'),
    email: s('email'),
  };
}

export interface Ctx {
  issues: Issue[];
  warnings: Issue[];
  locate?: Locator;
  source?: string;
  base: string;
}

function problem(ctx: Ctx, pointer: string, message: string, code = 'POSITIONS_INVALID'): void {
  ctx.issues.push(issue(code, `${pointer} ${message}`, at(ctx.base + pointer, ctx.locate, ctx.source)));
}

function noticeNumberOf(v: unknown, ctx: Ctx, pointer: string): string | undefined {
  if (typeof v === 'string') {
    if (!hasValidCheckDigit(v)) {
      ctx.warnings.push(
        issue('POSITIONS_CHECK_DIGIT', `${pointer} notice number ${v} has a wrong check digit (mod 93); accepted as a legacy notice`, {
          ...at(ctx.base + pointer, ctx.locate, ctx.source),
          severity: 'warning',
        }),
      );
    }
    return v;
  }
  const o = v as { auxDigit: AuxDigit; segregationCode?: string; applicationCode?: string; base: string | number };
  const r = makeNoticeNumber(o);
  if (!r.ok) {
    problem(ctx, pointer, r.message);
    return undefined;
  }
  return r.noticeNumber;
}

function transferOf(raw: Raw, ecFiscalCode: string, ctx: Ctx, pointer: string): Transfer {
  if (raw['stamp'] && (raw['iban'] || raw['postalIban']))
    problem(ctx, pointer, 'has both a stamp and an IBAN: a transfer carries either an IBAN (or postalIban) or a stamp');
  const stamp = raw['stamp'] as Raw | undefined;
  return {
    fiscalCode: (raw['fiscalCode'] as string | undefined) ?? ecFiscalCode,
    companyName: raw['companyName'] as string | undefined,
    amountCents: toCents(raw['amount']),
    iban: raw['iban'] as string | undefined,
    postalIban: raw['postalIban'] as string | undefined,
    stamp: stamp
      ? {
          hashDocumento: String(stamp['hashDocumento']),
          tipoBollo: String(stamp['tipoBollo'] ?? '01'),
          provinciaResidenza: String(stamp['provinciaResidenza']),
        }
      : undefined,
    remittanceInformation: String(raw['remittanceInformation']),
    category: String(raw['category']),
    metadata: metadataOf(raw['metadata']),
  };
}

export function positionOf(raw: Raw, ctx: Ctx, pointer: string): Position | undefined {
  const fiscalCode = String(raw['fiscalCode']);
  const noticeNumber = noticeNumberOf(raw['noticeNumber'], ctx, `${pointer}/noticeNumber`);
  const transfers = (raw['transfers'] as Raw[]).map((t, i) => transferOf(t, fiscalCode, ctx, `${pointer}/transfers/${i}`));
  const sum = transfers.reduce((a, t) => a + t.amountCents, 0);
  if (raw['amount'] !== undefined && toCents(raw['amount']) !== sum) {
    problem(
      ctx,
      `${pointer}/amount`,
      `is ${formatCents(toCents(raw['amount']))} but the transfers add up to ${formatCents(sum)}: make amount the sum of the transfer amounts, or leave it out`,
    );
  }
  if (!noticeNumber) return undefined;
  return {
    fiscalCode,
    noticeNumber,
    iuv: iuvOf(noticeNumber),
    station: raw['station'] as string | undefined,
    state: (raw['state'] as PositionState | undefined) ?? 'payable',
    description: String(raw['description']),
    detailDescription: raw['detailDescription'] as string | undefined,
    companyName: (raw['companyName'] as string | undefined) ?? `EC ${fiscalCode}`,
    officeName: raw['officeName'] as string | undefined,
    dueDate: (raw['dueDate'] as string | undefined) ?? '2099-12-31',
    retentionDate: raw['retentionDate'] as string | undefined,
    lastPayment: raw['lastPayment'] as boolean | undefined,
    debtor: subjectOf(raw['debtor']),
    transfers,
    metadata: metadataOf(raw['metadata']),
    send: raw['send'] === true,
  };
}

let injectionSeq = 0;

/** One injection from its YAML/JSON form (see README). Returns the issues instead of throwing. */
export function normalizeInjection(
  raw: unknown,
  opts: { locate?: Locator; source?: string; base?: string } = {},
): { ok: true; injection: Injection } | { ok: false; issues: Issue[] } {
  const base = opts.base ?? '';
  if (!validateInjection(raw)) return { ok: false, issues: ajvIssues(lastErrors(injectionSchema), raw, opts.locate, opts.source, base) };
  const r = raw as Raw;
  const a = r['action'];
  let action: InjectionAction;
  const issues: Issue[] = [];
  const bad = (message: string) => {
    issues.push(issue('POSITIONS_INVALID', `${base}/action ${message}`, at(`${base}/action`, opts.locate, opts.source)));
    return { ok: false as const, issues };
  };
  if (a === undefined || a === 'none') action = { kind: 'none' };
  else if (a === 'close' || a === 'reset' || a === 'hold' || a === 'http500' || a === 'malformed' || a === 'koWithoutFault') action = { kind: a };
  else if (a === 'okWithFault') action = { kind: 'okWithFault', faultCode: 'PAA_SYSTEM_ERROR' };
  else if (a === 'soapFault') action = { kind: 'soapFault', code: 'Server', faultString: 'injected SOAP Fault' };
  else if (a === 'wrongIban') action = { kind: 'wrongIban', iban: 'IT00X0000000000000000000000' };
  else if (a === 'amountMismatch') action = { kind: 'amountMismatch', deltaCents: 100 };
  else {
    const o = a as Raw;
    const names = ['fault', 'mutate', 'amountMismatch', 'wrongIban', 'okWithFault', 'respondAs', 'soapFault'];
    const kinds = names.filter((k) => o[k] !== undefined);
    if (kinds.length !== 1) return bad(`must name exactly one of ${names.join(', ')} (got ${kinds.join(', ') || 'none'})`);
    const text = (k: string) => (o[k] === undefined ? undefined : String(o[k]));
    const place = o['after'] !== undefined ? { after: String(o['after']) } : o['before'] !== undefined ? { before: String(o['before']) } : undefined;
    if (place && (o['mutate'] === undefined || !['set', 'move'].includes(String(o['mutate'])))) return bad('after/before go with mutate set or move');
    if (o['after'] !== undefined && o['before'] !== undefined) return bad('takes after or before, not both');
    if (o['fault'] !== undefined) action = { kind: 'fault', faultCode: String(o['fault']), faultString: text('faultString'), description: text('description') };
    else if (o['okWithFault'] !== undefined)
      action = {
        kind: 'okWithFault',
        faultCode: o['okWithFault'] === true ? 'PAA_SYSTEM_ERROR' : String(o['okWithFault']),
        faultString: text('faultString'),
        description: text('description'),
      };
    else if (o['respondAs'] !== undefined) action = { kind: 'respondAs', element: String(o['respondAs']) };
    else if (o['soapFault'] !== undefined)
      action = { kind: 'soapFault', code: o['soapFault'] as 'Client' | 'Server', faultString: text('faultString') ?? 'injected SOAP Fault' };
    else if (o['mutate'] !== undefined) {
      if (o['path'] === undefined) return bad('mutate needs a path, e.g. data.transferList.transfer.0.IBAN');
      if (o['mutate'] === 'move' && !place) return bad('mutate move needs after or before (the dotted path of the element to put it next to)');
      action = { kind: 'mutate', op: o['mutate'] as MutationOp, path: String(o['path']), value: text('value'), ...(place ? { place } : {}) };
    } else if (o['amountMismatch'] !== undefined) action = { kind: 'amountMismatch', deltaCents: toCents(o['amountMismatch']) };
    else action = { kind: 'wrongIban', iban: String(o['wrongIban']) };
  }
  const delayMs = r['delay'] === undefined ? 0 : parseDuration(r['delay'] as string | number);
  if (delayMs > MAX_DELAY_MS) {
    issues.push(
      issue(
        'POSITIONS_INVALID',
        `${base}/delay ${String(r['delay'])} is ${delayMs} ms, more than the longest delay a timer can wait (${MAX_DELAY_MS} ms, about 24.8 days): it would fire at once. Use a shorter delay, or action hold (no answer while the caller waits).`,
        at(`${base}/delay`, opts.locate, opts.source),
      ),
    );
    return { ok: false, issues };
  }
  return {
    ok: true,
    injection: {
      id: (r['id'] as string | undefined) ?? `inj-${++injectionSeq}`,
      station: r['station'] as string | undefined,
      operation: r['operation'] as StationOperation | undefined,
      noticeNumber: r['noticeNumber'] as string | undefined,
      times: r['times'] as number | undefined,
      delayMs,
      action,
    },
  };
}

function serviceOf(raw: Raw, ctx: Ctx, pointer: string): DemandService | undefined {
  const from = (raw['from'] ?? {}) as Record<string, string>;
  if (raw['amount'] === undefined && from['amount'] === undefined) {
    problem(ctx, pointer, 'needs amount (a fixed amount) or from.amount (the element of the service data holding it)');
    return undefined;
  }
  let xsd: DemandService['xsd'];
  if (raw['xsd'] !== undefined) {
    const ref = String(raw['xsd']);
    const file = isAbsolute(ref) ? ref : resolve(ctx.source ? dirname(ctx.source) : process.cwd(), ref);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      problem(
        ctx,
        `${pointer}/xsd`,
        `names ${ref}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the service XSD's path relative to this file`,
      );
      return undefined;
    }
    const compiled = documentSchemaFromText(text, basename(file));
    if (!compiled.ok) {
      problem(ctx, `${pointer}/xsd`, `names ${ref}, which is not a usable XSD: ${compiled.issues.map((i) => i.message).join('; ')}`);
      return undefined;
    }
    xsd = { name: basename(file), text };
  }
  const svc: DemandService = {
    idServizio: String(raw['idServizio']),
    idSoggettoServizio: String(raw['idSoggettoServizio']),
    fiscalCode: raw['fiscalCode'] as string | undefined,
    segregationCode: (raw['segregationCode'] as string | undefined) ?? '01',
    ...(raw['amount'] !== undefined ? { amountCents: toCents(raw['amount']) } : {}),
    ...(raw['maxAmount'] !== undefined ? { maxAmountCents: toCents(raw['maxAmount']) } : {}),
    description: String(raw['description']),
    companyName: (raw['companyName'] as string | undefined) ?? 'Ente Creditore',
    iban: String(raw['iban']),
    category: String(raw['category']),
    ...(xsd ? { xsd } : {}),
    from: { ...from },
  };
  if (raw['example'] !== undefined) {
    // Read as the station will read a request's data: a wrong example fails here, not in the explorer.
    const example = String(raw['example']);
    const read = readDemandData(svc, Buffer.from(example, 'utf8').toString('base64'));
    if (!read.ok) {
      problem(ctx, `${pointer}/example`, `is not data this service accepts (${read.fault.faultCode}: ${read.fault.description})`);
      return undefined;
    }
    svc.example = example;
  }
  return svc;
}

/** The positions a copy may name (written out in full, not copies themselves), by notice number. */
function copySources(list: Raw[]): Map<string, Raw[]> {
  const out = new Map<string, Raw[]>();
  for (const p of list) {
    if (p['copyOf'] !== undefined) continue;
    const nn = p['noticeNumber'];
    const key =
      typeof nn === 'string'
        ? nn
        : (() => {
            const r = makeNoticeNumber(nn as Parameters<typeof makeNoticeNumber>[0]);
            return r.ok ? r.noticeNumber : undefined;
          })();
    if (key === undefined) continue;
    out.set(key, [...(out.get(key) ?? []), p]);
  }
  return out;
}

/** A `copyOf` position: its source's fields with the copy's own in their place (`usedBy` is the copy's alone). */
function copyOf(copy: Raw, sources: Map<string, Raw[]>, ctx: Ctx, pointer: string): Raw | undefined {
  const ref = String(copy['copyOf']);
  const candidates = (sources.get(ref) ?? []).filter((s) => copy['fiscalCode'] === undefined || s['fiscalCode'] === copy['fiscalCode']);
  if (candidates.length !== 1) {
    problem(
      ctx,
      `${pointer}/copyOf`,
      candidates.length === 0
        ? `names notice ${ref}, which is not a position written out in full in this document: copy a position of the same file (not another copy)`
        : `names notice ${ref}, which ${candidates.length} ECs have: add the fiscalCode of the one to copy`,
    );
    return undefined;
  }
  const { copyOf: _ref, ...own } = copy;
  const { usedBy: _usedBy, ...source } = candidates[0]!;
  return { ...source, ...own };
}

/**
 * Checks and normalises a positions object (the parsed YAML). `locate` maps JSON pointers
 * to line/col in the source; `base` is the pointer prefix reported in paths.
 */
export function normalizePositions(data: unknown, opts: { locate?: Locator; source?: string; base?: string } = {}): LoadResult {
  const base = opts.base ?? '';
  const input = data ?? {};
  if (!validateFile(input)) return { ok: false, issues: ajvIssues(lastErrors(positionsSchema), input, opts.locate, opts.source, base) };
  const ctx: Ctx = { issues: [], warnings: [], locate: opts.locate, source: opts.source, base };
  const raw = input as Raw;
  const config = emptyConfig();
  config.stations = ((raw['stations'] as Raw[] | undefined) ?? []).map(
    (s) => ({ idStation: String(s['idStation']), idBrokerPA: String(s['idBrokerPA']), ecs: (s['ecs'] as string[]).map(String) }) satisfies StationDef,
  );
  const seenStations = new Set<string>();
  config.stations.forEach((s, i) => {
    if (seenStations.has(s.idStation)) problem(ctx, `/stations/${i}/idStation`, `duplicates station ${s.idStation}: each idStation must appear once`);
    seenStations.add(s.idStation);
  });
  const seen = new Set<string>();
  const list = (raw['positions'] as Raw[] | undefined) ?? [];
  const sources = copySources(list);
  list.forEach((written, i) => {
    const p = written['copyOf'] === undefined ? written : copyOf(written, sources, ctx, `/positions/${i}`);
    if (!p) return;
    const pos = positionOf(p, ctx, `/positions/${i}`);
    if (!pos) return;
    const key = `${pos.fiscalCode}/${pos.noticeNumber}`;
    if (seen.has(key))
      problem(ctx, `/positions/${i}/noticeNumber`, `duplicates notice ${pos.noticeNumber} of EC ${pos.fiscalCode}: each notice must appear once`);
    seen.add(key);
    config.positions.push(pos);
  });
  ((raw['injections'] as Raw[] | undefined) ?? []).forEach((j, i) => {
    const r = normalizeInjection(j, { locate: opts.locate, source: opts.source, base: `${base}/injections/${i}` });
    if (r.ok) config.injections.push(r.injection);
    else ctx.issues.push(...r.issues);
  });
  ((raw['services'] as Raw[] | undefined) ?? []).forEach((r, i) => {
    const svc = serviceOf(r, ctx, `/services/${i}`);
    if (svc) config.services.push(svc);
  });
  if (raw['sendTimeout'] !== undefined) config.sendTimeoutMs = parseDuration(raw['sendTimeout'] as string | number);
  if (ctx.issues.length) return { ok: false, issues: ctx.issues };
  return { ok: true, config, warnings: ctx.warnings };
}

/** Parses YAML text; `file` names the source in issues. */
export function parsePositionsYaml(textIn: string, file = 'positions.yaml'): LoadResult {
  const y = parseYaml(textIn, file, 'YAML_SYNTAX');
  if (!y.ok) return { ok: false, issues: y.issues };
  return normalizePositions(y.doc.toJS(), { locate: yamlLocator(y.doc, y.lineCounter), source: file });
}
