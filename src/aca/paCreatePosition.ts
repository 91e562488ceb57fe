/**
 * paCreatePosition as ACA's service runs it after APIM (docs/aca-standin.md §2.3-2.8):
 * binding (400 "Bad request"), segregation code (403, empty body), the EC in the registry
 * (404), the IBAN (the request's, else the EC's ACA IBAN, else 500), then one GPD position
 * per IUV (IUPD `ACA_<paFiscalCode>_<iuv>`, service type ACA, one `STAND-IN` transfer):
 * amount > 0 creates or updates it, amount 0 invalidates it (422 if there is none), a
 * final state is 409. The answer is `DebtPositionResponse` without null fields.
 */
import type { Registry } from '../nodo/index.ts';
import { findEc } from '../nodo/index.ts';
import type { DebtPosition, DebtPositionInput } from '../gpd/index.ts';
import type { GpdStore } from '../gpd/index.ts';
import { validateDebtPosition } from '../gpd/index.ts';
import type { Outcome } from '../rest/index.ts';
import { validateNewDebtPositionRequest, type NewDebtPositionRequest } from './requestSchema.ts';

export interface AcaServiceOptions {
  /** Aux digit GPD puts before the IUV when `nav` is absent (default '3'). */
  navAuxDigit: string;
  /**
   * No `iban` in the request and no IBAN labelled ACA (registry `acaIban`):
   * 'aca-label' (default, [ACA-SVC] IbansClient) → 500 "No iban found ...";
   * 'latest' (SANP's reading) → the EC's most recently registered IBAN (the last of `ibans`).
   */
  ibanFallback: 'aca-label' | 'latest';
  /**
   * An update drops `switchToExpired`, `nav` and the transfer `postalIban` as ACA's code builds
   * the new model (docs/aca-standin.md §2.6, effect on the stored position not verified). Default false:
   * the update stores what the request says.
   */
  updateDropsFields: boolean;
}

export interface AcaServiceDeps {
  store: GpdStore;
  registry: () => Registry;
  options: AcaServiceOptions;
}

/** What the service answers: Problem JSON, a position, or an empty body (the segregation 403). */
export interface AcaAnswer {
  status: number;
  json?: object;
  notes: string[];
  meta: Record<string, string | number | boolean | undefined>;
}

/** ACA's Problem JSON: `{status, title, detail}` (type and instance are never filled). */
const problem = (status: number, title: string, detail: string, notes: string[], meta: AcaAnswer['meta'] = {}): AcaAnswer => ({
  status,
  json: { status, title, detail },
  notes: [...notes, `${status} ${title}: ${detail}`],
  meta,
});

export const iupdOf = (paFiscalCode: string, iuv: string): string => `ACA_${paFiscalCode}_${iuv}`;

/** The stored local date-time: the offset is dropped, not applied ([ACA-SVC] AcaUtils). */
export const localDateTime = (isoWithOffset: string): string => isoWithOffset.replace(/(Z|[+-]\d{2}:\d{2})$/, '').replace(/\.\d+$/, '');

const FINAL = new Set(['INVALID', 'PARTIALLY_PAID', 'PAID', 'REPORTED']);

/** `DebtPositionResponse` of a stored ACA position, null fields omitted. */
export function debtPositionResponse(p: DebtPosition, paFiscalCode: string): object {
  const o = p.paymentOption[0]!;
  const t = o.transfer[0];
  const out: Record<string, unknown> = {
    paFiscalCode,
    companyName: p.companyName,
    entityType: p.type,
    entityFiscalCode: p.fiscalCode,
    entityFullName: p.fullName,
    iuv: o.iuv,
    nav: o.nav,
    amount: o.amount,
    description: o.description,
    expirationDate: localDateTime(o.dueDate),
    iban: t?.iban,
    postalIban: t?.postalIban,
    switchToExpired: p.switchToExpired ?? false,
    status: p.status,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined && v !== null));
}

function bindingDetail(errors: { instancePath: string; message?: string; params?: Record<string, unknown> }[]): string {
  return errors
    .map((e) => {
      const missing = e.params?.['missingProperty'];
      const field = missing ? String(missing) : e.instancePath.replace(/^\//, '') || 'body';
      return missing ? `${field}: must not be null` : `${field}: ${e.message ?? 'is invalid'}`;
    })
    .join('; ');
}

function buildInput(r: NewDebtPositionRequest, iban: string, companyName: string, opts: AcaServiceOptions, update: boolean): DebtPositionInput {
  const drop = update && opts.updateDropsFields;
  const nav = drop ? undefined : r.nav;
  return {
    iupd: iupdOf(r.paFiscalCode, r.iuv),
    type: r.entityType,
    fiscalCode: r.entityFiscalCode,
    fullName: r.entityFullName,
    companyName,
    ...(drop ? {} : { switchToExpired: r.switchToExpired ?? false }),
    payStandIn: r.payStandIn ?? true,
    paymentOption: [
      {
        iuv: r.iuv,
        nav: nav ?? `${opts.navAuxDigit}${r.iuv}`,
        amount: r.amount,
        description: r.description,
        isPartialPayment: false,
        dueDate: localDateTime(r.expirationDate),
        transfer: [
          {
            idTransfer: '1',
            amount: r.amount,
            organizationFiscalCode: r.paFiscalCode,
            remittanceInformation: r.description,
            category: 'STAND-IN',
            iban,
            ...(r.postalIban && !drop ? { postalIban: r.postalIban } : {}),
          },
        ],
      },
    ],
  };
}

/** GPD's answer to ACA's call, as ACA maps it ([ACA-SVC] GpdClient): 400 → 400, 404 → 404, 409 → 409, else 502. */
function gpdFailure(out: Extract<Outcome<unknown>, { ok: false }>, action: 'create' | 'update' | 'invalidate', meta: AcaAnswer['meta']): AcaAnswer {
  const note = `GPD refused the ${action}: ${out.problem.status} ${out.problem.detail}`;
  switch (out.problem.status) {
    case 400:
      return problem(400, 'Invocation exception', 'Bad request', [note], meta);
    case 404:
      return problem(404, 'Invocation exception', `Error while ${action} debit position not found`, [note], meta);
    case 409:
      return problem(409, 'Invocation exception', `Error while ${action} debit position conflict into request`, [note], meta);
    default:
      return problem(502, 'Invocation exception', `Error while ${action} debit position`, [note], meta);
  }
}

/** The service part of paCreatePosition; `segregationCodes` is what APIM added for the key (undefined = none). */
export function paCreatePosition(deps: AcaServiceDeps, body: unknown, segregationCodes: string | undefined): AcaAnswer {
  if (!validateNewDebtPositionRequest(body)) {
    return problem(400, 'Bad request', bindingDetail(validateNewDebtPositionRequest.errors ?? []), ['the body does not bind to NewDebtPositionRequest']);
  }
  const r = body as NewDebtPositionRequest;
  const meta: AcaAnswer['meta'] = { idPA: r.paFiscalCode, iuv: r.iuv, amount: r.amount };
  if (segregationCodes && !segregationCodes.includes(r.iuv.substring(0, 2))) {
    return {
      status: 403,
      notes: [`IUV ${r.iuv} does not start with one of the subscription's segregation codes ${segregationCodes}: 403 with an empty body`],
      meta,
    };
  }
  const ec = findEc(deps.registry(), r.paFiscalCode);
  if (!ec)
    return problem(
      404,
      'ApiConfig Invocation exception',
      `Creditor institution code: ${r.paFiscalCode} not found`,
      [`EC ${r.paFiscalCode} is not in the registry`],
      meta,
    );
  const fallback = ec.acaIban ?? (deps.options.ibanFallback === 'latest' ? ec.ibans[ec.ibans.length - 1] : undefined);
  const iban = r.iban ?? fallback;
  if (!iban) {
    return problem(
      500,
      'ApiConfig Invocation exception',
      `No iban found for creditor institution with code: ${r.paFiscalCode}`,
      [`no iban in the request and EC ${r.paFiscalCode} has no IBAN labelled ACA (registry acaIban)`],
      meta,
    );
  }
  const notes = r.iban ? [] : [`iban taken from the EC's ${ec.acaIban ? 'IBAN labelled ACA' : 'most recent IBAN (ibanFallback latest)'}: ${iban}`];
  const iupd = iupdOf(r.paFiscalCode, r.iuv);
  meta['iupd'] = iupd;
  const existing = deps.store.get(r.paFiscalCode, iupd);

  if (!existing.ok) {
    if (r.amount === 0)
      return problem(
        422,
        'Unprocessable request',
        'Can not perform the requested action on debit position',
        [...notes, `no position ${iupd} to invalidate`],
        meta,
      );
    const input = buildInput(r, iban, ec.businessName, deps.options, false);
    if (!validateDebtPosition(input))
      return gpdFailure(
        { ok: false, problem: { status: 400, title: 'Bad Request', detail: bindingDetail(validateDebtPosition.errors ?? []) } },
        'create',
        meta,
      );
    const created = deps.store.create(r.paFiscalCode, input, { toPublish: true, serviceType: 'ACA' });
    if (!created.ok) return gpdFailure(created, 'create', meta);
    return ok(created.value, r.paFiscalCode, [...notes, `created ${iupd} (${created.value.status})`], meta);
  }

  const current = existing.value;
  if (FINAL.has(current.status))
    return problem(
      409,
      'Unauthorized action',
      `Unauthorized action on debt position with iuv: ${r.iuv}`,
      [...notes, `${iupd} is ${current.status}, a final state`],
      meta,
    );
  if (r.amount === 0) {
    const inv = deps.store.invalidate(r.paFiscalCode, iupd);
    if (!inv.ok) return gpdFailure(inv, 'invalidate', meta);
    return ok(inv.value, r.paFiscalCode, [...notes, `invalidated ${iupd} (was ${current.status})`], meta);
  }
  const input = buildInput(r, iban, ec.businessName, deps.options, true);
  if (current.officeName) input.officeName = current.officeName;
  if (!validateDebtPosition(input))
    return gpdFailure({ ok: false, problem: { status: 400, title: 'Bad Request', detail: bindingDetail(validateDebtPosition.errors ?? []) } }, 'update', meta);
  const updated = deps.store.update(r.paFiscalCode, iupd, input, { toPublish: true, allowExpired: true });
  if (!updated.ok) return gpdFailure(updated, 'update', meta);
  return ok(updated.value, r.paFiscalCode, [...notes, `updated ${iupd} (was ${current.status}, now ${updated.value.status})`], meta);
}

function ok(p: DebtPosition, paFiscalCode: string, notes: string[], meta: AcaAnswer['meta']): AcaAnswer {
  return { status: 200, json: debtPositionResponse(p, paFiscalCode), notes, meta: { ...meta, noticeNumber: p.paymentOption[0]!.nav, status: p.status } };
}
