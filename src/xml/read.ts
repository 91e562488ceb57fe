/**
 * XML → plain object for handlers and expectations. Element values stay strings
 * (amounts such as "10.00" must not become numbers); namespace prefixes are dropped;
 * the elements that can repeat in pagoPA messages are always arrays.
 */
import { XMLParser } from 'fast-xml-parser';

export const REPEATED_ELEMENTS = new Set([
  'transfer',
  'mapEntry',
  'paymentOptionDescription',
  'marcaDaBollo',
  'payment',
  'idRendicontazione',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name, jpath) => (name === 'paymentToken' ? String(jpath).endsWith('paymentTokens.paymentToken') : REPEATED_ELEMENTS.has(name)),
});

export type XmlObject = { [k: string]: XmlValue };
export type XmlValue = string | XmlObject | XmlValue[];

/** Parses already-checked XML text into an object (call only after parseXml succeeded). */
export function xmlToObject(text: string): XmlObject {
  return parser.parse(text) as XmlObject;
}

/** Reads a dotted path (`data.transferList.transfer.0.IBAN`) from an object. */
export function pick(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.').filter(Boolean)) {
    if (cur === undefined || cur === null) return undefined;
    if (Array.isArray(cur) && !/^\d+$/.test(part)) cur = cur[0];
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Text of an element value: '' for empty elements, undefined when absent. */
export function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0) return '';
  return undefined;
}

export function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined || v === null || (v as unknown) === '') return [];
  return Array.isArray(v) ? v : [v];
}
