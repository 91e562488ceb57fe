/**
 * Secrets masked in every control API read-out: values of JSON keys named `password`
 * (registry channels and stations), the text of `<password>` elements in the SOAP
 * messages the journal keeps (nodeForPsp requests carry the channel password), and
 * the value libxml2 quotes when such an element breaks the schema.
 */

export const MASK = '***';

const KEY = /^password$/i;
const ELEMENT = /(<(?:[\w.-]+:)?password\b[^>]*>)([^<]*)(<\/(?:[\w.-]+:)?password\s*>)/gi;
// libxml2: "Element 'password': [facet 'minLength'] The value 'abc' has a length of '3' ..."
const SCHEMA_VALUE = /(Element '(?:\{[^}]*\})?(?:[\w.-]+:)?password':[^\n]*?The value ')([^']*)(')/gi;

/** The text with the content of every `<password>` element (and libxml2's quote of it) replaced by ***. */
export function maskText(text: string): string {
  if (!/password/i.test(text)) return text;
  return text.replace(ELEMENT, (_m, open: string, value: string, close: string) => `${open}${value ? MASK : ''}${close}`).replace(SCHEMA_VALUE, `$1${MASK}$3`);
}

/** A deep copy of a JSON-able value with every secret masked (the value itself is not changed). */
export function maskSecrets(value: unknown): unknown {
  if (typeof value === 'string') return maskText(value);
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object') return value;
  // Dates, Buffers and the like serialise through toJSON: mask what they serialise to.
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return maskSecrets(json.call(value));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = KEY.test(k) && v !== undefined && v !== null && v !== '' ? MASK : maskSecrets(v);
  return out;
}
