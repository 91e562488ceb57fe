/**
 * Hardened XML parsing. Anything that could make the parser touch the file system or
 * the network, or expand entities, is refused before libxml2 sees it: any DOCTYPE
 * (internal subset, external DTD, entity declarations). The parser itself also runs
 * with NONET and without entity substitution, as a second line of defence.
 */
import { ParseOption, XmlDocument, XmlElement, XmlParseError, XmlTreeNode, type XmlNode } from 'libxml2-wasm';
import { decodeXml } from './decode.ts';
import { issue, type Issue } from './issue.ts';

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

const FORBIDDEN = /<!(?:DOCTYPE|ENTITY)/i;

export interface ParsedXml {
  doc: XmlDocument;
  root: XmlElement;
  text: string;
}

export type ParseResult = { ok: true; value: ParsedXml } | { ok: false; issues: Issue[] /** the decoded text, when decoding worked */; text?: string };

// Not NOERROR/NOWARNING: they also drop the details (line, col, reason) of a parse error.
const PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;

/** Decodes an HTTP body to text (BOM, then `contentType` charset, then XML declaration; see decode.ts). */
export function decodeBody(body: Uint8Array | string, contentType?: string): string {
  const d = decodeXml(body, contentType);
  return d.ok ? d.text : typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

function tooLarge(size: number, maxBytes: number): Issue {
  return issue('XML_TOO_LARGE', `Message of ${size} bytes exceeds the limit of ${maxBytes} bytes. Send a smaller message or raise the limit (maxBytes).`, {
    line: 1,
    col: 1,
    path: '/',
  });
}

/** Refuses DTDs and entity declarations before any parsing. Returns the issues found (empty = fine). */
export function checkForbiddenConstructs(text: string, maxBytes = DEFAULT_MAX_BYTES): Issue[] {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: count bytes only when it can matter.
  const size = text.length * 3 > maxBytes ? Buffer.byteLength(text, 'utf8') : text.length;
  if (size > maxBytes) return [tooLarge(size, maxBytes)];
  const at = FORBIDDEN.exec(text);
  if (!at) return [];
  const where = { ...positionOf(text, at.index), path: '/' };
  if (/^<!DOCTYPE/i.test(at[0])) {
    return [
      issue(
        'XML_DTD_FORBIDDEN',
        'DOCTYPE declarations are not allowed (no DTD, no entities: XXE and entity-expansion protection). Remove the <!DOCTYPE ...> declaration.',
        where,
      ),
    ];
  }
  return [
    issue('XML_DTD_FORBIDDEN', 'ENTITY declarations are not allowed (XXE and entity-expansion protection). Remove the <!ENTITY ...> declaration.', where),
  ];
}

/**
 * The UTF-8 bytes of `text` without encoding it in JavaScript (libxml2-wasm's string input does,
 * character by character, about 2% of a station's CPU per message): the bytes that came in when
 * they were valid UTF-8 without a BOM (decodeXml checked them, so they are exactly `text`), or
 * Node's own encoder for a string. Undefined when only the string path is exact: other encodings,
 * or a string with an unpaired surrogate, which Node would turn into U+FFFD where libxml2 must
 * see an error.
 */
function utf8Of(input: Uint8Array | string, text: string, encoding: string): Uint8Array | undefined {
  if (typeof input !== 'string') return encoding === 'UTF-8' && input[0] !== 0xef ? input : undefined;
  return (text as string & { isWellFormed(): boolean }).isWellFormed() ? Buffer.from(text, 'utf8') : undefined;
}

/**
 * Parses text into a libxml2 document. The caller owns `value.doc` and must dispose it
 * (use `withParsed` to have that done automatically).
 */
export function parseXml(input: Uint8Array | string, opts: { maxBytes?: number; contentType?: string; built?: string } = {}): ParseResult {
  if (opts.built !== undefined && typeof input !== 'string') return parseBuilt(input, opts.built, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  const size = typeof input === 'string' ? 0 : input.byteLength;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (size > maxBytes) return { ok: false, issues: [tooLarge(size, maxBytes)] };
  const decoded = decodeXml(input, opts.contentType);
  if (!decoded.ok) return { ok: false, issues: decoded.issues };
  const text = decoded.text;
  if (text.trim() === '')
    return { ok: false, text, issues: [issue('XML_EMPTY', 'The message is empty: expected an XML document', { line: 1, col: 1, path: '/' })] };
  const forbidden = checkForbiddenConstructs(text, maxBytes);
  if (forbidden.length) return { ok: false, text, issues: forbidden };
  if (!text.trimStart().startsWith('<')) {
    return {
      ok: false,
      text,
      issues: [issue('XML_MALFORMED', `Not XML: the message starts with ${JSON.stringify(text.trimStart().slice(0, 20))}`, { line: 1, col: 1 })],
    };
  }
  let doc: XmlDocument;
  try {
    // The text is already decoded: libxml2 gets it as UTF-8 whatever the XML declaration says.
    const utf8 = utf8Of(input, text, decoded.encoding);
    doc = utf8
      ? XmlDocument.fromBuffer(utf8, { option: PARSE_OPTIONS, encoding: 'utf-8' })
      : XmlDocument.fromString(text, { option: PARSE_OPTIONS, encoding: 'utf-8' });
  } catch (e) {
    if (e instanceof XmlParseError && e.details.length) {
      const d = e.details[0]!;
      return { ok: false, text, issues: [issue('XML_MALFORMED', `Malformed XML: ${d.message.trim()}`, { line: d.line, col: d.col || 1 })] };
    }
    return { ok: false, text, issues: [issue('XML_MALFORMED', `Malformed XML: ${(e as Error).message.trim()}`)] };
  }
  return { ok: true, value: { doc, root: doc.root, text } };
}

/**
 * Our own message: `bytes` are `text` in UTF-8 (Buffer.from(text)), `text` made by buildXml and
 * wrap, whose values are escaped (no markup, no DOCTYPE, no character XML forbids can come from
 * them). Decoding and the forbidden-construct scan are for what others send; libxml2 still parses
 * the bytes with the same options, and a malformed one is the same issue.
 */
function parseBuilt(bytes: Uint8Array, text: string, maxBytes: number): ParseResult {
  if (bytes.byteLength > maxBytes) return { ok: false, text, issues: [tooLarge(bytes.byteLength, maxBytes)] };
  try {
    const doc = XmlDocument.fromBuffer(bytes, { option: PARSE_OPTIONS, encoding: 'utf-8' });
    return { ok: true, value: { doc, root: doc.root, text } };
  } catch (e) {
    const d = e instanceof XmlParseError ? e.details[0] : undefined;
    const why = (d?.message ?? (e as Error).message).trim();
    return { ok: false, text, issues: [issue('XML_MALFORMED', `Malformed XML: ${why}`, d ? { line: d.line, col: d.col || 1 } : {})] };
  }
}

/** Parses, runs `fn` on the result, then disposes the document whatever happens. */
export function withParsed<T>(
  input: Uint8Array | string,
  fn: (p: ParsedXml) => T,
  opts: { maxBytes?: number; contentType?: string } = {},
): { ok: true; value: T } | { ok: false; issues: Issue[] } {
  const parsed = parseXml(input, opts);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, value: fn(parsed.value) };
  } finally {
    parsed.value.doc.dispose();
  }
}

// libxml2-wasm gives `next` to tree nodes only, not to processing instructions: read it
// through the tree-node getter (it only follows the node's own `next` pointer), or a
// processing instruction would hide every sibling after it.
const nextGetter = Object.getOwnPropertyDescriptor(XmlTreeNode.prototype, 'next')!.get!;

/** The next sibling of any child node (element, text, CDATA, comment, processing instruction). */
export function nextSibling(node: XmlNode): XmlNode | null {
  return nextGetter.call(node) as XmlNode | null;
}

/** Iterates element children of an element. */
export function* childElements(el: XmlElement): Generator<XmlElement> {
  for (let c: XmlNode | null = el.firstChild; c; c = nextSibling(c)) {
    if (c instanceof XmlElement) yield c;
  }
}

/** The element children of an element, as an array (cheaper than the generator on the hot path). */
export function elementChildren(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let c: XmlNode | null = el.firstChild; c; c = nextSibling(c)) {
    if (c instanceof XmlElement) out.push(c);
  }
  return out;
}
