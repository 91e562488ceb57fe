/**
 * Hardened XML parsing. Anything that could make the parser touch the file system or
 * the network, or expand entities, is refused before libxml2 sees it: any DOCTYPE
 * (internal subset, external DTD, entity declarations). The parser itself also runs
 * with NONET and without entity substitution, as a second line of defence.
 */
import { ParseOption, XmlDocument, XmlParseError, type XmlElement } from 'libxml2-wasm';
import { issue, type Issue } from './issue.ts';

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

const FORBIDDEN = /<!(?:DOCTYPE|ENTITY)/i;

export interface ParsedXml {
  doc: XmlDocument;
  root: XmlElement;
  text: string;
}

export type ParseResult = { ok: true; value: ParsedXml } | { ok: false; issues: Issue[] };

// Not NOERROR/NOWARNING: they also drop the details (line, col, reason) of a parse error.
const PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;

/** Decodes an HTTP body to text; BOMs are honoured (UTF-8, UTF-16 LE/BE). */
export function decodeBody(body: Uint8Array | string): string {
  if (typeof body === 'string') return body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return new TextDecoder('utf-16le').decode(body.subarray(2));
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return new TextDecoder('utf-16be').decode(body.subarray(2));
  const text = new TextDecoder('utf-8').decode(body);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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

/** Refuses DTDs and entity declarations before any parsing. Returns the issues found (empty = fine). */
export function checkForbiddenConstructs(text: string, maxBytes = DEFAULT_MAX_BYTES): Issue[] {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: count bytes only when it can matter.
  const size = text.length * 3 > maxBytes ? Buffer.byteLength(text, 'utf8') : text.length;
  if (size > maxBytes) {
    return [issue('XML_TOO_LARGE', `Message of ${size} bytes exceeds the limit of ${maxBytes} bytes. Send a smaller message or raise the limit (maxBytes).`, { line: 1, col: 1, path: '/' })];
  }
  const at = FORBIDDEN.exec(text);
  if (!at) return [];
  const where = { ...positionOf(text, at.index), path: '/' };
  if (/^<!DOCTYPE/i.test(at[0])) {
    return [issue('XML_DTD_FORBIDDEN', 'DOCTYPE declarations are not allowed (no DTD, no entities: XXE and entity-expansion protection). Remove the <!DOCTYPE ...> declaration.', where)];
  }
  return [issue('XML_DTD_FORBIDDEN', 'ENTITY declarations are not allowed (XXE and entity-expansion protection). Remove the <!ENTITY ...> declaration.', where)];
}

/**
 * Parses text into a libxml2 document. The caller owns `value.doc` and must dispose it
 * (use `withParsed` to have that done automatically).
 */
export function parseXml(input: Uint8Array | string, opts: { maxBytes?: number } = {}): ParseResult {
  const text = decodeBody(input);
  if (text.trim() === '') return { ok: false, issues: [issue('XML_EMPTY', 'The message is empty: expected an XML document', { line: 1, col: 1, path: '/' })] };
  const forbidden = checkForbiddenConstructs(text, opts.maxBytes);
  if (forbidden.length) return { ok: false, issues: forbidden };
  if (!text.trimStart().startsWith('<')) {
    return { ok: false, issues: [issue('XML_MALFORMED', `Not XML: the message starts with ${JSON.stringify(text.trimStart().slice(0, 20))}`, { line: 1, col: 1 })] };
  }
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(text, { option: PARSE_OPTIONS });
  } catch (e) {
    if (e instanceof XmlParseError && e.details.length) {
      const d = e.details[0]!;
      return { ok: false, issues: [issue('XML_MALFORMED', `Malformed XML: ${d.message.trim()}`, { line: d.line, col: d.col || 1 })] };
    }
    return { ok: false, issues: [issue('XML_MALFORMED', `Malformed XML: ${(e as Error).message.trim()}`)] };
  }
  return { ok: true, value: { doc, root: doc.root, text } };
}

/** Parses, runs `fn` on the result, then disposes the document whatever happens. */
export function withParsed<T>(input: Uint8Array | string, fn: (p: ParsedXml) => T, opts: { maxBytes?: number } = {}): { ok: true; value: T } | { ok: false; issues: Issue[] } {
  const parsed = parseXml(input, opts);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, value: fn(parsed.value) };
  } finally {
    parsed.value.doc.dispose();
  }
}

/** Iterates element children of an element. */
export function* childElements(el: XmlElement): Generator<XmlElement> {
  for (let c = el.firstChild; c; c = c.next) {
    if ((c as { constructor: { name: string } }).constructor.name === 'XmlElement') yield c as XmlElement;
  }
}
