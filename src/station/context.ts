/**
 * What a primitive handler of the reference station receives and returns, plus the
 * checks every handler starts with and the XML shapes they share (subject, metadata).
 */
import type { BuildObject } from '../xml/build.ts';
import type { OperationDef } from '../soap/operations.ts';
import type { SoapMessage } from '../soap/envelope.ts';
import type { XmlObject } from '../xml/read.ts';
import { checkHeader, checkSyntax, faultId, headerOf } from './checks.ts';
import { koBody, type StationFault } from './faults.ts';
import type { Metadata, Position, StationDef, Subject } from './model.ts';
import type { Quote } from './sendPrice.ts';
import type { StationStore } from './store.ts';

export type Meta = Record<string, string | number | boolean | undefined>;

export interface StationEnv {
  station: StationDef;
  store: StationStore;
  now(): Date;
  /** The amount/transfers/metadata to serve now (asks SEND for linked positions). */
  quote(p: Position, operation: string): Promise<Quote>;
}

export interface Answer {
  body: BuildObject;
  notes: string[];
  meta: Meta;
}

export type StationHandler = (env: StationEnv, op: OperationDef, msg: SoapMessage) => Promise<Answer>;

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A KO answer for `fault`, noting the code. */
export function ko(env: StationEnv, op: OperationDef, req: XmlObject, fault: StationFault, meta: Meta = {}, notes: string[] = []): Answer {
  return { body: koBody(op, fault, faultId(env.station, headerOf(req))), notes: [...notes, `${fault.faultCode}: ${fault.description}`], meta };
}

/** Syntax then caller-configuration checks; a KO answer when one fails. */
export function preflight(env: StationEnv, op: OperationDef, msg: SoapMessage, meta: Meta): Answer | undefined {
  const req = msg.bodyChild.value;
  const fault = checkSyntax(msg.issues) ?? checkHeader(env.station, headerOf(req));
  return fault ? ko(env, op, req, fault, meta) : undefined;
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
