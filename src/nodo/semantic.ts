/**
 * The Nodo's semantic checks on an EC station's (already XSD-valid) answers
 * (docs/primitives.md §3 phase 2, §5.1, §8.1, §17). Each check is a named rule; a finding
 * says which rule, where and why, so a station author can fix it. Findings are
 * returned, never thrown.
 */
import { asArray, pick, type XmlObject } from '../xml/index.ts';
import type { PptCode } from './faults.ts';
import { findEc, type Registry } from './registry.ts';

export interface SemanticFinding {
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  /** The code the PSP gets when this rule is broken (default PPT_STAZIONE_INT_PA_ERRORE_RESPONSE). */
  code?: PptCode;
}

export interface SemanticOptions {
  /** On OK, require paymentDescription, fiscalCodePA and companyName in paVerifyPaymentNoticeRes ([SANP-SYNC]). Default true. */
  verifyRequireTags: boolean;
  /** Code for an IBAN not registered for its EC: the generic ERRORE_RESPONSE (§3) or PPT_IBAN_NON_CENSITO (§8.5). Default ERRORE_RESPONSE. */
  ibanNotRegisteredCode: 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE' | 'PPT_IBAN_NON_CENSITO';
  /** Refuse a creditorReferenceId that does not match the notice number (inferred; default false = warning only). */
  strictCreditorReferenceId: boolean;
  /** Refuse a verify answer whose fiscalCodePA differs from the qrCode's (not documented; default false = warning only). */
  strictVerifyFiscalCode: boolean;
  /** Refuse idTransfer values that are not 1..n in order (the real Nodo refuses a gap such as 1, 3; default true; false = warning only). */
  strictTransferIdSequence: boolean;
}

export const DEFAULT_SEMANTIC_OPTIONS: SemanticOptions = {
  verifyRequireTags: true,
  ibanNotRegisteredCode: 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE',
  strictCreditorReferenceId: false,
  strictVerifyFiscalCode: false,
  strictTransferIdSequence: true,
};

export interface SemanticContext {
  registry: Registry;
  fiscalCode: string;
  noticeNumber: string;
  options: SemanticOptions;
}

const IBAN_FORM = /^[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{1,30}$/;
const cents = (amount: unknown): number => Math.round(Number(amount) * 100);
const fmt = (c: number): string => (c / 100).toFixed(2);
const err = (rule: string, message: string, code?: PptCode): SemanticFinding => ({ rule, severity: 'error', message, ...(code ? { code } : {}) });

/** outcome/fault consistency, common to every ctResponse. */
export function checkOutcome(v: XmlObject): SemanticFinding[] {
  const outcome = v['outcome'];
  const hasFault = v['fault'] !== undefined;
  if (outcome === 'OK' && hasFault) return [err('OK_WITH_FAULT', 'outcome is OK but the response carries a fault; an OK must not have a fault')];
  if (outcome === 'KO' && !hasFault)
    return [err('KO_WITHOUT_FAULT', 'outcome is KO without a fault bean; a KO must say why with fault/faultCode, faultString and id')];
  return [];
}

export function checkVerifyResponse(v: XmlObject, ctx: SemanticContext): SemanticFinding[] {
  const out = checkOutcome(v);
  if (out.length || v['outcome'] !== 'OK') return out;
  if (v['paymentList'] === undefined)
    return [err('VERIFY_PAYMENT_LIST', 'outcome is OK without paymentList; an OK verify must return the payment option (amount, options, allCCP)')];
  if (ctx.options.verifyRequireTags) {
    const missing = ['paymentDescription', 'fiscalCodePA', 'companyName'].filter((k) => v[k] === undefined);
    if (missing.length)
      out.push(
        err(
          'VERIFY_REQUIRED_TAGS',
          `outcome is OK without ${missing.join(', ')}; on OK every tag except officeName is required ([SANP-SYNC]) although the XSD makes them optional`,
        ),
      );
  }
  const fc = v['fiscalCodePA'];
  if (typeof fc === 'string' && fc !== ctx.fiscalCode) {
    // Not a documented Nodo check: a finding for the author, an error only when switched on.
    const message = `fiscalCodePA ${fc} differs from the qrCode fiscalCode ${ctx.fiscalCode} the notice was asked for`;
    out.push(ctx.options.strictVerifyFiscalCode ? err('VERIFY_FISCAL_CODE', message) : { rule: 'VERIFY_FISCAL_CODE', severity: 'warning', message });
  }
  return out;
}

function expectedIuv(noticeNumber: string): string {
  return noticeNumber[0] === '0' ? noticeNumber.slice(3) : noticeNumber.slice(1);
}

function checkTransfers(transfers: XmlObject[], ctx: SemanticContext): SemanticFinding[] {
  // The transfer count (1..5) and the metadata size (1..15 mapEntry) are XSD rules: an answer
  // breaking them never reaches these checks (schema-invalid → ERRORE_RESPONSE before).
  const out: SemanticFinding[] = [];
  const ids = transfers.map((t) => Number(t['idTransfer']));
  if (new Set(ids).size !== ids.length) out.push(err('TRANSFER_IDS', `idTransfer values are ${ids.join(', ')}; each transfer needs its own idTransfer`));
  else if (ids.some((id, i) => id !== i + 1)) {
    // The XSD enumerates 1..5; the real Nodo also refuses a gap (1, 3 for two transfers): issue 14.
    const sorted = [...ids].sort((a, b) => a - b);
    const why = sorted.some((id, i) => id !== i + 1) ? 'a gap in the sequence' : 'out of order';
    const message = `idTransfer values are ${ids.join(', ')} (${why}); number the transfers 1..${transfers.length} in order`;
    out.push(ctx.options.strictTransferIdSequence ? err('TRANSFER_IDS_SEQUENCE', message) : { rule: 'TRANSFER_IDS_SEQUENCE', severity: 'warning', message });
  }
  transfers.forEach((t, i) => {
    const where = `transfer[${i + 1}]`;
    const fc = String(t['fiscalCodePA'] ?? '');
    const iban = typeof t['IBAN'] === 'string' ? (t['IBAN'] as string) : undefined;
    if (fc !== ctx.fiscalCode) {
      const ec = findEc(ctx.registry, fc);
      if (!ec)
        out.push(err('SECONDARY_EC_KNOWN', `${where}/fiscalCodePA ${fc} is a secondary EC unknown to the Nodo; every beneficiary EC must be registered`));
      else if (!ec.enabled) out.push(err('SECONDARY_EC_ENABLED', `${where}/fiscalCodePA ${fc} is a secondary EC that is disabled on the Nodo`));
    }
    if (iban !== undefined) {
      if (!IBAN_FORM.test(iban)) out.push(err('IBAN_FORM', `${where}/IBAN '${iban}' is not a well-formed IBAN (2 letters, 2 digits, 1-30 alphanumerics)`));
      else {
        const ec = findEc(ctx.registry, fc);
        if (ec?.ibans.length && !ec.ibans.includes(iban.toUpperCase()))
          out.push(
            err(
              'IBAN_REGISTERED',
              `${where}/IBAN ${iban} is not registered for EC ${fc} (registered: ${ec.ibans.join(', ')})`,
              ctx.options.ibanNotRegisteredCode,
            ),
          );
      }
    }
  });
  return out;
}

export function checkGetPaymentResponse(v: XmlObject, ctx: SemanticContext): SemanticFinding[] {
  const out = checkOutcome(v);
  if (out.length || v['outcome'] !== 'OK') return out;
  const data = v['data'] as XmlObject | undefined;
  if (!data || typeof data !== 'object') return [err('DATA_PRESENT', 'outcome is OK without data; an OK paGetPayment must return the payment data')];
  const transfers = asArray(pick(data, 'transferList.transfer') as XmlObject | XmlObject[] | undefined);
  out.push(...checkTransfers(transfers, ctx));
  const sum = transfers.reduce((s, t) => s + cents(t['transferAmount']), 0);
  const amount = cents(data['paymentAmount']);
  if (transfers.length && sum !== amount)
    out.push(err('AMOUNT_SUM', `paymentAmount ${data['paymentAmount']} differs from the sum of transferAmount ${fmt(sum)}; they must be equal`));
  const iuv = String(data['creditorReferenceId'] ?? '');
  const expected = expectedIuv(ctx.noticeNumber);
  if (iuv !== expected) {
    const message = `creditorReferenceId ${iuv} does not match notice number ${ctx.noticeNumber} (expected IUV ${expected})`;
    out.push(ctx.options.strictCreditorReferenceId ? err('IUV_MATCH', message) : { rule: 'IUV_MATCH', severity: 'warning', message });
  }
  return out;
}

/**
 * paDemandPaymentNoticeResponse (docs/primitives.md §5.8): an OK must say which notice the PSP is to
 * pay (qrCode) and for how much (paymentList), else the PSP cannot go on. The notice should
 * belong to the EC asked and route to a station of the Nodo (warnings: not documented).
 */
export function checkDemandResponse(
  v: XmlObject,
  ctx: { registry: Registry; fiscalCode: string; routes: (fiscalCode: string, noticeNumber: string) => string | undefined },
): SemanticFinding[] {
  const out = checkOutcome(v);
  if (out.length || v['outcome'] !== 'OK') return out;
  if (v['qrCode'] === undefined)
    out.push(
      err(
        'DEMAND_QRCODE',
        'outcome is OK without qrCode; the answer to a spontaneous payment must give the new notice (fiscalCode and noticeNumber) the PSP is to pay',
      ),
    );
  if (v['paymentList'] === undefined) out.push(err('DEMAND_PAYMENT_LIST', 'outcome is OK without paymentList; the PSP needs the amount of the new notice'));
  if (out.length) return out;
  const fc = String(pick(v, 'qrCode.fiscalCode') ?? '');
  const nn = String(pick(v, 'qrCode.noticeNumber') ?? '');
  if (fc !== ctx.fiscalCode)
    out.push({ rule: 'DEMAND_FISCAL_CODE', severity: 'warning', message: `qrCode.fiscalCode ${fc} is not the EC ${ctx.fiscalCode} the service belongs to` });
  const unroutable = ctx.routes(fc, nn);
  if (unroutable)
    out.push({ rule: 'DEMAND_NOTICE_ROUTABLE', severity: 'warning', message: `the new notice ${nn} of EC ${fc} cannot be activated: ${unroutable}` });
  return out;
}

/** The PPT code for a set of findings: the first error's own code, else ERRORE_RESPONSE; undefined when no error. */
export function codeFor(findings: SemanticFinding[]): PptCode | undefined {
  const errors = findings.filter((f) => f.severity === 'error');
  if (!errors.length) return undefined;
  return errors[0]!.code ?? 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE';
}
