/**
 * The digital stamps of a sendPaymentOutcomeV2 (details/marcheDaBollo/marcaDaBollo, docs/primitives.md
 * §6.5, §15): the Nodo decodes each MBDAttachment and validates it as a `marcaDaBollo` document
 * against MarcaDaBollo.xsd (with the XML-DSig schema it imports). Anything missing, emptied,
 * moved or of the wrong type anywhere in it is a syntax error, PPT_SINTASSI_XSD (issue 14 item 2,
 * the real Nodo's behaviour). The signature itself is not verified.
 */
import { decodeBase64Document, shippedDocumentSchema, validateDocument } from '../xml/index.ts';
import { formatIssue } from '../xml/index.ts';
import { asArray, pick, type XmlObject } from '../xml/index.ts';

export type StampCheck = { ok: true; count: number } | { ok: false; why: string; serial: number; notes: string[] };

/** Checks every stamp of `details` (the request's details element); the first bad one decides. */
export function checkStamps(details: unknown): StampCheck {
  const stamps = asArray(pick(details, 'marcheDaBollo.marcaDaBollo') as XmlObject | XmlObject[] | undefined);
  const schema = shippedDocumentSchema('MarcaDaBollo.xsd');
  for (const [i, st] of stamps.entries()) {
    const where = `details/marcheDaBollo/marcaDaBollo[${i + 1}] (paymentToken ${String(st['paymentToken'] ?? '')}, idTransfer ${String(st['idTransfer'] ?? '')})`;
    const text = decodeBase64Document(String(st['MBDAttachment'] ?? ''));
    if (text === undefined) return { ok: false, why: `${where}: MBDAttachment is not base64`, serial: i + 1, notes: [] };
    const issues = validateDocument(text, schema, `marcaDaBollo[${i + 1}]`);
    if (issues.length) {
      const first = issues[0]!;
      const why = `${where}: MBDAttachment is not a valid marcaDaBollo (MarcaDaBollo.xsd): ${first.path || '/'} (line ${first.line}:${first.col} of the decoded document): ${first.message}`;
      return { ok: false, why, serial: i + 1, notes: issues.slice(1).map((x) => `stamp ${i + 1}: ${formatIssue(x)}`) };
    }
  }
  return { ok: true, count: stamps.length };
}
