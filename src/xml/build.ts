/**
 * Typed object → XML. Key order is element order, so callers list fields in schema
 * order; `undefined` fields are omitted; arrays repeat the element. Attributes use
 * the `@_` prefix (only namespace declarations in practice).
 */
import { XMLBuilder } from 'fast-xml-parser';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: false,
  processEntities: true,
});

export type BuildValue = string | number | boolean | undefined | null | BuildObject | BuildValue[];
export interface BuildObject {
  [key: string]: BuildValue;
}

function prune(v: BuildValue): BuildValue {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined && x !== null).map(prune);
  if (v && typeof v === 'object') {
    const out: BuildObject = {};
    for (const [k, val] of Object.entries(v)) if (val !== undefined && val !== null) out[k] = prune(val);
    return out;
  }
  return v;
}

/** Serialises `{ 'prefix:name': {...} }` to XML text (no XML declaration). */
export function buildXml(obj: BuildObject): string {
  return (builder.build(prune(obj)) as string).trim();
}
