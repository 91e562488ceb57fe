/**
 * The mock Nodo's registry derived from a station profile: the station under test, its
 * broker, the ECs it serves with their routes, IBANs, postal accounts and broadcast, the
 * secondary ECs (so the Nodo knows every beneficiary and IBAN the station may return, and
 * never blames the station for its own ignorance), plus the harness PSP that pays.
 */
import { normalizeRegistry, type Registry } from '../nodo/index.ts';
import { issue, type Issue } from '../xml/index.ts';
import type { ProfileEc, StationProfile } from './model.ts';

/** The PSP, broker and channel the station suite pays with (a V2 channel with the extended fault bean). */
export const HARNESS_PSP = { idPSP: '88888888888', idBrokerPSP: '88888888888', idChannel: '88888888888_01', password: 'PLACEHOLDER' } as const;

/** ACA's IBAN for an EC whose profile lists none (the Nodo then checks no IBAN of it). */
const ACA_IBAN_PLACEHOLDER = 'IT60X0542811101000000123456';

export interface DeriveOptions {
  /** The station's endpoint in the registry: its URL (default) or `reference` (the harness's reference station). */
  endpoint?: string;
}

export type DerivedRegistry = { ok: true; registry: Registry } | { ok: false; issues: Issue[] };

function associations(ec: ProfileEc, idStation: string): Record<string, unknown>[] {
  const routes = ec.routes.length ? ec.routes : ec.broadcast ? [{ auxDigit: 3 as const, segregationCode: '00' }] : [];
  return routes.map((r) => ({
    fiscalCode: ec.fiscalCode,
    stationCode: idStation,
    auxDigit: r.auxDigit,
    ...(r.segregationCode ? { segregationCode: r.segregationCode } : {}),
    ...(r.applicationCode ? { applicationCode: r.applicationCode } : {}),
    broadcast: ec.broadcast,
    aca: true,
    standIn: true,
  }));
}

export function profileRegistry(p: StationProfile, opts: DeriveOptions = {}): DerivedRegistry {
  const s = p.station;
  // Stand-in (src/nodo/standIn): every synchronous EC confers to ACA, so the associations have aca and standIn, the
  // station flagStandIn (its stand-in receipts carry standIn true), and ACA credits the EC's first IBAN.
  const ec = (e: ProfileEc) => ({
    fiscalCode: e.fiscalCode,
    businessName: e.companyName ?? `EC ${e.fiscalCode}`,
    ibans: e.ibans,
    postalAccounts: e.postalAccounts,
    acaIban: e.ibans[0] ?? ACA_IBAN_PLACEHOLDER,
  });
  const data = {
    creditorInstitutions: [...p.ecs, ...p.secondaryEcs].map(ec),
    brokers: [{ brokerCode: s.idBrokerPA, description: 'broker of the station under test' }],
    stations: [
      {
        stationCode: s.idStation,
        brokerCode: s.idBrokerPA,
        version: 2,
        primitiveVersion: s.primitiveVersion,
        endpoint: opts.endpoint ?? s.url,
        timeouts: { paVerifyPaymentNotice: s.timeouts.paVerifyPaymentNotice, paGetPayment: s.timeouts.paGetPayment, paSendRT: s.timeouts.paSendRT },
        flagStandIn: true,
      },
    ],
    associations: [...p.ecs, ...p.secondaryEcs].flatMap((e) => associations(e, s.idStation)),
    psps: [{ pspCode: HARNESS_PSP.idPSP, businessName: 'PSP of the station harness', fiscalCode: HARNESS_PSP.idPSP, vatNumber: HARNESS_PSP.idPSP }],
    pspBrokers: [{ brokerPspCode: HARNESS_PSP.idBrokerPSP, description: 'PSP broker of the station harness' }],
    channels: [
      {
        channelCode: HARNESS_PSP.idChannel,
        brokerPspCode: HARNESS_PSP.idBrokerPSP,
        pspCode: HARNESS_PSP.idPSP,
        password: HARNESS_PSP.password,
        description: 'station harness',
        primitiveVersion: 2,
        newFaultCode: true,
        flagStandIn: true,
      },
    ],
  };
  const r = normalizeRegistry(data, { file: p.file });
  if (r.ok) return { ok: true, registry: r.registry };
  return {
    ok: false,
    issues: r.issues.map((i) =>
      issue(i.code, i.message.replace('Failed to load the registry', `Failed to derive the mock Nodo's registry from ${p.file}`), {
        source: p.file,
        line: s.at.line,
        col: s.at.col,
      }),
    ),
  };
}
