/**
 * Notice numbers (NAV) and IUVs (docs/primitives.md §4): layout per aux digit, the mod-93
 * check digit, and generators of valid numbers.
 */

export type AuxDigit = 0 | 1 | 2 | 3;

/** The stand-in probe sent by the Nodo (docs/primitives.md §13): always "unknown". */
export const STAND_IN_PROBE = '000000000000000000';

/** Two-digit check: `int(digits) mod 93`, zero-padded. */
export function checkDigit(digits: string): string {
  return String(Number(BigInt(digits) % 93n)).padStart(2, '0');
}

export interface NoticeParts {
  auxDigit: AuxDigit;
  /** aux 3: segregation code (2 digits). */
  segregationCode?: string;
  /** aux 0: application code (2 digits). */
  applicationCode?: string;
  /** The IUV base: 13 digits (aux 0 and 3), 15 (aux 2), 17 (aux 1). Shorter values are left-padded with zeros. */
  base: string | number;
}

const BASE_LENGTH: Record<AuxDigit, number> = { 0: 13, 1: 17, 2: 15, 3: 13 };

export type NoticeResult = { ok: true; noticeNumber: string } | { ok: false; message: string };

/** Builds a valid 18-digit notice number (with check digit when the scheme has one). */
export function makeNoticeNumber(p: NoticeParts): NoticeResult {
  const len = BASE_LENGTH[p.auxDigit];
  if (len === undefined) return { ok: false, message: `auxDigit must be 0, 1, 2 or 3, got ${String(p.auxDigit)}` };
  const base = String(p.base);
  if (!/^\d+$/.test(base) || base.length > len) return { ok: false, message: `base must be at most ${len} digits for aux digit ${p.auxDigit}, got '${base}'` };
  const padded = base.padStart(len, '0');
  const code = p.auxDigit === 3 ? p.segregationCode : p.auxDigit === 0 ? p.applicationCode : '';
  if (p.auxDigit === 3 || p.auxDigit === 0) {
    const what = p.auxDigit === 3 ? 'segregationCode' : 'applicationCode';
    if (!code || !/^\d{2}$/.test(code)) return { ok: false, message: `${what} (2 digits) is required for aux digit ${p.auxDigit}` };
  }
  const head = `${p.auxDigit}${code ?? ''}${padded}`;
  return { ok: true, noticeNumber: p.auxDigit === 1 ? head : head + checkDigit(head) };
}

/** The IUV (creditorReferenceId) carried by a notice number. */
export function iuvOf(noticeNumber: string): string {
  const aux = noticeNumber[0];
  if (aux === '0') return noticeNumber.slice(3); // base13 + check2
  return noticeNumber.slice(1); // aux 1/2/3: 17 digits
}

/** Whether the check digit is right (always true for aux 1, which has none). */
export function hasValidCheckDigit(noticeNumber: string): boolean {
  if (!/^\d{18}$/.test(noticeNumber)) return false;
  if (noticeNumber[0] === '1') return true;
  return checkDigit(noticeNumber.slice(0, 16)) === noticeNumber.slice(16);
}

/** Sequential generator of valid aux-3 notice numbers for one segregation code (spontaneous payments). */
export function noticeNumberGenerator(segregationCode: string, start = 1): () => string {
  let n = start;
  return () => {
    const r = makeNoticeNumber({ auxDigit: 3, segregationCode, base: n++ });
    if (!r.ok) throw new Error(r.message);
    return r.noticeNumber;
  };
}
