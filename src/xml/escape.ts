/**
 * Text that goes into XML. Besides the markup characters, XML 1.0 forbids most C0 control
 * characters, U+FFFE, U+FFFF and unpaired surrogates anywhere in a document (§2.2): copying
 * them from a request (a SOAPAction, a field value) into an answer would make the answer
 * not well-formed. They are written as a visible `\uXXXX` instead.
 */

// Allowed: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] (surrogate pairs).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 cannot carry
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** `s` with every character XML 1.0 forbids written as `\uXXXX`. */
export function xmlChars(s: string): string {
  NOT_XML_CHAR.lastIndex = 0;
  return NOT_XML_CHAR.test(s) ? s.replace(NOT_XML_CHAR, hex) : s;
}

/** Escaped character data: `&`, `<`, `>` and the characters XML forbids. */
const MARKUP = /[&<>]/;

export function xmlText(s: string): string {
  const t = xmlChars(s);
  return MARKUP.test(t) ? t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : t;
}

/** Escaped attribute value (for double- or single-quoted attributes). */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * At most `max` UTF-16 code units of `s`, never cutting a surrogate pair in two (a cut
 * emoji would leave an unpaired surrogate, which no XML document may contain).
 */
export function truncateText(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end);
}
