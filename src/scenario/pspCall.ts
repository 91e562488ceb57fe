/**
 * PSP calls to the mock Nodo (verifyPaymentNotice, verificaBollettino,
 * activatePaymentNotice[V2], sendPaymentOutcome[V2], demandPaymentNotice,
 * nodoChiediCatalogoServiziV2): the request from the fields a scenario states plus valid
 * defaults, optional raw XML or named mutations for negative tests, the call over real
 * HTTP, and the checks of the step's `expect:`.
 */
import { createHash } from 'node:crypto';
import { parseDuration } from '../clock.ts';
import { callSoap } from '../soap/index.ts';
import { wrap } from '../soap/index.ts';
import type { Exchange } from '../soap/index.ts';
import { operationByName, PREFIX } from '../soap/index.ts';
import type { BuildObject } from '../xml/index.ts';
import { withParsed } from '../xml/index.ts';
import { asArray, elementObject, pick, type XmlObject } from '../xml/index.ts';
import { NS } from '../xml/index.ts';
import { formatCents } from '../station/index.ts';
import { checkFields, describeMatcher, fail, matches, pass, show, type Check, type Matcher } from './expect.ts';
import { stampDocument, type StampBreak, type StampFields } from './stamp.ts';
import { defaultEc, type PspExpect, type Scenario } from './model.ts';
import type { StepContext, StepResult } from './step.ts';
import { stationRule } from './rules.ts';
import { nodoRefusalHint } from './stationRules.ts';

export type PspPrimitive =
  | 'verifyPaymentNotice'
  | 'verificaBollettino'
  | 'activatePaymentNotice'
  | 'activatePaymentNoticeV2'
  | 'sendPaymentOutcome'
  | 'sendPaymentOutcomeV2'
  | 'demandPaymentNotice'
  | 'nodoChiediCatalogoServiziV2';

export type Mutation =
  | 'soap12-envelope'
  | 'no-envelope'
  | 'qualified-children'
  | 'malformed-xml'
  | 'empty-body'
  | 'doctype'
  | 'no-soapaction'
  | 'wrong-soapaction'
  | 'unknown-element';

export interface PspParams {
  fiscalCode?: string;
  noticeNumber?: string;
  /** verificaBollettino: the EC's postal account (default: the first postalAccounts entry of the notice's EC). */
  ccPost?: string;
  amount?: string | number;
  expirationTime?: number | string;
  idempotencyKey?: string | false;
  paymentMethod?: string;
  touchPoint?: string;
  dueDate?: string;
  paymentNote?: string;
  paymentToken?: string;
  paymentTokens?: string[];
  outcome?: 'OK' | 'KO';
  details?: Record<string, unknown> | null;
  idPSP?: string;
  idBrokerPSP?: string;
  idChannel?: string;
  password?: string;
  fields?: Record<string, unknown>;
  omit?: string[];
  raw?: string;
  mutate?: Mutation | Mutation[];
  soapAction?: string;
  timeout?: string | number;
  /** sendPaymentOutcomeV2: digital stamps sent in details/marcheDaBollo, valid unless broken on purpose. */
  stamps?: StampParam[];
  /** demandPaymentNotice: the catalogue provider (default: the registry's first). */
  idSoggettoServizio?: string;
  /** demandPaymentNotice: datiSpecificiServizio as XML text (the step base64-encodes it). */
  data?: string;
  /** demandPaymentNotice: datiSpecificiServizio as sent (base64), instead of `data`. */
  dataBase64?: string;
  /** nodoChiediCatalogoServiziV2 filters. */
  identificativoDominio?: string;
  categoria?: string;
  commissione?: 'Y' | 'N';
}

/** One digital stamp of a sendPaymentOutcomeV2 (a valid marcaDaBollo document built from the activation). */
export interface StampParam {
  /** Default: the first digital-stamp transfer of the token's activation. */
  idTransfer?: number | string;
  /** Default: the outcome's (first) paymentToken. */
  paymentToken?: string;
  /** Overrides of the document's values (codiceFiscale, denominazione, iubd, oraAcquisto, importo, hashDocumento). */
  values?: Partial<StampFields>;
  /** One breakage for negative scenarios: {remove|empty: path}, {set: path, value}, {move: path, after|before: path}. */
  break?: StampBreak;
  /** Send this MBDAttachment (base64) as it is instead of building one. */
  attachment?: string;
}

/** A stamp transfer of an activation, as the PSP saw it in the activate response. */
interface StampRequest {
  idTransfer: string;
  amount: string;
  hashDocumento: string;
}

/** Per-case memory shared by PSP steps: the last token and the amounts seen per notice. */
export interface PspMemory {
  lastToken?: string;
  amounts: Map<string, string>;
  /** paymentToken → its digital-stamp transfers (from activatePaymentNoticeV2 responses). */
  stampRequests: Map<string, StampRequest[]>;
}

const memories = new WeakMap<object, PspMemory>();
export function memoryOf(ctx: StepContext): PspMemory {
  let m = memories.get(ctx.captures);
  if (!m) {
    m = { amounts: new Map(), stampRequests: new Map() };
    memories.set(ctx.captures, m);
  }
  return m;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** Whether a PSP step builds its request around setup.notice: it names no notice number and sends no raw XML of its own. */
export function pspReadsSetupNotice(params: unknown): boolean {
  const p = (params ?? {}) as PspParams;
  return p.noticeNumber === undefined && !p.raw;
}

/** The notice a step is about: its own fields, then setup.notice, then the first position. */
export function noticeOf(sc: Scenario, p: PspParams): { fiscalCode: string; noticeNumber: string } {
  const first = sc.setup.positions.positions[0];
  const noticeNumber = p.noticeNumber ?? sc.setup.notice?.noticeNumber ?? first?.noticeNumber ?? '301000000000001255';
  const pos = sc.setup.positions.positions.find((x) => x.noticeNumber === noticeNumber);
  const fiscalCode = p.fiscalCode ?? sc.setup.notice?.fiscalCode ?? pos?.fiscalCode ?? defaultEc(sc.setup);
  return { fiscalCode, noticeNumber };
}

function positionAmount(sc: Scenario, fiscalCode: string, noticeNumber: string): string | undefined {
  const pos = sc.setup.positions.positions.find((x) => x.fiscalCode === fiscalCode && x.noticeNumber === noticeNumber);
  return pos ? formatCents(pos.transfers.reduce((s, t) => s + t.amountCents, 0)) : undefined;
}

const amountText = (v: string | number) => (typeof v === 'number' ? v.toFixed(2) : v);

function expirationMs(v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'number' ? v : parseDuration(v);
}

/** The request Body child fields in schema order, with defaults. */
function requestFields(primitive: PspPrimitive, p: PspParams, ctx: StepContext, stamps: BuildObject[] = []): BuildObject {
  const sc = ctx.scenario;
  const psp = sc.setup.psp;
  const cred = {
    idPSP: p.idPSP ?? psp.idPSP,
    idBrokerPSP: p.idBrokerPSP ?? psp.idBrokerPSP,
    idChannel: p.idChannel ?? psp.idChannel,
    password: p.password ?? psp.password,
  };
  const key =
    p.idempotencyKey === false
      ? undefined
      : (p.idempotencyKey ??
        `${cred.idPSP.replace(/[^A-Za-z0-9]/g, '').slice(0, 18)}_${ctx
          .nextId('k')
          .replace(/[^A-Za-z0-9]/g, '')
          .slice(-10)
          .padStart(10, '0')}`);
  const mem = memoryOf(ctx);
  if (primitive === 'verifyPaymentNotice') {
    const n = noticeOf(sc, p);
    return { ...cred, qrCode: { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber } };
  }
  if (primitive === 'demandPaymentNotice') {
    const first = (sc.setup.registry.services ?? []).flatMap((x) => x.elencoSoggettiEroganti)[0];
    const datiSpecificiServizio = p.dataBase64 ?? Buffer.from(p.data ?? '<dati/>', 'utf8').toString('base64');
    return { ...cred, idSoggettoServizio: p.idSoggettoServizio ?? first?.idSoggettoServizio ?? '00001', datiSpecificiServizio };
  }
  if (primitive === 'nodoChiediCatalogoServiziV2') {
    return {
      identificativoPSP: cred.idPSP,
      identificativoIntermediarioPSP: cred.idBrokerPSP,
      identificativoCanale: cred.idChannel,
      password: cred.password,
      identificativoDominio: p.identificativoDominio,
      categoria: p.categoria,
      commissione: p.commissione,
    };
  }
  if (primitive === 'verificaBollettino') {
    const n = noticeOf(sc, p);
    const ccPost = p.ccPost ?? sc.setup.registry.creditorInstitutions.find((c) => c.fiscalCode === n.fiscalCode)?.postalAccounts[0] ?? '000000000000';
    return { ...cred, ccPost, noticeNumber: n.noticeNumber };
  }
  if (primitive === 'activatePaymentNotice' || primitive === 'activatePaymentNoticeV2') {
    const n = noticeOf(sc, p);
    const amount =
      p.amount !== undefined
        ? amountText(p.amount)
        : (mem.amounts.get(`${n.fiscalCode}/${n.noticeNumber}`) ?? positionAmount(sc, n.fiscalCode, n.noticeNumber) ?? '10.00');
    return {
      ...cred,
      idempotencyKey: key,
      qrCode: { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber },
      expirationTime: expirationMs(p.expirationTime),
      amount,
      dueDate: p.dueDate,
      paymentNote: p.paymentNote,
      ...(primitive === 'activatePaymentNoticeV2' ? { paymentMethod: p.paymentMethod, touchPoint: p.touchPoint } : {}),
    };
  }
  const today = ctx.clock.now();
  const details: BuildObject | undefined =
    p.details === null || (p.outcome === 'KO' && p.details === undefined)
      ? undefined
      : {
          paymentMethod: 'creditCard',
          paymentChannel: 'app',
          fee: '1.00',
          ...(primitive === 'sendPaymentOutcomeV2' ? { primaryCiIncurredFee: undefined, idBundle: undefined, idCiBundle: undefined } : {}),
          payer: undefined,
          applicationDate: isoDate(today),
          transferDate: isoDate(new Date(today.getTime() + 86_400_000)),
          ...(stamps.length ? { marcheDaBollo: { marcaDaBollo: stamps } } : {}),
          ...((p.details ?? {}) as BuildObject),
        };
  const token = p.paymentToken ?? mem.lastToken ?? 'unknown-token';
  return {
    ...cred,
    idempotencyKey: key,
    ...(primitive === 'sendPaymentOutcomeV2' ? { paymentTokens: { paymentToken: p.paymentTokens ?? [token] } } : { paymentToken: token }),
    outcome: p.outcome ?? 'OK',
    details,
  };
}

/** details/marcheDaBollo/marcaDaBollo entries for `p.stamps`, or why one cannot be built. */
function buildStamps(p: PspParams, ctx: StepContext, tokens: string[]): { ok: true; entries: BuildObject[] } | { ok: false; why: string } {
  const mem = memoryOf(ctx);
  const sc = ctx.scenario;
  const idPSP = p.idPSP ?? sc.setup.psp.idPSP;
  const psp = sc.setup.registry.psps.find((x) => x.pspCode === idPSP);
  const entries: BuildObject[] = [];
  for (const [i, st] of (p.stamps ?? []).entries()) {
    const paymentToken = st.paymentToken ?? tokens[0] ?? 'unknown-token';
    const requests = mem.stampRequests.get(paymentToken) ?? [];
    const req = st.idTransfer !== undefined ? requests.find((r) => r.idTransfer === String(st.idTransfer)) : requests[0];
    const idTransfer = st.idTransfer !== undefined ? String(st.idTransfer) : req?.idTransfer;
    if (idTransfer === undefined)
      return {
        ok: false,
        why: `Failed to build stamp ${i + 1}: the activation of paymentToken ${paymentToken} returned no digital-stamp transfer. Give idTransfer (and values) or activate a notice with a richiestaMarcaDaBollo transfer first.`,
      };
    let attachment = st.attachment;
    if (attachment === undefined) {
      const seq = createHash('sha256').update(`${paymentToken}|${idTransfer}`).digest().readUIntBE(0, 6);
      const fields: StampFields = {
        codiceFiscale: psp?.fiscalCode ?? idPSP,
        denominazione: psp?.businessName ?? `PSP ${idPSP}`,
        iubd: String(seq).padStart(14, '0').slice(-14),
        oraAcquisto: ctx.clock
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
        importo: req?.amount ?? '16.00',
        hashDocumento: req?.hashDocumento ?? createHash('sha256').update(`document|${paymentToken}|${idTransfer}`).digest('base64'),
        ...st.values,
      };
      const doc = stampDocument(fields, st.break);
      if (!doc.ok) return { ok: false, why: doc.why };
      attachment = doc.base64;
    }
    entries.push({ paymentToken, idTransfer, MBDAttachment: attachment });
  }
  return { ok: true, entries };
}

function deepMerge(a: BuildObject, b: Record<string, unknown>): BuildObject {
  const out: BuildObject = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)
        ? deepMerge(cur as BuildObject, v as Record<string, unknown>)
        : (v as BuildObject[string]);
  }
  return out;
}

function omitPath(obj: BuildObject, path: string): void {
  const parts = path.split('.');
  let cur: BuildObject | undefined = obj;
  for (const part of parts.slice(0, -1)) cur = cur?.[part] as BuildObject | undefined;
  if (cur) delete cur[parts[parts.length - 1]!];
}

function qualify(v: BuildObject[string], prefix: string): BuildObject[string] {
  if (Array.isArray(v)) return v.map((x) => qualify(x, prefix));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.startsWith('@_') ? k : `${prefix}:${k}`, qualify(x, prefix)]));
  return v;
}

interface Outgoing {
  envelope: string;
  soapAction: string;
}

function applyMutations(primitive: PspPrimitive, body: BuildObject, mutations: Mutation[], soapAction: string): Outgoing {
  const op = operationByName(primitive)!;
  const prefix = PREFIX.nodeForPsp;
  let fields: BuildObject = body;
  if (mutations.includes('qualified-children')) fields = qualify(fields, prefix) as BuildObject;
  const child: BuildObject = { [`${prefix}:${op.request}`]: { [`@_xmlns:${prefix}`]: NS.nodeForPsp, ...fields } };
  if (mutations.includes('unknown-element')) (child[`${prefix}:${op.request}`] as BuildObject)['unknownElement'] = 'x';
  let envelope = mutations.includes('no-envelope') ? `<?xml version="1.0" encoding="UTF-8"?>\n${wrapBare(child)}` : wrap(child);
  if (mutations.includes('empty-body')) envelope = envelope.replace(/<soapenv:Body>[\s\S]*<\/soapenv:Body>/, '<soapenv:Body/>');
  if (mutations.includes('soap12-envelope')) envelope = envelope.replace(NS.soap11, 'http://www.w3.org/2003/05/soap-envelope');
  if (mutations.includes('doctype')) envelope = envelope.replace(/^<\?xml[^>]*\?>\n?/, (d) => `${d}<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n`);
  if (mutations.includes('malformed-xml')) envelope = envelope.slice(0, Math.floor(envelope.length * 0.6));
  let action = soapAction;
  if (mutations.includes('no-soapaction')) action = '';
  if (mutations.includes('wrong-soapaction')) action = primitive === 'verifyPaymentNotice' ? 'activatePaymentNotice' : 'verifyPaymentNotice';
  return { envelope, soapAction: action };
}

function wrapBare(child: BuildObject): string {
  return wrap(child)
    .replace(/^[\s\S]*<soapenv:Body>\n/, '')
    .replace(/\n\s*<\/soapenv:Body>[\s\S]*$/, '')
    .replace(/^ {4}/gm, '');
}

function rawEnvelope(raw: string): string {
  return /Envelope[\s>]/.test(raw) ? raw : wrap(raw.trim());
}

/** What came back: the response body object (when there is one) and transport facts. */
interface Received {
  status?: number;
  value?: XmlObject;
  soapFault?: string;
  /** Transport failure towards the Nodo (our harness trouble). */
  transportError?: string;
}

async function send(ctx: StepContext, primitive: PspPrimitive, out: Outgoing, timeoutMs: number): Promise<Received> {
  const op = operationByName(primitive)!;
  const r = await callSoap({ url: ctx.world.nodoUrl, soapAction: out.soapAction, envelope: out.envelope, timeoutMs, expectResponse: op.response });
  if (r.ok) return { status: r.status, value: r.message.bodyChild.value };
  if (r.kind === 'refused' || r.kind === 'reset' || r.kind === 'timeout')
    return {
      transportError: `Failed to call the mock Nodo (${primitive}): ${r.message}. This is a harness problem, not a station one; rerun with HARNESS_DEBUG=1 and report it.`,
    };
  const value = r.soap && !r.soap.fault ? r.soap.bodyChild.value : undefined;
  return { status: r.status, ...(value ? { value } : {}), ...(r.fault ? { soapFault: r.fault.faultcode } : {}) };
}

/** The Nodo's notes about the station calls of this step: the rule broken and the PPT_* code. */
function stationNotes(exchanges: Exchange[]): string {
  const notes = exchanges.filter((e) => e.party === 'nodo' && e.direction === 'outbound' && e.notes.length).flatMap((e) => e.notes.map((n) => `${e.to}: ${n}`));
  return notes.slice(0, 3).join(' | ');
}

function fieldCheck(name: string, path: string, m: Matcher | undefined, value: unknown, hint: string, line: number): Check | undefined {
  if (m === undefined) return undefined;
  const actual = pick(value, path);
  const label = `${name} is ${describeMatcher(m)}`;
  return matches(m, actual)
    ? pass(label, line)
    : fail(
        label,
        {
          type: actual === undefined ? 'missing' : 'value',
          path: `response.${path}`,
          expected: describeMatcher(m),
          actual: show(actual),
          ...(hint ? { hint } : {}),
        },
        line,
      );
}

function expectChecks(e: PspExpect, got: Received, exchanges: Exchange[], implicitOk: boolean, line: number): Check[] {
  const checks: Check[] = [];
  const hint = stationNotes(exchanges);
  const v = got.value;
  const outcome = e.outcome ?? (implicitOk ? 'OK' : undefined);
  const add = (c: Check | undefined) => c && checks.push(c);
  if (outcome) {
    const actual = v?.['outcome'];
    const extra = actual === 'KO' && outcome !== 'KO' ? ` (faultCode ${show(pick(v, 'fault.faultCode'))}: ${show(pick(v, 'fault.description'))})` : '';
    add(
      matches(outcome, actual)
        ? pass(`outcome is ${outcome}`, line)
        : fail(
            `outcome is ${outcome}`,
            {
              type: actual === undefined ? 'missing' : 'value',
              path: 'response.outcome',
              expected: outcome,
              actual: show(actual) + extra,
              ...(hint ? { hint } : {}),
            },
            line,
          ),
    );
  }
  add(fieldCheck('faultCode', 'fault.faultCode', e.faultCode, v, hint, line));
  add(fieldCheck('originalFaultCode', 'fault.originalFaultCode', e.originalFaultCode, v, hint, line));
  add(fieldCheck('faultString', 'fault.faultString', e.faultString, v, hint, line));
  add(fieldCheck('fault description', 'fault.description', e.description, v, hint, line));
  if (e.fields) checks.push(...checkFields(v, e.fields, 'response', line, hint || undefined));
  if (e.httpStatus !== undefined) {
    add(
      got.status === e.httpStatus
        ? pass(`HTTP status is ${e.httpStatus}`, line)
        : fail(`HTTP status is ${e.httpStatus}`, { type: 'value', path: 'http.status', expected: String(e.httpStatus), actual: show(got.status) }, line),
    );
  }
  if (e.soapFault) {
    const ok = got.soapFault !== undefined && got.soapFault.replace(/^.*:/, '') === e.soapFault;
    add(
      ok
        ? pass(`SOAP Fault ${e.soapFault}`, line)
        : fail(
            `SOAP Fault ${e.soapFault}`,
            {
              type: 'value',
              path: 'soap:Fault/faultcode',
              expected: e.soapFault,
              actual: got.soapFault ?? (v ? `a ${String(v['outcome'] ?? '')} response` : '(none)'),
            },
            line,
          ),
    );
  }
  if (e.stationCalls !== undefined) {
    const calls = exchanges.filter((x) => x.party === 'nodo' && x.direction === 'outbound' && x.to.startsWith('station:'));
    const per = typeof e.stationCalls === 'number' ? { '*': e.stationCalls } : e.stationCalls;
    for (const [st, n] of Object.entries(per)) {
      const actual = calls.filter((x) => st === '*' || x.to === `station:${st}`);
      const label = st === '*' ? `the Nodo called stations ${n} time(s)` : `the Nodo called station ${st} ${n} time(s)`;
      add(
        actual.length === n
          ? pass(label, line)
          : fail(
              label,
              {
                type: 'count',
                path: st === '*' ? 'station calls' : `station:${st}`,
                expected: String(n),
                actual: `${actual.length}${actual.length ? ` (${actual.map((x) => `${x.operation} → ${x.to}`).join(', ')})` : ''}`,
              },
              line,
            ),
      );
    }
  }
  if (e.note) {
    const notes = exchanges.filter((x) => x.party === 'nodo').flatMap((x) => x.notes);
    const re = new RegExp(e.note);
    add(
      notes.some((n) => re.test(n))
        ? pass(`a Nodo note matches /${e.note}/`, line)
        : fail(
            `a Nodo note matches /${e.note}/`,
            { type: 'missing', path: 'nodo notes', expected: `/${e.note}/`, actual: notes.length ? notes.join(' | ') : '(no notes)' },
            line,
          ),
    );
  }
  return checks;
}

/** Runs one PSP call step. */
export async function runPspCall(primitive: PspPrimitive, params: unknown, ctx: StepContext): Promise<StepResult> {
  const p = ctx.resolve((params ?? {}) as PspParams);
  const mutations = p.mutate === undefined ? [] : Array.isArray(p.mutate) ? p.mutate : [p.mutate];
  const soapAction = p.soapAction ?? primitive;
  let out: Outgoing;
  let stampsSent: BuildObject[] = [];
  if (p.raw) out = { envelope: rawEnvelope(p.raw), soapAction };
  else {
    if (p.stamps?.length) {
      const tokens = p.paymentTokens ?? [p.paymentToken ?? memoryOf(ctx).lastToken ?? 'unknown-token'];
      const built = buildStamps(p, ctx, tokens);
      if (!built.ok) return { kind: 'error', message: built.why };
      stampsSent = built.entries;
    }
    let body = requestFields(primitive, p, ctx, stampsSent);
    if (p.fields) body = deepMerge(body, p.fields);
    for (const path of p.omit ?? []) omitPath(body, path);
    out = applyMutations(primitive, body, mutations, soapAction);
  }
  const timeoutMs = p.timeout !== undefined ? parseDuration(p.timeout) : 30_000;
  const got = await send(ctx, primitive, out, timeoutMs);
  if (got.transportError) return { kind: 'error', message: got.transportError };
  // The receipts an OK outcome started are part of what this call caused: wait until their attempts
  // settled, so `stationCalls` and the notes never depend on whether they were faster than the answer.
  await ctx.world.idle();
  const exchanges = ctx.journal.list({ since: ctx.startSeq });
  // Remember what later PSP steps default to (amount from verify, token from activate).
  const mem = memoryOf(ctx);
  const v = got.value;
  if (v && (primitive === 'verifyPaymentNotice' || primitive === 'verificaBollettino')) {
    const amount = pick(v, `${primitive === 'verifyPaymentNotice' ? 'paymentList' : 'paymentBollettinoList'}.paymentOptionDescription.0.amount`);
    const n = noticeOf(ctx.scenario, p);
    if (typeof amount === 'string') mem.amounts.set(`${n.fiscalCode}/${n.noticeNumber}`, amount);
  }
  if (v && primitive === 'demandPaymentNotice') {
    const amount = pick(v, 'paymentList.paymentOptionDescription.0.amount');
    if (typeof amount === 'string') mem.amounts.set(`${String(pick(v, 'qrCode.fiscalCode'))}/${String(pick(v, 'qrCode.noticeNumber'))}`, amount);
  }
  if (v && primitive === 'nodoChiediCatalogoServiziV2' && typeof v['xmlCatalogoServizi'] === 'string') v['catalogue'] = readCatalogue(v['xmlCatalogoServizi']);
  if (v && primitive.startsWith('activate') && typeof v['paymentToken'] === 'string') {
    mem.lastToken = v['paymentToken'];
    const stampTransfers = asArray(pick(v, 'transferList.transfer') as XmlObject | XmlObject[] | undefined).filter(
      (t) => t['richiestaMarcaDaBollo'] !== undefined,
    );
    mem.stampRequests.set(
      v['paymentToken'],
      stampTransfers.map((t) => ({
        idTransfer: String(t['idTransfer']),
        amount: String(t['transferAmount']),
        hashDocumento: String(pick(t, 'richiestaMarcaDaBollo.hashDocumento')),
      })),
    );
  }
  const negative = Boolean(p.raw) || mutations.length > 0;
  const line = ctx.step.at.line;
  const e = ctx.resolve(ctx.step.expect ?? {});
  const stated = e.outcome ?? e.faultCode ?? e.soapFault ?? e.httpStatus;
  let checks = expectChecks(e, got, exchanges, stated === undefined && !negative, line);
  if (e.rule) {
    const r = stationRule(e.rule);
    checks = checks.map((c) => ({ ...c, name: `${e.rule}: ${c.name}`, rule: e.rule, ...(r ? { source: r.source } : {}) }));
  }
  // Station suite: the Nodo's registry is the profile's, so a refusal by a rule that reads it may be the
  // profile's fault (an IBAN or a beneficiary EC it does not list): the failed checks say so.
  const refusedBy = exchanges
    .filter((x) => x.party === 'nodo' && typeof x.meta['refusedBy'] === 'string')
    .flatMap((x) => String(x.meta['refusedBy']).split(','));
  const profileHint = ctx.station && refusedBy.length ? nodoRefusalHint(refusedBy, ctx.station.profile) : undefined;
  if (profileHint)
    checks = checks.map((c) =>
      c.passed || !c.mismatch ? c : { ...c, mismatch: { ...c.mismatch, hint: c.mismatch.hint ? `${c.mismatch.hint}. ${profileHint}` : profileHint } },
    );
  // Station suite: when the rule of the step fails (an activation refused), the payment cannot go on;
  // the later steps would only repeat the failure.
  const broken = ctx.station && e.rule ? checks.find((c) => !c.passed) : undefined;
  return {
    kind: 'done',
    value: {
      ...(v ?? {}),
      httpStatus: got.status,
      ...(got.soapFault ? { soapFault: got.soapFault } : {}),
      ...(stampsSent.length ? { stamps: stampsSent } : {}),
    },
    checks,
    ...(broken ? { halt: `${e.rule} failed: ${broken.mismatch?.actual ?? broken.name}` } : {}),
  };
}

export function pspLabel(primitive: PspPrimitive, params: unknown): string {
  const p = (params ?? {}) as PspParams;
  const bits = [p.noticeNumber, p.outcome, p.raw ? 'raw XML' : undefined, p.mutate ? `mutate ${[p.mutate].flat().join('+')}` : undefined].filter(Boolean);
  return bits.length ? `${primitive} ${bits.join(' ')}` : primitive;
}

/**
 * The decoded xmlCatalogoServizi as `{services: [{idServizio, descrizioneServizio, categoria,
 * xsdRiferimento, providers: [{idSoggettoServizio, idDominio, ...}]}]}`, so expectations can
 * read it (`catalogue.services.0.providers.0.idDominio`).
 */
function readCatalogue(b64: string): XmlObject {
  const read = withParsed(Buffer.from(b64, 'base64').toString('utf8'), (p) => elementObject(p.root));
  const list = read.ok ? read.value : ({} as XmlObject);
  const services = asArray(list['catalogoServizi'] as XmlObject | XmlObject[] | undefined).map((svc) => {
    const { elencoSoggettiEroganti, ...rest } = svc;
    return { ...rest, providers: asArray(pick(elencoSoggettiEroganti, 'soggettoErogante') as XmlObject | XmlObject[] | undefined) };
  });
  return { services } as unknown as XmlObject;
}

/** Whether a step sends a deliberately broken request (its own request may be schema-invalid). */
export function isNegativeRequest(params: unknown): boolean {
  const p = (params ?? {}) as PspParams;
  return (
    Boolean(p.raw) ||
    p.mutate !== undefined ||
    (p.omit?.length ?? 0) > 0 ||
    p.fields !== undefined ||
    (p.ccPost !== undefined && !/^[0-9]{12}$/.test(p.ccPost)) ||
    (p.idSoggettoServizio !== undefined && p.idSoggettoServizio.length !== 5)
  );
}
