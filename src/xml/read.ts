/**
 * The validated libxml2 document → plain object for handlers and expectations, so that
 * what handlers read is exactly what the XSD validated (one parse per message). Element
 * values stay strings exactly as libxml2 decoded them (character references and the
 * predefined entities decoded, CDATA kept, comments and processing instructions ignored,
 * never trimmed: amounts such as "10.00" must not become numbers, and " " is a value);
 * namespace prefixes and attributes are dropped; the elements that can repeat in pagoPA
 * messages are always arrays, other repeated siblings become arrays from the second one.
 * Objects have no prototype: an element named `constructor` or `__proto__` is just a key.
 */
import type { XmlElement } from 'libxml2-wasm';
import {
  CDATA_SECTION_NODE,
  contentIsBlank,
  ELEMENT_NODE,
  firstChild,
  nextNode,
  nodeContent,
  nodeName,
  nodeType,
  pointerOf,
  refreshMemory,
  TEXT_NODE,
} from './nodeStructs.ts';

export const REPEATED_ELEMENTS = new Set(['transfer', 'mapEntry', 'paymentOptionDescription', 'marcaDaBollo', 'payment', 'idRendicontazione']);

export type XmlObject = { [k: string]: XmlValue };
export type XmlValue = string | XmlObject | XmlValue[];

/** The text content of a value, like XPath's string-value: an element's text and its descendants' text. */
function stringValue(v: XmlValue): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(stringValue).join('');
  let out = '';
  for (const k of Object.keys(v)) out += stringValue(v[k]!);
  return out;
}

const AS_PRIMITIVE: PropertyDescriptor = {
  value(this: XmlObject) {
    return stringValue(this);
  },
};

/**
 * An empty object without prototype, the kind every reader returns. Its only own
 * non-enumerable property is `Symbol.toPrimitive`: an element read as a string (String(),
 * a template, join) gives its text content (its own text after its children's) instead of throwing "Cannot convert object to
 * primitive value", so a handler meeting children where a schema-invalid request should
 * have had text never crashes. No string key is inherited or reserved.
 */
export function emptyXmlObject(): XmlObject {
  // (defineProperty after create(null): 2.5 times faster than create(null, descriptors), same object)
  const o = Object.create(null) as XmlObject;
  Object.defineProperty(o, Symbol.toPrimitive, AS_PRIMITIVE);
  return o;
}

const alwaysArray = (name: string, parent: string): boolean => REPEATED_ELEMENTS.has(name) || (name === 'paymentToken' && parent === 'paymentTokens');

/**
 * The value of one element: its text when it has no element children ('' when empty),
 * else an object of its children (plus `#text` when it also holds non-blank text). Walks
 * libxml2's nodes by pointer (nodeStructs.ts): no wrapper object per node, and the blank text
 * between elements is never made into a string.
 */
function valueAt(p: number): XmlValue {
  let obj: XmlObject | undefined;
  let parentName: string | undefined;
  // Text nodes, decoded only when they count: all of them for a text-only element, and for an
  // element with children only when one of them is not blank (then `#text`, as before).
  let firstText = 0;
  let moreText: number[] | undefined;
  let blank = true;
  for (let c = firstChild(p); c !== 0; c = nextNode(c)) {
    const type = nodeType(c);
    if (type === ELEMENT_NODE) {
      obj ??= emptyXmlObject();
      const name = nodeName(c);
      const value = valueAt(c);
      const prev = obj[name];
      if (prev === undefined) {
        parentName ??= nodeName(p);
        obj[name] = alwaysArray(name, parentName) ? [value] : value;
      } else if (Array.isArray(prev)) {
        // An element's own value is never an array: an array here is the list of its same-named siblings.
        prev.push(value);
      } else {
        obj[name] = [prev, value];
      }
    } else if (type === TEXT_NODE || type === CDATA_SECTION_NODE) {
      if (firstText === 0) firstText = c;
      else if (moreText) moreText.push(c);
      else moreText = [c];
      if (blank && !contentIsBlank(c)) blank = false;
    }
  }
  if (obj && blank) return obj;
  let text = firstText === 0 ? '' : nodeContent(firstText);
  if (moreText) for (const t of moreText) text += nodeContent(t);
  if (!obj) return text;
  // Blank node by node but not as a whole is impossible: trim's whitespace is per character.
  obj['#text'] = text;
  return obj;
}

/**
 * The value of one element: its text when it has no element children ('' when empty),
 * else an object of its children (plus `#text` when it also holds non-blank text).
 */
export function elementValue(el: XmlElement): XmlValue {
  const p = pointerOf(el);
  refreshMemory(p);
  return valueAt(p);
}

/** The children of the element at `p` as an object (an element with text only or nothing gives an empty object). */
export function elementObjectAt(p: number): XmlObject {
  refreshMemory(p);
  const v = valueAt(p);
  return typeof v === 'object' && !Array.isArray(v) ? v : emptyXmlObject();
}

/** The children of `el` as an object (an element with text only or nothing gives an empty object). */
export function elementObject(el: XmlElement): XmlObject {
  return elementObjectAt(pointerOf(el));
}

/** Reads a dotted path (`data.transferList.transfer.0.IBAN`) from an object. */
export function pick(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.').filter(Boolean)) {
    if (cur === undefined || cur === null) return undefined;
    if (Array.isArray(cur) && !/^\d+$/.test(part)) cur = cur[0];
    if (cur === undefined || cur === null || typeof cur !== 'object') return undefined;
    if (!Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Text of an element value: '' for empty elements, undefined when absent or not text. */
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
