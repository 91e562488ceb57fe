/**
 * The reader as it was written over libxml2-wasm's public node API (a wrapper object per node),
 * kept as the reference the pointer-walking reader of src/xml/read.ts must agree with
 * (test/xml/nodeStructs.test.ts).
 */
import { XmlCData, XmlElement, XmlText, type XmlNode } from 'libxml2-wasm';
import { nextSibling } from '../../src/xml/parse.ts';
import { emptyXmlObject, REPEATED_ELEMENTS, type XmlObject, type XmlValue } from '../../src/xml/read.ts';

const alwaysArray = (name: string, parent: string): boolean => REPEATED_ELEMENTS.has(name) || (name === 'paymentToken' && parent === 'paymentTokens');

export function wrapperElementValue(el: XmlElement): XmlValue {
  let obj: XmlObject | undefined;
  let text = '';
  for (let c: XmlNode | null = el.firstChild; c; c = nextSibling(c)) {
    if (c instanceof XmlElement) {
      obj ??= emptyXmlObject();
      const name = c.name;
      const value = wrapperElementValue(c);
      const prev = obj[name];
      if (prev === undefined) obj[name] = alwaysArray(name, el.name) ? [value] : value;
      else if (Array.isArray(prev)) prev.push(value);
      else obj[name] = [prev, value];
    } else if (c instanceof XmlText || c instanceof XmlCData) {
      text += c.content;
    }
  }
  if (!obj) return text;
  if (text.trim() !== '') obj['#text'] = text;
  return obj;
}
