/**
 * Typed object → XML. Key order is element order, so callers list fields in schema
 * order; `undefined` and `null` fields are omitted; arrays repeat the element. Keys with the
 * `@_` prefix are attributes (only namespace declarations in practice); `#text` is text
 * content. Every value is escaped, and characters XML forbids are written as `\uXXXX`
 * (escape.ts), so what a request carried can never make an answer not well-formed.
 */
import { xmlAttr, xmlText } from './escape.ts';

export type BuildValue = string | number | boolean | undefined | null | BuildObject | BuildValue[];
export interface BuildObject {
  [key: string]: BuildValue;
}

const INDENT = '  ';

const scalar = (v: BuildValue): string => (typeof v === 'string' ? v : String(v));

function element(name: string, v: BuildValue, depth: number, out: string[]): void {
  if (v === undefined || v === null) return;
  if (Array.isArray(v)) {
    for (const item of v) element(name, item, depth, out);
    return;
  }
  const pad = INDENT.repeat(depth);
  if (typeof v !== 'object') {
    out.push(`${pad}<${name}>${xmlText(scalar(v))}</${name}>`);
    return;
  }
  let attrs = '';
  let text = '';
  const children: [string, BuildValue][] = [];
  for (const key of Object.keys(v)) {
    const c = v[key];
    if (c === undefined || c === null) continue;
    if (key.startsWith('@_')) attrs += ` ${key.slice(2)}="${xmlAttr(scalar(c as BuildValue))}"`;
    else if (key === '#text') text += xmlText(scalar(c as BuildValue));
    else children.push([key, c]);
  }
  if (!children.length) {
    out.push(`${pad}<${name}${attrs}>${text}</${name}>`);
    return;
  }
  out.push(`${pad}<${name}${attrs}>${text}`);
  for (const [k, c] of children) element(k, c, depth + 1, out);
  out.push(`${pad}</${name}>`);
}

/**
 * Serialises `{ 'prefix:name': {...} }` to indented XML text (no XML declaration), each line
 * indented `depth` levels more (a Body child in an envelope: 2), values never re-indented.
 */
export function buildXml(obj: BuildObject, depth = 0): string {
  const out: string[] = [];
  for (const key of Object.keys(obj)) element(key, obj[key], depth, out);
  return out.join('\n');
}
