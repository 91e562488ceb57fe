/**
 * gpd-payments called with `X-Client-Service-Type: ACA` (the stand-in path, docs/aca-standin.md
 * §3.1-3.2): the checks that come before the usual state mapping, in the service's order —
 * EC–station association with `aca`, the option by (idPA, noticeNumber as NAV), service
 * type ACA, association `standin`, `payStandIn` not false — each failing as
 * PAA_PAGAMENTO_SCONOSCIUTO. Then the GPD state mapping of faults.ts.
 */
import type { HandlerResult } from '../../soap/index.ts';
import { pick, type XmlObject } from '../../xml/index.ts';
import type { GpdStore } from '../gpdStore.ts';
import { koBody, paaCodeFor, type Payable } from './faults.ts';

/** The association flags gpd-payments reads from api-config's cache; undefined = no such association. */
export type AssociationFlags = (idPA: string, idStation: string) => { aca: boolean; standIn: boolean } | undefined;

export const SERVICE_TYPE_HEADER = 'x-client-service-type';

export function lookupStandIn(store: GpdStore, req: XmlObject, responseElement: string, association: AssociationFlags | undefined): Payable {
  const org = String(pick(req, 'qrCode.fiscalCode') ?? '');
  const nav = String(pick(req, 'qrCode.noticeNumber') ?? '');
  const idStation = String(pick(req, 'idStation') ?? '');
  const meta = { idPA: org, noticeNumber: nav, idStation, serviceType: 'ACA' };
  const no = (why: string): Payable => ({
    ok: false,
    result: { kind: 'response', body: koBody(responseElement, 'PAA_PAGAMENTO_SCONOSCIUTO', org, why), notes: [`GPD (ACA): ${why}`], meta } as HandlerResult,
  });
  const flags = association?.(org, idStation);
  if (!flags?.aca)
    return no(flags ? `the association of EC ${org} with station ${idStation} does not have aca` : `EC ${org} is not associated with station ${idStation}`);
  const ref = store.findByNav(org, nav);
  if (!ref) return no(`no payment option with NAV ${nav} for EC ${org} in GPD`);
  if (ref.position.serviceType !== 'ACA') return no(`debt position ${ref.position.iupd} has service type ${ref.position.serviceType ?? 'GPD'}, not ACA`);
  if (!flags.standIn) return no(`the association of EC ${org} with station ${idStation} does not have standin`);
  if (ref.position.payStandIn === false) return no(`debt position ${ref.position.iupd} has payStandIn false: it may not be paid in stand-in`);
  const state = store.payableState(org, nav);
  const ko = paaCodeFor(state);
  if (ko || state.kind !== 'payable') {
    const { code, why } = ko ?? { code: 'PAA_SYSTEM_ERROR' as const, why: 'unexpected state' };
    return { ok: false, result: { kind: 'response', body: koBody(responseElement, code, org, why), notes: [`GPD (ACA): ${why}`], meta } };
  }
  return { ok: true, ref: state.ref, org, nav, meta };
}
