/**
 * The mock Nodo's configuration registry, named after pagoPA's configuration API
 * (creditor institutions, EC brokers, stations, EC–station associations, PSPs, PSP
 * brokers, channels). Loaded from YAML (or an object embedded in a scenario), checked
 * with a JSON schema, then with the rules the configuration API enforces
 * (docs/primitives.md §4, §11). Problems are returned as Issues with file:line:col.
 */
import { readTextFile } from '../fileText.ts';
import { parseYaml, pathText, pointerPath, yamlLocator, type Locator } from '../yamlSource.ts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parseDuration } from '../clock.ts';
import { issue, type Issue } from '../xml/index.ts';
import { fileAt } from '../location.ts';
import { PAYMENT_MODELS, PAYMENT_TYPES, registrySchema } from './registrySchema.ts';

export type PrimitiveVersion = 1 | 2;
export type AuxDigit = 0 | 1 | 2 | 3;

export interface CreditorInstitution {
  fiscalCode: string;
  businessName: string;
  enabled: boolean;
  /** IBANs registered for the EC; when non-empty the Nodo checks every transfer IBAN against it. */
  ibans: string[];
  /** Postal accounts (ccPost, 12 digits) of the EC: verificaBollettino finds the EC by one of them. */
  postalAccounts: string[];
  /** The EC's IBAN labelled `ACA` in the back office: paCreatePosition credits it when the request has no iban (docs/aca-standin.md §2.5). */
  acaIban?: string;
}

export interface EcBroker {
  brokerCode: string;
  description?: string;
  enabled: boolean;
}

/** Per-primitive timeouts in ms (paGetPayment covers V1 and V2, paSendRT covers V1 and V2). */
export interface StationTimeouts {
  paVerifyPaymentNotice?: number;
  paGetPayment?: number;
  paSendRT?: number;
  paDemandPaymentNotice?: number;
}

export interface Station {
  stationCode: string;
  brokerCode: string;
  enabled: boolean;
  /** 1 = old model (paaVerificaRPT...), 2 = new model (paVerifyPaymentNotice/paGetPayment/paSendRT). */
  version: 1 | 2;
  /** Picks paGetPayment/paSendRT (1) or paGetPaymentV2/paSendRTV2 (2). */
  primitiveVersion: PrimitiveVersion;
  /** `reference` (the harness's reference station), `gpd` (the GPD emulator) or an http(s) URL. */
  endpoint: string;
  timeouts: StationTimeouts;
  password?: string;
  /** api-config `flag_standin` (docs/aca-standin.md §3.4): sets `standIn` in its stand-in receipts (or authorises stand-in, by the Nodo switch `standIn.stationFlag`). Default false. */
  flagStandIn?: boolean;
  /** Forces stand-in on (true) or off (false) for this station; absent = the activation algorithm decides (docs/aca-standin.md §4). */
  forceStandIn?: boolean;
}

export interface Association {
  fiscalCode: string;
  stationCode: string;
  auxDigit: AuxDigit;
  /** Two digits, routing key for aux 3. */
  segregationCode?: string;
  /** Two digits, routing key for aux 0. */
  applicationCode?: string;
  broadcast: boolean;
  enabled: boolean;
  /** Spontaneous payments (paDemandPaymentNotice) of this EC go to this association's station (configuration API `spontaneous_payment`). */
  spontaneousPayment?: boolean;
  /** api-config `aca`: the association feeds the Archivio Centralizzato Avvisi (checked when ACA answers in stand-in, docs/aca-standin.md §3.2). Default false. */
  aca?: boolean;
  /** api-config `stand_in`: positions of this association may be paid in stand-in (§3.2). Default false. */
  standIn?: boolean;
}

/** An EC offering a catalogue service (CatalogoServizi_2_0_0.xsd ctSoggettoErogante). */
export interface ServiceProvider {
  /** 5 characters; what the PSP's demandPaymentNotice names. Unique across the catalogue. */
  idSoggettoServizio: string;
  /** The EC (idDominio). */
  idDominio: string;
  /** denominazioneEnteCreditore (default: the EC's businessName). */
  denominazioneEnteCreditore?: string;
  /** dataInizioValidita / dataFineValidita (ISO dates): outside them the service is not active. */
  dataInizioValidita: string;
  dataFineValidita?: string;
  commissione?: 'Y' | 'N';
  /** false: not in the catalogue, and demandPaymentNotice gets PPT_SERVIZIO_NONATTIVO. */
  enabled: boolean;
}

/** A service of the spontaneous-payment catalogue (CatalogoServizi_2_0_0.xsd ctCatalogoServizi). */
export interface CatalogueService {
  /** 5 characters. */
  idServizio: string;
  descrizioneServizio: string;
  categoria?: string;
  /** Name of the service's XSD (stText35), shown in the catalogue. */
  xsdRiferimento: string;
  /** Namespace of the root of datiSpecificiServizio: its version. Another namespace → PPT_VERSIONE_SERVIZIO (inferred). */
  namespace?: string;
  elencoSoggettiEroganti: ServiceProvider[];
}

export interface Psp {
  pspCode: string;
  businessName: string;
  fiscalCode?: string;
  vatNumber?: string;
  enabled: boolean;
}

export interface PspBroker {
  brokerPspCode: string;
  description?: string;
  enabled: boolean;
}

export interface Channel {
  channelCode: string;
  brokerPspCode: string;
  /** PSPs allowed to use the channel. */
  pspCodes: string[];
  enabled: boolean;
  password: string;
  description?: string;
  primitiveVersion: PrimitiveVersion;
  /** Extended fault bean (originalFaultCode/String/Description) instead of the legacy packed description. */
  newFaultCode: boolean;
  /** The channel's payment model (configuration API `payment_model`); nodeForPsp is model 3, ACTIVATED_AT_PSP. */
  paymentModel: PaymentModel;
  /** Payment types the channel is enabled for (activatePaymentNoticeV2 paymentMethod); undefined = every type. */
  paymentTypes?: PaymentType[];
  /** api-config `flag_standin`: in stand-in the PSP's verify/activate answers carry `standin` true (absent when false; docs/aca-standin.md §3.3). Default false. */
  flagStandIn?: boolean;
}

export type PaymentModel = (typeof PAYMENT_MODELS)[number];
export type PaymentType = (typeof PAYMENT_TYPES)[number];

/**
 * The Nodo's own settings, which pagoPA's operators set (configuration keys): absent
 * values take the createNodo options, then the real defaults (src/nodo/README.md).
 * Durations are in ms once normalised (YAML takes 30m, 7s, 500ms or ms).
 */
export interface RegistrySettings {
  /** Whether idempotencyKey is used at all (false: every request is new). */
  useIdempotency?: boolean;
  /** Validity of an idempotency key (an activation's is also never longer than its token). */
  idempotencyKeyValidity?: number;
  /** paymentToken lifetime when the PSP sends no expirationTime (at most 30 minutes). */
  tokenValidity?: number;
  /** Period of the job that frees the notices whose token expired (0: freed at expiry). */
  expiryJobPeriod?: number;
  /** Per-primitive station timeouts when the station has none of its own. */
  stationTimeouts?: StationTimeouts;
}

export interface Registry {
  /** Optional: the Nodo's own settings (see RegistrySettings). */
  settings?: RegistrySettings;
  creditorInstitutions: CreditorInstitution[];
  brokers: EcBroker[];
  stations: Station[];
  associations: Association[];
  psps: Psp[];
  pspBrokers: PspBroker[];
  channels: Channel[];
  /** The spontaneous-payment service catalogue (nodoChiediCatalogoServiziV2, demandPaymentNotice); absent = empty. */
  services?: CatalogueService[];
}

export type RegistryResult = { ok: true; registry: Registry; issues: Issue[] } | { ok: false; issues: Issue[] };

// Compiled on first use: compiling at import cost start-up time to every process importing the
// registry's types and helpers (the station command among them), most never load a registry.
let compiledSchema: ValidateFunction | undefined;
const registryValidator = (): ValidateFunction => (compiledSchema ??= new Ajv2020({ allErrors: true, strict: false }).compile(registrySchema));

interface Reporter {
  error(rule: string, path: (string | number)[], message: string): void;
  issues: Issue[];
}

function reporter(file: string, locate: Locator | undefined): Reporter {
  const issues: Issue[] = [];
  return {
    issues,
    error(rule, path, message) {
      const at = locate?.(path);
      issues.push(issue(rule, message, { path: pathText(path), line: at?.line ?? 0, col: at?.col ?? 0, source: file }));
    },
  };
}

function schemaMessage(e: ErrorObject): string {
  const where = pathText(pointerPath(e.instancePath)) || 'the registry';
  switch (e.keyword) {
    case 'additionalProperties':
      return `Failed to load the registry: unknown key '${(e.params as { additionalProperty: string }).additionalProperty}' in ${where}. Check the spelling (see src/nodo/README.md).`;
    case 'required':
      return `Failed to load the registry: ${where} lacks '${(e.params as { missingProperty: string }).missingProperty}'. Add it.`;
    case 'enum':
      return `Failed to load the registry: ${where} must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}. Fix the value.`;
    case 'pattern':
      if (e.instancePath.endsWith('/endpoint')) return `Failed to load the registry: ${where} must be 'reference', 'gpd' or an http(s):// URL. Fix the value.`;
      return `Failed to load the registry: ${where} ${e.message ?? 'is invalid'}. Fix the value.`;
    default:
      return `Failed to load the registry: ${where} ${e.message ?? 'is invalid'}. Fix the value.`;
  }
}

// ---------- normalisation ----------

type Raw = Record<string, unknown>;
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
/** YAML reads 01 or 00000000001 as numbers: restore the leading zeros of fixed-width codes. */
const padded = (v: unknown, width: number): string | undefined => {
  const s = str(v);
  return s === undefined ? undefined : typeof v === 'number' ? s.padStart(width, '0') : s;
};
const list = (v: unknown): Raw[] => (Array.isArray(v) ? (v as Raw[]) : []);

function toMs(v: unknown): number | undefined {
  return v === undefined ? undefined : parseDuration(v as string | number);
}

const timeoutsOf = (t: Raw): StationTimeouts => ({
  paVerifyPaymentNotice: toMs(t['paVerifyPaymentNotice']),
  paGetPayment: toMs(t['paGetPayment']),
  paSendRT: toMs(t['paSendRT']),
  paDemandPaymentNotice: toMs(t['paDemandPaymentNotice']),
});

function settingsOf(v: unknown): RegistrySettings | undefined {
  if (v === undefined || v === null) return undefined;
  const r = v as Raw;
  const out: RegistrySettings = {};
  if (r['useIdempotency'] !== undefined) out.useIdempotency = r['useIdempotency'] === true;
  if (r['idempotencyKeyValidity'] !== undefined) out.idempotencyKeyValidity = toMs(r['idempotencyKeyValidity']);
  if (r['tokenValidity'] !== undefined) out.tokenValidity = toMs(r['tokenValidity']);
  if (r['expiryJobPeriod'] !== undefined) out.expiryJobPeriod = toMs(r['expiryJobPeriod']);
  if (r['stationTimeouts'] !== undefined) out.stationTimeouts = timeoutsOf(r['stationTimeouts'] as Raw);
  return out;
}

function build(data: Raw): Registry {
  const settings = settingsOf(data['settings']);
  return {
    ...(settings ? { settings } : {}),
    creditorInstitutions: list(data['creditorInstitutions']).map((r) => ({
      fiscalCode: padded(r['fiscalCode'], 11)!,
      businessName: String(r['businessName']),
      enabled: r['enabled'] !== false,
      ibans: ((r['ibans'] as string[] | undefined) ?? []).map((i) => i.replace(/\s+/g, '').toUpperCase()),
      postalAccounts: ((r['postalAccounts'] as unknown[] | undefined) ?? []).map((a) => padded(a, 12)!),
      ...(r['acaIban'] !== undefined ? { acaIban: String(r['acaIban']).replace(/\s+/g, '').toUpperCase() } : {}),
    })),
    brokers: list(data['brokers']).map((r) => ({ brokerCode: str(r['brokerCode'])!, description: str(r['description']), enabled: r['enabled'] !== false })),
    stations: list(data['stations']).map((r) => {
      return {
        stationCode: String(r['stationCode']),
        brokerCode: str(r['brokerCode'])!,
        enabled: r['enabled'] !== false,
        version: (r['version'] as 1 | 2 | undefined) ?? 2,
        primitiveVersion: (r['primitiveVersion'] as PrimitiveVersion | undefined) ?? 1,
        endpoint: String(r['endpoint']),
        timeouts: timeoutsOf((r['timeouts'] ?? {}) as Raw),
        password: str(r['password']),
        flagStandIn: r['flagStandIn'] === true,
        ...(typeof r['forceStandIn'] === 'boolean' ? { forceStandIn: r['forceStandIn'] } : {}),
      };
    }),
    associations: list(data['associations']).map((r) => ({
      fiscalCode: padded(r['fiscalCode'], 11)!,
      stationCode: String(r['stationCode']),
      auxDigit: r['auxDigit'] as AuxDigit,
      segregationCode: padded(r['segregationCode'], 2)?.padStart(2, '0'),
      applicationCode: padded(r['applicationCode'], 2)?.padStart(2, '0'),
      broadcast: r['broadcast'] === true,
      enabled: r['enabled'] !== false,
      spontaneousPayment: r['spontaneousPayment'] === true,
      aca: r['aca'] === true,
      standIn: r['standIn'] === true,
    })),
    psps: list(data['psps']).map((r) => ({
      pspCode: str(r['pspCode'])!,
      businessName: String(r['businessName']),
      fiscalCode: str(r['fiscalCode']),
      vatNumber: str(r['vatNumber']),
      enabled: r['enabled'] !== false,
    })),
    pspBrokers: list(data['pspBrokers']).map((r) => ({
      brokerPspCode: str(r['brokerPspCode'])!,
      description: str(r['description']),
      enabled: r['enabled'] !== false,
    })),
    channels: list(data['channels']).map((r) => ({
      channelCode: String(r['channelCode']),
      brokerPspCode: str(r['brokerPspCode'])!,
      pspCodes: [...(r['pspCode'] !== undefined ? [str(r['pspCode'])!] : []), ...((r['pspCodes'] as unknown[] | undefined) ?? []).map((p) => String(p))],
      enabled: r['enabled'] !== false,
      password: String(r['password']),
      description: str(r['description']),
      primitiveVersion: (r['primitiveVersion'] as PrimitiveVersion | undefined) ?? 1,
      newFaultCode: r['newFaultCode'] === true,
      paymentModel: (r['paymentModel'] as PaymentModel | undefined) ?? 'ACTIVATED_AT_PSP',
      ...(r['paymentTypes'] !== undefined ? { paymentTypes: r['paymentTypes'] as PaymentType[] } : {}),
      flagStandIn: r['flagStandIn'] === true,
    })),
    services: list(data['services']).map((r) => ({
      idServizio: padded(r['idServizio'], 5)!,
      descrizioneServizio: String(r['descrizioneServizio']),
      ...(r['categoria'] !== undefined ? { categoria: String(r['categoria']) } : {}),
      xsdRiferimento: String(r['xsdRiferimento']),
      ...(r['namespace'] !== undefined ? { namespace: String(r['namespace']) } : {}),
      elencoSoggettiEroganti: list(r['elencoSoggettiEroganti']).map((e) => ({
        idSoggettoServizio: padded(e['idSoggettoServizio'], 5)!,
        idDominio: padded(e['idDominio'], 11)!,
        ...(e['denominazioneEnteCreditore'] !== undefined ? { denominazioneEnteCreditore: String(e['denominazioneEnteCreditore']) } : {}),
        dataInizioValidita: str(e['dataInizioValidita']) ?? '2000-01-01',
        ...(e['dataFineValidita'] !== undefined ? { dataFineValidita: String(e['dataFineValidita']) } : {}),
        ...(e['commissione'] !== undefined ? { commissione: e['commissione'] as 'Y' | 'N' } : {}),
        enabled: e['enabled'] !== false,
      })),
    })),
  };
}

// ---------- configuration-API rules ----------

const IBAN_FORM = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/;
/** A paymentToken's maximum lifetime (stExpirationTime, docs/primitives.md §9). */
export { PAYMENT_MODELS, PAYMENT_TYPES, registrySchema };

export const MAX_TOKEN_VALIDITY_MS = 1_800_000;

function checkUnique<T>(rep: Reporter, items: T[], section: string, key: (t: T) => string, what: string): void {
  const seen = new Map<string, number>();
  items.forEach((t, i) => {
    const k = key(t);
    const first = seen.get(k);
    if (first !== undefined)
      rep.error(
        'REG_DUPLICATE',
        [section, i],
        `Failed to load the registry: ${what} '${k}' is defined twice (${section}[${first}] and ${section}[${i}]). Remove or rename one.`,
      );
    else seen.set(k, i);
  });
}

function checkAssociation(rep: Reporter, a: Association, i: number): void {
  const at = (k: string) => ['associations', i, k];
  const seg = a.segregationCode;
  const app = a.applicationCode;
  if (a.auxDigit === 3 && seg === undefined)
    rep.error(
      'REG_AUX3_SEGREGATION',
      at('auxDigit'),
      `Failed to load the registry: association ${a.fiscalCode}→${a.stationCode} has auxDigit 3 without a segregationCode (the configuration API requires one). Add segregationCode: "NN".`,
    );
  if (a.auxDigit === 0 && app === undefined)
    rep.error(
      'REG_AUX0_APPLICATION',
      at('auxDigit'),
      `Failed to load the registry: association ${a.fiscalCode}→${a.stationCode} has auxDigit 0 without an applicationCode (the configuration API requires one). Add applicationCode: "NN".`,
    );
  if ((a.auxDigit === 1 || a.auxDigit === 2) && (seg !== undefined || app !== undefined))
    rep.error(
      'REG_AUX12_CODES',
      at(seg !== undefined ? 'segregationCode' : 'applicationCode'),
      `Failed to load the registry: association ${a.fiscalCode}→${a.stationCode} has auxDigit ${a.auxDigit} with a ${seg !== undefined ? 'segregationCode' : 'applicationCode'} (the configuration API requires both blank for aux 1 and 2). Remove it.`,
    );
}

function checkCodesPerEc(rep: Reporter, reg: Registry): void {
  const seen = new Map<string, number>();
  reg.associations.forEach((a, i) => {
    const keys: [string, string | undefined, string][] = [
      ['segregationCode', a.segregationCode, 'segregation code'],
      ['applicationCode', a.applicationCode, 'application code'],
      ['auxDigit', a.auxDigit === 1 || a.auxDigit === 2 ? String(a.auxDigit) : undefined, 'aux digit'],
    ];
    for (const [field, value, label] of keys) {
      if (value === undefined) continue;
      const k = `${a.fiscalCode}|${field}|${value}`;
      const first = seen.get(k);
      if (first === undefined) seen.set(k, i);
      else
        rep.error(
          `REG_DUPLICATE_${field.toUpperCase()}`,
          ['associations', i, field],
          `Failed to load the registry: EC ${a.fiscalCode} has ${label} ${value} on two associations (associations[${first}] and associations[${i}]); the configuration API requires it unique per EC. Use another ${label}.`,
        );
    }
  });
}

function checkReferences(rep: Reporter, reg: Registry): void {
  const ecs = new Set(reg.creditorInstitutions.map((c) => c.fiscalCode));
  const brokers = new Set(reg.brokers.map((b) => b.brokerCode));
  const stations = new Set(reg.stations.map((s) => s.stationCode));
  const psps = new Set(reg.psps.map((p) => p.pspCode));
  const pspBrokers = new Set(reg.pspBrokers.map((b) => b.brokerPspCode));
  const unknown = (path: (string | number)[], what: string, value: string, section: string) =>
    rep.error('REG_UNKNOWN_REFERENCE', path, `Failed to load the registry: ${what} '${value}' is not defined in ${section}. Add it there or fix the code.`);
  reg.stations.forEach((s, i) => {
    if (!brokers.has(s.brokerCode)) unknown(['stations', i, 'brokerCode'], 'EC broker', s.brokerCode, 'brokers');
  });
  reg.associations.forEach((a, i) => {
    if (!ecs.has(a.fiscalCode)) unknown(['associations', i, 'fiscalCode'], 'creditor institution', a.fiscalCode, 'creditorInstitutions');
    if (!stations.has(a.stationCode)) unknown(['associations', i, 'stationCode'], 'station', a.stationCode, 'stations');
  });
  reg.channels.forEach((c, i) => {
    if (!pspBrokers.has(c.brokerPspCode)) unknown(['channels', i, 'brokerPspCode'], 'PSP broker', c.brokerPspCode, 'pspBrokers');
    if (c.pspCodes.length === 0)
      rep.error('REG_CHANNEL_NO_PSP', ['channels', i], `Failed to load the registry: channel ${c.channelCode} names no PSP. Add pspCode or pspCodes.`);
    for (const p of c.pspCodes) if (!psps.has(p)) unknown(['channels', i, 'pspCodes'], 'PSP', p, 'psps');
  });
}

/** A postal account names one EC (verificaBollettino finds the EC by it). */
function checkPostalAccounts(rep: Reporter, reg: Registry): void {
  const seen = new Map<string, string>();
  reg.creditorInstitutions.forEach((c, i) => {
    c.postalAccounts.forEach((a, j) => {
      const first = seen.get(a);
      if (first === undefined) seen.set(a, c.fiscalCode);
      else
        rep.error(
          'REG_DUPLICATE_POSTALACCOUNT',
          ['creditorInstitutions', i, 'postalAccounts', j],
          `Failed to load the registry: postal account ${a} is listed twice (EC ${first} and EC ${c.fiscalCode}); verificaBollettino finds the EC by it, so it must name one EC. Remove one.`,
        );
    });
  });
}

/**
 * The service catalogue: idServizio and idSoggettoServizio unique (the PSP names the provider by
 * idSoggettoServizio alone), providers are registered ECs, validity dates in order, and at most
 * one association per EC receives its spontaneous payments.
 */
function checkServices(rep: Reporter, reg: Registry): void {
  const services = reg.services ?? [];
  checkUnique(rep, services, 'services', (x) => x.idServizio, 'service');
  const ecs = new Set(reg.creditorInstitutions.map((c) => c.fiscalCode));
  const providers = new Map<string, string>();
  services.forEach((svc, i) => {
    svc.elencoSoggettiEroganti.forEach((p, j) => {
      const at = (k: string) => ['services', i, 'elencoSoggettiEroganti', j, k];
      const first = providers.get(p.idSoggettoServizio);
      if (first !== undefined)
        rep.error(
          'REG_DUPLICATE_SOGGETTOSERVIZIO',
          at('idSoggettoServizio'),
          `Failed to load the registry: idSoggettoServizio ${p.idSoggettoServizio} is used twice (service ${first} and service ${svc.idServizio}); demandPaymentNotice names the provider by it alone, so it must be unique. Use another code.`,
        );
      else providers.set(p.idSoggettoServizio, svc.idServizio);
      if (!ecs.has(p.idDominio))
        rep.error(
          'REG_UNKNOWN_REFERENCE',
          at('idDominio'),
          `Failed to load the registry: creditor institution '${p.idDominio}' of service ${svc.idServizio} is not defined in creditorInstitutions. Add it there or fix the code.`,
        );
      if (p.dataFineValidita !== undefined && p.dataFineValidita < p.dataInizioValidita)
        rep.error(
          'REG_SERVICE_DATES',
          at('dataFineValidita'),
          `Failed to load the registry: service ${svc.idServizio} provider ${p.idSoggettoServizio} ends (${p.dataFineValidita}) before it starts (${p.dataInizioValidita}). Fix the dates.`,
        );
    });
  });
  const spontaneous = new Map<string, number>();
  reg.associations.forEach((a, i) => {
    if (!a.spontaneousPayment) return;
    const first = spontaneous.get(a.fiscalCode);
    if (first !== undefined)
      rep.error(
        'REG_DUPLICATE_SPONTANEOUS',
        ['associations', i, 'spontaneousPayment'],
        `Failed to load the registry: EC ${a.fiscalCode} has spontaneousPayment on two associations (associations[${first}] and associations[${i}]); the mock Nodo routes an EC's spontaneous payments to one station. Keep one.`,
      );
    else spontaneous.set(a.fiscalCode, i);
  });
}

function checkRules(rep: Reporter, reg: Registry): void {
  checkUnique(rep, reg.creditorInstitutions, 'creditorInstitutions', (c) => c.fiscalCode, 'creditor institution');
  checkUnique(rep, reg.brokers, 'brokers', (b) => b.brokerCode, 'EC broker');
  checkUnique(rep, reg.stations, 'stations', (s) => s.stationCode, 'station');
  checkUnique(rep, reg.psps, 'psps', (p) => p.pspCode, 'PSP');
  checkUnique(rep, reg.pspBrokers, 'pspBrokers', (b) => b.brokerPspCode, 'PSP broker');
  checkUnique(rep, reg.channels, 'channels', (c) => c.channelCode, 'channel');
  reg.associations.forEach((a, i) => {
    checkAssociation(rep, a, i);
  });
  checkCodesPerEc(rep, reg);
  checkReferences(rep, reg);
  reg.creditorInstitutions.forEach((c, i) => {
    c.ibans.forEach((iban, j) => {
      if (!IBAN_FORM.test(iban))
        rep.error(
          'REG_IBAN_FORM',
          ['creditorInstitutions', i, 'ibans', j],
          `Failed to load the registry: IBAN '${iban}' of EC ${c.fiscalCode} is not well formed (2 letters, 2 digits, 1-30 alphanumerics). Fix it.`,
        );
    });
    if (c.acaIban !== undefined && !IBAN_FORM.test(c.acaIban))
      rep.error(
        'REG_IBAN_FORM',
        ['creditorInstitutions', i, 'acaIban'],
        `Failed to load the registry: acaIban '${c.acaIban}' of EC ${c.fiscalCode} is not well formed (2 letters, 2 digits, 1-30 alphanumerics). Fix it.`,
      );
  });
  checkPostalAccounts(rep, reg);
  const token = reg.settings?.tokenValidity;
  if (token !== undefined && token > MAX_TOKEN_VALIDITY_MS)
    rep.error(
      'REG_SETTINGS',
      ['settings', 'tokenValidity'],
      `Failed to load the registry: settings.tokenValidity is ${token} ms; a paymentToken never lives more than 30 minutes (1800000 ms, docs/primitives.md §9). Use 30m or less.`,
    );
  checkServices(rep, reg);
  reg.stations.forEach((s, i) => {
    if (s.version === 1 && s.primitiveVersion === 2)
      rep.error(
        'REG_STATION_VERSION',
        ['stations', i, 'primitiveVersion'],
        `Failed to load the registry: station ${s.stationCode} has version 1 (old model) with primitiveVersion 2; primitive version 2 exists only for version-2 stations. Set version: 2 or primitiveVersion: 1.`,
      );
  });
}

/** Checks and normalises registry data (a parsed YAML object, possibly embedded in a scenario file). */
export function normalizeRegistry(data: unknown, where: { file?: string; locate?: Locator } = {}): RegistryResult {
  const file = where.file ?? '<registry>';
  const rep = reporter(file, where.locate);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    rep.error(
      'REG_NOT_OBJECT',
      [],
      'Failed to load the registry: it is not a mapping. Write creditorInstitutions:, stations:, associations:, ... at the top level.',
    );
    return { ok: false, issues: rep.issues };
  }
  const validateSchema = registryValidator();
  if (!validateSchema(data)) {
    for (const e of validateSchema.errors ?? []) {
      const path = pointerPath(e.instancePath);
      if (e.keyword === 'additionalProperties') path.push((e.params as { additionalProperty: string }).additionalProperty);
      rep.error('REG_SCHEMA', path, schemaMessage(e));
    }
    return { ok: false, issues: rep.issues };
  }
  const registry = build(data as Raw);
  checkRules(rep, registry);
  return rep.issues.length ? { ok: false, issues: rep.issues } : { ok: true, registry, issues: [] };
}

/** Parses registry YAML text (errors located in `file`). */
export function parseRegistry(text: string, file = '<registry>'): RegistryResult {
  const y = parseYaml(text, file, 'REG_YAML', (m) => `Failed to read the registry: ${m}. Fix the YAML syntax.`);
  if (!y.ok) return { ok: false, issues: y.issues };
  return normalizeRegistry(y.doc.toJS(), { file, locate: yamlLocator(y.doc, y.lineCounter) });
}

/** Reads and checks a registry YAML file. */
export function loadRegistry(file: string): RegistryResult {
  const r = readTextFile(file, { what: 'the registry', code: 'REG_IO', fix: 'Pass an existing YAML file with --registry.' });
  return r.ok ? parseRegistry(r.text, file) : r;
}

/** `file:line:col message`, the form printed by the CLI. */
export function formatRegistryIssue(i: Issue): string {
  return `${fileAt(i.source ?? '<registry>', i.line, i.col)} ${i.message}`;
}

// ---------- lookups ----------

export const findEc = (r: Registry, fiscalCode: string) => r.creditorInstitutions.find((c) => c.fiscalCode === fiscalCode);
export const findEcByPostalAccount = (r: Registry, ccPost: string) => r.creditorInstitutions.find((c) => c.postalAccounts.includes(ccPost));
export const findStation = (r: Registry, code: string) => r.stations.find((s) => s.stationCode === code);
export const findBroker = (r: Registry, code: string) => r.brokers.find((b) => b.brokerCode === code);
export const findPsp = (r: Registry, code: string) => r.psps.find((p) => p.pspCode === code);
export const findPspBroker = (r: Registry, code: string) => r.pspBrokers.find((b) => b.brokerPspCode === code);
export const findChannel = (r: Registry, code: string) => r.channels.find((c) => c.channelCode === code);
export const associationsOf = (r: Registry, fiscalCode: string) => r.associations.filter((a) => a.fiscalCode === fiscalCode);
/** The catalogue service and provider a PSP names with idSoggettoServizio. */
export function findServiceProvider(r: Registry, idSoggettoServizio: string): { service: CatalogueService; provider: ServiceProvider } | undefined {
  for (const service of r.services ?? []) {
    const provider = service.elencoSoggettiEroganti.find((p) => p.idSoggettoServizio === idSoggettoServizio);
    if (provider) return { service, provider };
  }
  return undefined;
}
