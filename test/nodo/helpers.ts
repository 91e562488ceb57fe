/**
 * Test support for the mock Nodo: one loopback world with the Nodo, the reference
 * stations (identities derived from the default registry) and a scripted station whose
 * answers each test writes by hand (to break exactly one rule), plus a PSP client.
 */
import { closeServer, listenApp } from '../support/loopback.ts';
import { join } from 'node:path';
import type { Server } from 'node:http';
import express from 'express';
import { createControlAccess } from '../../src/control/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { callSoap, type CallResult } from '../../src/soap/client.ts';
import { createSoapEndpoint, type HandlerResult } from '../../src/soap/endpoint.ts';
import { wrap } from '../../src/soap/envelope.ts';
import { operationByName } from '../../src/soap/operations.ts';
import { schemasRouter } from '../../src/soap/wsdl.ts';
import type { BuildObject } from '../../src/xml/build.ts';
import { NS } from '../../src/xml/schemas.ts';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { createNodo, type Nodo, type NodoOptionsInput } from '../../src/nodo/index.ts';
import { loadRegistry, type Registry } from '../../src/nodo/registry.ts';
import {
  createReferenceStations,
  iuvOf,
  makeNoticeNumber,
  type Position,
  type ReferenceStations,
  type StationDef,
  type Transfer,
} from '../../src/station/index.ts';

export const REGISTRY_FILE = join(SCENARIOS_DIR, 'fixtures', 'registry.default.yaml');
export const EC = '77777777777';
export const PSP = { idPSP: '88888888888', idBrokerPSP: '88888888888', idChannel: '88888888888_01', password: 'PLACEHOLDER' };
/** The V1 channel with the legacy fault bean. */
export const PSP_V1 = { ...PSP, idChannel: '88888888888_02' };
export const IBAN = 'IT60X0542811101000000123456';
export const SCRIPTED = 'SCRIPTED_01';

export function defaultRegistry(): Registry {
  const r = loadRegistry(REGISTRY_FILE);
  if (!r.ok) throw new Error(`default registry invalid: ${JSON.stringify(r.issues)}`);
  return r.registry;
}

export function notice(aux: 0 | 1 | 2 | 3, code: string | undefined, base: number): string {
  const r = makeNoticeNumber({
    auxDigit: aux,
    segregationCode: aux === 3 ? code : undefined,
    applicationCode: aux === 0 ? code : undefined,
    base: String(base),
  } as Parameters<typeof makeNoticeNumber>[0]);
  if (!r.ok) throw new Error(r.message);
  return r.noticeNumber;
}

export function transfer(fiscalCode: string, amountCents: number, iban = IBAN, extra: Partial<Transfer> = {}): Transfer {
  return { fiscalCode, amountCents, iban, remittanceInformation: 'TARI 2026', category: '0101101IM', metadata: [], ...extra };
}

export function position(fiscalCode: string, noticeNumber: string, transfers: Transfer[] = [transfer(fiscalCode, 10000)]): Position {
  return {
    fiscalCode,
    noticeNumber,
    iuv: iuvOf(noticeNumber),
    state: 'payable',
    description: 'TARI 2026 rata unica',
    companyName: 'Comune di Esempio',
    dueDate: '2026-12-31',
    debtor: { type: 'F', id: 'RSSMRA80A01H501U', fullName: 'Mario Rossi' },
    transfers,
    metadata: [],
    send: false,
  };
}

/** Station identities the reference stations answer for, derived from the registry. */
export function stationDefs(reg: Registry): StationDef[] {
  return reg.stations
    .filter((s) => s.endpoint === 'reference')
    .map((s) => ({
      idStation: s.stationCode,
      idBrokerPA: s.brokerCode,
      ecs: [...new Set(reg.associations.filter((a) => a.stationCode === s.stationCode).map((a) => a.fiscalCode))],
    }));
}

export type Script = (operation: string, body: Record<string, unknown>) => HandlerResult | Promise<HandlerResult>;

export interface World {
  base: string;
  nodo: Nodo;
  stations: ReferenceStations;
  journal: Journal;
  clock: ManualClock;
  /** Sets what the scripted station (SCRIPTED_01, EC 55555555555, aux 3 seg 01) answers. */
  script(fn: Script): void;
  psp(operation: string, fields: BuildObject, timeoutMs?: number): Promise<CallResult>;
  close(): Promise<void>;
}

export const SCRIPTED_EC = '55555555555';

/** Adds the scripted station and its EC to a registry. */
function withScripted(reg: Registry): Registry {
  return {
    ...reg,
    creditorInstitutions: [
      ...reg.creditorInstitutions,
      { fiscalCode: SCRIPTED_EC, businessName: 'Ente Scriptato', enabled: true, ibans: [IBAN], postalAccounts: [] },
    ],
    stations: [
      ...reg.stations,
      { stationCode: SCRIPTED, brokerCode: '99999999999', enabled: true, version: 2, primitiveVersion: 2, endpoint: 'http://127.0.0.1:1/unused', timeouts: {} },
    ],
    associations: [
      ...reg.associations,
      { fiscalCode: SCRIPTED_EC, stationCode: SCRIPTED, auxDigit: 3, segregationCode: '01', broadcast: false, enabled: true },
    ],
  };
}

/**
 * The Nodo's station timeouts in these worlds: far beyond any answer, however loaded the machine
 * (a timeout only decides a verdict in a test that sets a short one against a held answer).
 */
export const STATION_TIMEOUTS = { paVerifyPaymentNotice: 30_000, paGetPayment: 30_000, paSendRT: 30_000, paDemandPaymentNotice: 30_000 };

export async function startWorld(opts: { registry?: (r: Registry) => Registry; options?: NodoOptionsInput; positions?: Position[] } = {}): Promise<World> {
  const journal = new Journal();
  const clock = new ManualClock();
  const registry = (opts.registry ?? ((r) => r))(withScripted(defaultRegistry()));
  const bugs: string[] = [];
  const nodo = createNodo({ journal, clock, registry, options: { seed: 'test', timeouts: STATION_TIMEOUTS, ...opts.options }, onBug: (m) => bugs.push(m) });
  const stations = createReferenceStations({ journal, clock, stations: stationDefs(registry), onBug: (m) => bugs.push(m) });
  if (opts.positions) stations.loadPositions(opts.positions);
  let script: Script = () => ({ kind: 'drop', mode: 'close' });
  const scripted = createSoapEndpoint({
    iface: 'paForNode',
    journal,
    party: `station:${SCRIPTED}`,
    caller: 'nodo',
    now: () => clock.now(),
    handle: async (ctx) => script(ctx.operation.name, ctx.message.bodyChild.value),
    systemError: () => ({ x: 'unused' }),
  });
  const app = express();
  createControlAccess({ host: '127.0.0.1' }).mount(app);
  app.use(schemasRouter());
  app.use(nodo.router);
  app.use(stations.router);
  app.use(`/scripted`, scripted);
  const { server, base } = await listen(app);
  nodo.setBaseUrl(base);
  nodo.options.stationUrls[SCRIPTED] = `${base}/scripted`;
  return {
    base,
    nodo,
    stations,
    journal,
    clock,
    script(fn) {
      script = fn;
    },
    psp(operation, fields, timeoutMs = 60_000) {
      const op = operationByName(operation)!;
      const envelope = wrap({ [`nfp:${op.request}`]: { '@_xmlns:nfp': NS.nodeForPsp, ...fields } });
      return callSoap({ url: `${base}/nodo`, soapAction: operation, envelope, timeoutMs, expectResponse: op.response });
    },
    async close() {
      nodo.close();
      await closeServer(server);
      if (bugs.length) throw new Error(`harness bugs: ${bugs.join('; ')}`);
    },
  };
}

/** An express app on an ephemeral loopback port (test/support/loopback.ts). */
/** Between the tests of one world: the receipts in flight settled, then the Nodo, the stations and the journal back to their start. */
export async function resetWorld(w: World): Promise<void> {
  await w.nodo.receipts.whenIdle();
  w.nodo.reset();
  w.stations.reset();
  w.journal.clear();
}

export const listen = (app: express.Express): Promise<{ server: Server; base: string }> => listenApp(app);
export { closeServer };

/** The response body as an object, or fails the test with the client's message. */
export function bodyOf(r: CallResult): Record<string, unknown> {
  if (!r.ok) throw new Error(`PSP call failed: ${r.kind} ${r.message}`);
  return r.message.bodyChild.value as Record<string, unknown>;
}

export function faultOf(r: CallResult): Record<string, string> {
  return (bodyOf(r)['fault'] ?? {}) as Record<string, string>;
}

export const verifyReq = (fiscalCode: string, noticeNumber: string, caller = PSP) => ({ ...caller, qrCode: { fiscalCode, noticeNumber } });

export const activateReq = (fiscalCode: string, noticeNumber: string, extra: BuildObject = {}, caller = PSP): BuildObject => ({
  ...caller,
  idempotencyKey: extra['idempotencyKey'],
  qrCode: { fiscalCode, noticeNumber },
  expirationTime: extra['expirationTime'],
  amount: (extra['amount'] as string | undefined) ?? '100.00',
});

export const DETAILS = { paymentMethod: 'creditCard', paymentChannel: 'app', fee: '1.00', applicationDate: '2026-01-15', transferDate: '2026-01-16' };

export const outcomeReq = (token: string, outcome: 'OK' | 'KO', extra: BuildObject = {}, caller = PSP): BuildObject => ({
  ...caller,
  idempotencyKey: extra['idempotencyKey'],
  paymentToken: token,
  outcome,
  details: 'details' in extra ? extra['details'] : DETAILS,
});

export const outcomeV2Req = (tokens: string[], outcome: 'OK' | 'KO', extra: BuildObject = {}, caller = PSP): BuildObject => ({
  ...caller,
  idempotencyKey: extra['idempotencyKey'],
  paymentTokens: { paymentToken: tokens },
  outcome,
  details: 'details' in extra ? extra['details'] : DETAILS,
});

/** Nodo notes recorded for an operation (inbound and outbound), newest last. */
export function nodoNotes(journal: Journal, operation?: string): string[] {
  return journal.list({ party: 'nodo', ...(operation ? { operation } : {}) }).flatMap((e) => e.notes);
}
