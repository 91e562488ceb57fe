/**
 * Validates one message element (normally the SOAP Body child) against the schema
 * that declares its QName. Returns Issues, never throws for invalid input.
 */
import { XmlValidateError, type XmlElement } from 'libxml2-wasm';
import { issue, type Issue } from './issue.ts';
import { findStartTag, indexStartTags, locateXPath } from './locate.ts';
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

/** Edit distance, for near-miss suggestions (names are short). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** `paGetPaymentV2Res` → `pagetpaymentv2`: the operation part of a message name. */
const stem = (name: string) => name.toLowerCase().replace(/(req|res|resp|request|response|risposta)$/, '');

/** Near misses for an unknown element: the same name in another namespace, or a close name in the same one. */
function suggestions(ns: string, local: string): string[] {
  const out: string[] = [];
  for (const e of loadSchemas().entries) {
    for (const name of e.elements) {
      const close = stem(name) === stem(local) || distance(name.toLowerCase(), local.toLowerCase()) <= 2;
      if ((name === local && e.targetNamespace !== ns) || (name !== local && close && e.targetNamespace === ns)) out.push(`{${e.targetNamespace}}${name}`);
    }
  }
  return [...new Set(out)].slice(0, 5);
}

/** libxml2's message, plus the pagoPA rule that explains the most common mistake. */
function explain(message: string): string {
  const qualified = /^Element '\{([^}]*)\}([^']+)': This element is not expected\. Expected is .*\b\2\b/.exec(message);
  if (qualified) {
    return `${message} The children of a pagoPA message are unqualified (no namespace): declare the namespace with a prefix on the wrapper element only, not as a default xmlns="${qualified[1]}".`;
  }
  return message;
}

/**
 * Validates `el` (a subtree of a document parsed from `text`). Lines and columns are
 * those of `text`, i.e. relative to the whole envelope when `el` is a Body child.
 */
export function validateElement(el: XmlElement, text: string, source?: string): Issue[] {
  const { ns, local } = elementQName(el);
  const src = source ?? local;
  const entry = loadSchemas().byQName.get(qname(ns, local));
  const path0 = `/${el.name}`;
  if (!entry) {
    const near = suggestions(ns, local);
    const hint = near.length ? `; expected one of ${near.join(', ')}` : '; no pagoPA schema declares it';
    const at = findStartTag(text, el.line, local);
    return [
      issue('XSD_UNKNOWN_ELEMENT', `Unknown element {${ns}}${local}${hint}`, {
        path: at?.path ?? path0,
        line: el.line,
        col: at?.col ?? columnOf(text.split('\n'), el.line, local),
        source: src,
      }),
    ];
  }
  try {
    entry.validator.validate(el);
    return [];
  } catch (e) {
    if (!(e instanceof XmlValidateError)) throw e;
    const tags = indexStartTags(text);
    const lines = text.split('\n');
    return e.details.map((d) => {
      const at = locateXPath(tags, d.xpath);
      const path = d.xpath && !d.xpath.includes('*') ? d.xpath : (at?.path ?? d.xpath ?? path0);
      return issue('XSD_INVALID', explain(d.message.trim()), {
        path,
        line: at?.line ?? d.line,
        col: at?.col ?? columnOf(lines, d.line, d.xpath),
        source: src,
      });
    });
  }
}
