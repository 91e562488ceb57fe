/**
 * The loaded form of a scenario file (schema.json is the definition of the YAML format;
 * test/scenario/model.test.ts keeps these types and the schema in step).
 * Fixtures are resolved by load.ts: a Scenario carries its registry and positions as data.
 */
import type { Registry } from '../nodo/index.ts';
import type { Injection, StationsConfig } from '../station/index.ts';
import type { Matcher } from './expect.ts';
import type { NoticeRole } from '../profile/index.ts';

/** Where something was written: file and 1-based line/col. */
export interface SourceAt {
  file: string;
  line: number;
  col: number;
}

export interface Step {
  index: number;
  /** The step-kind key (verifyPaymentNotice, advance, expectStation, ...). */
  kind: string;
  /** The kind's parameters as written (null for `verifyPaymentNotice:` with nothing). */
  params: unknown;
  name?: string;
  title?: string;
  expect?: PspExpect;
  at: SourceAt;
}

export interface PspExpect {
  outcome?: 'OK' | 'KO';
  faultCode?: Matcher;
  originalFaultCode?: Matcher;
  faultString?: Matcher;
  description?: Matcher;
  fields?: Record<string, Matcher>;
  stationCalls?: number | Record<string, number>;
  invalid?: string[];
  httpStatus?: number;
  soapFault?: 'Client' | 'Server' | 'VersionMismatch';
  note?: string;
  /** Station suite: the rule (src/scenario/rules.ts) these expectations prove. */
  rule?: string;
}

export interface PspCredentials {
  idPSP: string;
  idBrokerPSP: string;
  idChannel: string;
  password: string;
}

export interface Setup {
  registry: Registry;
  /** Positions, services and injections of the reference stations (normalised by src/station/positions.ts). */
  positions: StationsConfig;
  /** Injections active from the start (setup.inject). */
  inject: Injection[];
  clock: string;
  seed: string;
  notice?: { fiscalCode?: string; noticeNumber?: string };
  psp: PspCredentials;
}

/** The EC a step is about when it names none: the scenario's setup.notice, else its first position's, else the registry's first EC. */
export function defaultEc(setup: Setup): string {
  return setup.notice?.fiscalCode ?? setup.positions.positions[0]?.fiscalCode ?? setup.registry.creditorInstitutions[0]?.fiscalCode ?? '';
}

/** A notice role the scenario uses: the profile's notice bound to a local name. */
export interface RoleNeed {
  role: NoticeRole;
  /** The scenario pays the notice (it is consumed: each notice is paid at most once per run). */
  pays: boolean;
}

/** What the profile must declare for the scenario to run (otherwise it is skipped with what to add). */
export interface StationRequires {
  /** The station is a broadcast station of at least one EC. */
  broadcast?: boolean;
  primitiveVersion?: 1 | 2;
  /** The station calls SEND's price API (send.sync). */
  sendSync?: boolean;
  /** The EC confers its positions to ACA (aca.confers). */
  aca?: boolean;
}

/** Station-suite scenarios (`station:`): run against the station of a profile, written against roles. */
export interface StationSpec {
  roles: Record<string, RoleNeed>;
  requires: StationRequires;
}

export interface Scenario {
  id: string;
  title: string;
  description?: string;
  tags: string[];
  testCase?: string;
  skip?: string;
  setup: Setup;
  steps: Step[];
  at: SourceAt;
  /** Part of the station suite (scenarios/station/): needs a station profile. */
  station?: StationSpec;
}

/** Stations on which a scenario injects faults (skipped when they are the user's). */
export function injectedStations(s: Scenario): Set<string> {
  const out = new Set<string>();
  const add = (inj: unknown) => {
    const st = (inj as { station?: unknown } | null)?.station;
    out.add(typeof st === 'string' ? st : '*');
  };
  s.setup.inject.forEach(add);
  s.setup.positions.injections.forEach(add);
  for (const step of s.steps) {
    if (step.kind !== 'inject') continue;
    const p = step.params;
    (Array.isArray(p) ? p : [p]).forEach(add);
  }
  return out;
}
