/**
 * Validates one message element (normally the SOAP Body child) against the schema
 * that declares its QName. Returns Issues, never throws for invalid input.
 */
import { XmlValidateError, type XmlElement } from 'libxml2-wasm';
import { issue, type Issue } from './issue.ts';
import { loadSchemas, qname } from './schemas.ts';

/** Column of the start tag of the element named by `xpath` on `line` (1-based), best effort. */
function columnOf(lines: string[], line: number, xpath: string | undefined): number {
  const text = lines[line - 1];
  if (text === undefined) return 1;
  const last = (xpath ?? '').split('/').pop() ?? '';
  const local = last.replace(/\[\d+\]$/, '').replace(/^.*:/, '');
  if (local && local !== 'text()') {
    const m = new RegExp(`<([\\w.-]+:)?${local.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}[\\s/>]`).exec(text);
    if (m) return m.index + 1;
  }
  const firstNonBlank = text.search(/\S/);
  return firstNonBlank >= 0 ? firstNonBlank + 1 : 1;
}

export function elementQName(el: XmlElement): { ns: string; local: string } {
  return { ns: el.namespaceUri ?? '', local: el.name.replace(/^.*:/, '') };
}

/** Near misses for an unknown element: same local name elsewhere, or case-insensitive matches. */
function suggestions(ns: string, local: string): string[] {
  const set = loadSchemas();
  const out: string[] = [];
  for (const e of set.entries) {
    for (const name of e.elements) {
      const same = name === local;
      const close = name.toLowerCase() === local.toLowerCase() || name.toLowerCase().startsWith(local.toLowerCase().replace(/(req|res|request|response)$/, ''));
      if ((same && e.targetNamespace !== ns) || (!same && close && e.targetNamespace === ns)) out.push(`{${e.targetNamespace}}${name}`);
    }
  }
  return [...new Set(out)].slice(0, 5);
}

export function isKnownElement(ns: string, local: string): boolean {
  return loadSchemas().byQName.has(qname(ns, local));
}

/**
 * Validates `el` (a subtree of a document parsed from `text`). Lines and columns are
 * those of `text`, i.e. relative to the whole envelope when `el` is a Body child.
 */
export function validateElement(el: XmlElement, text: string, source?: string): Issue[] {
  const { ns, local } = elementQName(el);
  const src = source ?? local;
  const entry = loadSchemas().byQName.get(qname(ns, local));
  const path = `/${el.name}`;
  if (!entry) {
    const near = suggestions(ns, local);
    const hint = near.length ? `; expected one of ${near.join(', ')}` : '; no pagoPA schema declares it';
    return [issue('XSD_UNKNOWN_ELEMENT', `Unknown element {${ns}}${local}${hint}`, { path, line: el.line, col: columnOf(text.split('\n'), el.line, local), source: src })];
  }
  try {
    entry.validator.validate(el);
    return [];
  } catch (e) {
    if (!(e instanceof XmlValidateError)) throw e;
    const lines = text.split('\n');
    return e.details.map((d) =>
      issue('XSD_INVALID', d.message.trim(), {
        path: d.xpath ?? path,
        line: d.line,
        col: columnOf(lines, d.line, d.xpath),
        source: src,
      }),
    );
  }
}
