/**
 * Bytes of an XML message → text, in the encoding the message says it is in. Which
 * declaration wins follows RFC 7303 §3.2 (XML media types): a byte order mark first, then
 * the charset of the HTTP Content-Type, then the encoding of the XML declaration, else
 * UTF-8 (XML 1.0 §4.3.3, Appendix F). Bytes that are not valid in that encoding are an
 * issue, never silently replaced by U+FFFD.
 */
import { isUtf8 } from 'node:buffer';
import { issue, type Issue } from './issue.ts';

export type DecodeResult = { ok: true; text: string; encoding: string } | { ok: false; issues: Issue[] };

/** One decoder for every message (decode() without `stream` keeps no state between calls). */
const UTF8 = new TextDecoder('utf-8');
const LATIN1 = new Set(['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'latin-1', 'l1', 'cp819', 'ibm819', 'iso-ir-100', 'csisolatin1']);
const ASCII = new Set(['us-ascii', 'ascii', 'iso646-us', 'ansi_x3.4-1968', 'us']);

/** The charset parameter of a Content-Type, lower-cased, if any. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(contentType ?? '');
  const v = (m?.[1] ?? m?.[2])?.trim().toLowerCase();
  return v || undefined;
}

/** The encoding named by the XML declaration (read through an ASCII-compatible or UTF-16 view), lower-cased. */
function declaredEncoding(head: string): string | undefined {
  const m = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(head);
  const v = (m?.[1] ?? m?.[2])?.trim().toLowerCase();
  return v || undefined;
}

/** Byte offset of the first byte that is not valid UTF-8 (call only when `isUtf8` said no). */
function invalidUtf8At(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0 || i + n >= b.length) return i;
    for (let k = 1; k <= n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    const second = b[i + 1]!;
    if ((c === 0xe0 && second < 0xa0) || (c === 0xed && second > 0x9f) || (c === 0xf0 && second < 0x90) || (c === 0xf4 && second > 0x8f)) return i;
    i += n + 1;
  }
  return 0;
}

function bad(code: string, message: string, bytes?: Uint8Array, at = 0): DecodeResult {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; bytes && i < at; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { ok: false, issues: [issue(code, message, { line, col: at - lineStart + 1, path: '/' })] };
}

function decodeAs(bytes: Uint8Array, encoding: string, why: string): DecodeResult {
  if (encoding === 'utf-8' || encoding === 'utf8') {
    if (!isUtf8(bytes)) {
      const at = invalidUtf8At(bytes);
      return bad(
        'XML_ENCODING_INVALID',
        `Failed to decode the message as UTF-8 (${why}): byte ${at} (0x${bytes[at]!.toString(16).padStart(2, '0')}) is not valid UTF-8. Send UTF-8, or declare the encoding the message is written in (Content-Type charset or <?xml ... encoding="..."?>).`,
        bytes,
        at,
      );
    }
    return { ok: true, text: UTF8.decode(bytes), encoding: 'UTF-8' };
  }
  if (LATIN1.has(encoding)) return { ok: true, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), encoding: 'ISO-8859-1' };
  if (ASCII.has(encoding)) {
    const at = bytes.findIndex((b) => b > 0x7f);
    if (at >= 0)
      return bad(
        'XML_ENCODING_INVALID',
        `Failed to decode the message as US-ASCII (${why}): byte ${at} (0x${bytes[at]!.toString(16)}) is not ASCII. Declare the encoding the message is written in.`,
        bytes,
        at,
      );
    return { ok: true, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), encoding: 'US-ASCII' };
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding === 'utf-16' ? 'utf-16le' : encoding, { fatal: true });
  } catch {
    return bad(
      'XML_ENCODING_UNSUPPORTED',
      `Failed to decode the message: encoding '${encoding}' (${why}) is not supported. Send UTF-8 (or UTF-16, ISO-8859-1).`,
    );
  }
  try {
    return { ok: true, text: decoder.decode(bytes), encoding: decoder.encoding.toUpperCase() };
  } catch {
    return bad(
      'XML_ENCODING_INVALID',
      `Failed to decode the message as ${encoding} (${why}): it contains bytes that are not valid in that encoding. Declare the encoding the message is written in.`,
    );
  }
}

/**
 * Decodes an HTTP body to text. A string is already text (only a leading BOM is dropped).
 * `contentType` is the HTTP header, when there is one.
 */
export function decodeXml(body: Uint8Array | string, contentType?: string): DecodeResult {
  if (typeof body === 'string') return { ok: true, text: body.charCodeAt(0) === 0xfeff ? body.slice(1) : body, encoding: 'UTF-16' };
  const b = body;
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return decodeAs(b.subarray(3), 'utf-8', 'byte order mark');
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return decodeAs(b.subarray(2), 'utf-16le', 'byte order mark');
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return decodeAs(b.subarray(2), 'utf-16be', 'byte order mark');
  const charset = charsetOf(contentType);
  if (charset) {
    if (charset === 'utf-16') return decodeAs(b, b[0] === 0 ? 'utf-16be' : 'utf-16le', 'Content-Type charset');
    return decodeAs(b, charset, 'Content-Type charset');
  }
  // No BOM, no charset: UTF-16 without a BOM shows itself by its zero bytes around '<'.
  if (b.length >= 4 && b[0] === 0x3c && b[1] === 0 && b[2] !== 0 && b[3] === 0) return decodeAs(b, 'utf-16le', 'byte pattern of "<" in UTF-16LE');
  if (b.length >= 4 && b[0] === 0 && b[1] === 0x3c && b[2] === 0 && b[3] !== 0) return decodeAs(b, 'utf-16be', 'byte pattern of "<" in UTF-16BE');
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(b.byteLength, 256)).toString('latin1');
  const declared = declaredEncoding(head);
  if (declared && declared !== 'utf-8' && declared !== 'utf8') {
    if (declared.startsWith('utf-16'))
      return bad(
        'XML_ENCODING_INVALID',
        `Failed to decode the message: the XML declaration says ${declared} but the bytes are not UTF-16 (no byte order mark, "<?xml" in single bytes). Declare the encoding the message is written in.`,
      );
    return decodeAs(b, declared, 'XML declaration');
  }
  return decodeAs(b, 'utf-8', declared ? 'XML declaration' : 'no BOM, charset or declared encoding: UTF-8 by default');
}
