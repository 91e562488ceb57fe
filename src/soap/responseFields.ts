/**
 * The outcome and fault code of an answer, for the journal: read from its text (answers sent as
 * they are) or, for the answers we build, from the build object they are built from (issue 19:
 * three regular expressions over every answer cost the station more than reading the object).
 * Both give the same: the first `<outcome>` holding OK or KO, the first `<faultCode>` (else
 * `<faultcode>`) holding one word (test/soap/responseFields.test.ts compares them).
 */
import { xmlText, type BuildObject, type BuildValue } from '../xml/index.ts';

export interface ResponseFields {
  outcome?: string;
  faultCode?: string;
}

const OUTCOME_TEXT = /<outcome>\s*(OK|KO)\s*<\/outcome>/;
const FAULT_CODE_TEXT = /<faultCode>\s*([^<\s]+)\s*<\/faultCode>/;
const FAULTCODE_TEXT = /<faultcode>\s*([^<\s]+)\s*<\/faultcode>/;

/** From the text of an answer. */
export function responseFields(xml: string): ResponseFields {
  const outcome = OUTCOME_TEXT.exec(xml)?.[1];
  const faultCode = FAULT_CODE_TEXT.exec(xml)?.[1] ?? FAULTCODE_TEXT.exec(xml)?.[1];
  return fieldsOf(outcome, faultCode);
}

/** Only the fields found (no spreads: this runs for every answer). */
function fieldsOf(outcome: string | undefined, faultCode: string | undefined): ResponseFields {
  const f: ResponseFields = {};
  if (outcome) f.outcome = outcome;
  if (faultCode) f.faultCode = faultCode;
  return f;
}

const OUTCOME = /^\s*(OK|KO)\s*$/;
const WORD = /^\s*([^<\s]+)\s*$/;

/** The text buildXml writes inside an element without attributes or children, or undefined. */
function plainText(v: BuildValue): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object') return xmlText(typeof v === 'string' ? v : String(v));
  if (Array.isArray(v)) return undefined;
  let text = '';
  for (const k of Object.keys(v)) {
    const c = v[k];
    if (c === undefined || c === null) continue;
    if (k !== '#text') return undefined;
    text += xmlText(typeof c === 'string' ? c : String(c));
  }
  return text;
}

/** From the build object of an answer (what buildXml would write, in the same document order). */
export function builtResponseFields(body: BuildObject): ResponseFields {
  let outcome: string | undefined;
  let faultCode: string | undefined;
  let faultcode: string | undefined;
  const visit = (name: string, v: BuildValue): void => {
    if (v === undefined || v === null) return;
    if (Array.isArray(v)) {
      for (const item of v) visit(name, item);
      return;
    }
    if (name === 'outcome' || name === 'faultCode' || name === 'faultcode') {
      const t = plainText(v);
      if (t !== undefined) {
        if (name === 'outcome') outcome ??= OUTCOME.exec(t)?.[1];
        else if (name === 'faultCode') faultCode ??= WORD.exec(t)?.[1];
        else faultcode ??= WORD.exec(t)?.[1];
      }
    }
    if (typeof v === 'object') for (const k of Object.keys(v)) if (!k.startsWith('@_') && k !== '#text') visit(k, v[k]);
  };
  for (const k of Object.keys(body)) visit(k, body[k]);
  return fieldsOf(outcome, faultCode ?? faultcode);
}
