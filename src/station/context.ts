/**
 * What a primitive handler of the reference station receives and returns, plus the
 * checks every handler starts with and the XML shapes they share (subject, metadata).
 */
import type { BuildObject } from '../xml/index.ts';
import type { OperationDef } from '../soap/index.ts';
import type { SoapMessage } from '../soap/index.ts';
import type { XmlObject } from '../xml/index.ts';
import { checkHeader, checkPositionState, checkSyntax, faultId, headerOf } from './checks.ts';
import { has, madeUpPosition, type DefectSet } from './defects.ts';
import { koBody, type StationFault } from './faults.ts';
import { formatCents, type Metadata, type Position, type StationDef, type Subject } from './model.ts';
import type { Quote } from './sendPrice.ts';
import { findPosition, type StationStore } from './store.ts';

export type Meta = Record<string, string | number | boolean | undefined>;

export interface StationEnv {
  station: StationDef;
  store: StationStore;
  now(): Date;
  /** The amount/transfers/metadata to serve now (asks SEND for linked positions). */
  quote(p: Position, operation: string): Promise<Quote>;
  /** Defects switched on (defects.ts): the reference station made wrong on purpose. */
  defects: DefectSet;
}

export interface Answer {
  body: BuildObject;
  notes: string[];
  meta: Meta;
}

export type StationHandler = (env: StationEnv, op: OperationDef, msg: SoapMessage) => Promise<Answer>;

/** The journal meta of an answer with a quote: the request's meta, the amount and the SEND fee when there is one (no spreads: every answer pays them). */
export function quotedMeta(meta: { noticeNumber: string; idPA: string; idStation: string }, q: Quote): Meta {
  const m: Meta = { noticeNumber: meta.noticeNumber, idPA: meta.idPA, idStation: meta.idStation, amount: formatCents(q.amountCents) };
  if (q.feeCents !== undefined) m['notificationFee'] = q.feeCents;
  return m;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A KO answer for `fault`, noting the code. */
export function ko(env: StationEnv, op: OperationDef, req: XmlObject, fault: StationFault, meta: Meta = {}, notes: string[] = []): Answer {
  return { body: koBody(op, fault, faultId(env.station, headerOf(req))), notes: [...notes, `${fault.faultCode}: ${fault.description}`], meta };
}

/** Syntax then caller-configuration checks; a KO answer when one fails. */
export function preflight(env: StationEnv, op: OperationDef, msg: SoapMessage, meta: Meta): Answer | undefined {
  const req = msg.bodyChild.value;
  const syntax = has(env.defects, 'accepts-any-receipt') && op.name.startsWith('paSendRT') ? undefined : checkSyntax(msg.issues);
  const ignore = {
    idPA: has(env.defects, 'ignores-idpa'),
    idBrokerPA: has(env.defects, 'ignores-idbrokerpa'),
    idStation: has(env.defects, 'ignores-idstation'),
  };
  const fault = syntax ?? checkHeader(env.station, headerOf(req), ignore);
  return fault ? ko(env, op, req, fault, meta) : undefined;
}

/** A position of the EC, the model of made-up data (stops at the first: positions are read lazily). */
function firstOfEc(env: StationEnv, fiscalCode: string): Position | undefined {
  for (const p of env.store.positions.values()) if (p.fiscalCode === fiscalCode) return p;
  return undefined;
}

/** The position a verify or paGetPayment is about, or the KO its state calls for (a broken station may differ: defects.ts). */
export function positionFor(
  env: StationEnv,
  fiscalCode: string,
  noticeNumber: string,
): { p: Position; fault?: undefined } | { p?: undefined; fault: StationFault } {
  let p = findPosition(env.store, env.station.idStation, fiscalCode, noticeNumber);
  if (!p && has(env.defects, 'unknown-notice-ok')) p = madeUpPosition(fiscalCode, noticeNumber, firstOfEc(env, fiscalCode));
  const fault = checkPositionState(p, fiscalCode, noticeNumber, { paidIsPayable: has(env.defects, 'paid-still-payable') });
  return fault || !p ? { fault: fault! } : { p };
}

export function subjectXml(s: Subject): BuildObject {
  return {
    uniqueIdentifier: { entityUniqueIdentifierType: s.type, entityUniqueIdentifierValue: s.id },
    fullName: s.fullName,
    streetName: s.streetName,
    civicNumber: s.civicNumber,
    postalCode: s.postalCode,
    city: s.city,
    stateProvinceRegion: s.stateProvinceRegion,
    country: s.country,
    'e-mail': s.email,
  };
}

export function metadataXml(m: Metadata): BuildObject | undefined {
  return m.length ? { mapEntry: m.slice(0, 15).map((e) => ({ key: e.key, value: e.value })) } : undefined;
}

/** qrCode.fiscalCode / qrCode.noticeNumber of a request. */
export function qrCodeOf(req: XmlObject): { fiscalCode?: string; noticeNumber?: string } {
  const q = (req['qrCode'] ?? {}) as XmlObject;
  return { fiscalCode: str(q['fiscalCode']), noticeNumber: str(q['noticeNumber']) };
}
