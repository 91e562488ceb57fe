/** Test support for the reference stations: a loopback server and a SOAP caller. */
import { closeServer, listenApp } from '../support/loopback.ts';
import { join } from 'node:path';
import type { Server } from 'node:http';
import express from 'express';
import { createControlAccess } from '../../src/control/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { callSoap, type CallResult } from '../../src/soap/client.ts';
import { wrap } from '../../src/soap/envelope.ts';
import { buildXml, type BuildObject } from '../../src/xml/build.ts';
import { NS } from '../../src/xml/schemas.ts';
import { operationByName } from '../../src/soap/operations.ts';
import { schemasRouter } from '../../src/soap/wsdl.ts';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { createReferenceStations, loadPositionsFile, type ReferenceStations, type ReferenceStationsOptions } from '../../src/station/index.ts';

export const EXAMPLE = join(SCENARIOS_DIR, 'fixtures', 'positions.example.yaml');
export const EC = '77777777777';
export const BROKER = '77777777777';
export const ST1 = '77777777777_01';

export interface Harness {
  base: string;
  stations: ReferenceStations;
  journal: Journal;
  clock: ManualClock;
  server: Server;
  close(): Promise<void>;
  call(station: string, operation: string, content: BuildObject, timeoutMs?: number): Promise<CallResult>;
}

/** An express app on an ephemeral loopback port (test/support/loopback.ts). */
export const listen = (app: express.Express): Promise<{ server: Server; base: string }> => listenApp(app);
export { closeServer };

export function loadExample() {
  const r = loadPositionsFile(EXAMPLE);
  if (!r.ok) throw new Error(`example positions invalid: ${JSON.stringify(r.issues)}`);
  return r.config;
}

/** The station writes its exchange after sending the answer: tests that read the record wait for it (event-driven). */
function recordedAfter(journal: Journal, after: number): Promise<void> {
  const isIt = (e: { seq: number; party: string; direction: string }) => e.seq > after && e.party.startsWith('station:') && e.direction === 'inbound';
  if (journal.list().some(isIt)) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const on = (e: { seq: number; party: string; direction: string }) => {
      if (!isIt(e)) return;
      journal.off('exchange', on);
      resolve();
    };
    journal.on('exchange', on);
  });
}

export async function startStations(extra: Partial<ReferenceStationsOptions> = {}): Promise<Harness> {
  const journal = new Journal();
  const clock = new ManualClock();
  const stations = createReferenceStations({ journal, clock, config: loadExample(), onBug: () => {}, ...extra });
  const app = express();
  createControlAccess({ host: '127.0.0.1' }).mount(app);
  app.use(schemasRouter());
  app.use(stations.router);
  const { server, base } = await listen(app);
  const call = async (station: string, operation: string, content: BuildObject, timeoutMs = 60_000) => {
    const op = operationByName(operation)!;
    const envelope = wrap(buildXml({ [`pafn:${op.request}`]: { '@_xmlns:pafn': NS.paForNode, ...content } }));
    const after = journal.lastSeq;
    const r = await callSoap({ url: stations.urlOf(station, base), soapAction: operation, envelope, timeoutMs, expectResponse: op.response });
    if (r.ok) await recordedAfter(journal, after);
    return r;
  };
  return { base, stations, journal, clock, server, call, close: () => closeServer(server) };
}

export const header = (idPA = EC, idStation = ST1, idBrokerPA = BROKER) => ({ idPA, idBrokerPA, idStation });
export const qr = (noticeNumber: string, fiscalCode = EC) => ({ qrCode: { fiscalCode, noticeNumber } });

/** The response Body child of a successful call (fails the test otherwise). */
export function bodyOf(r: CallResult): Record<string, any> {
  if (!r.ok) throw new Error(`call failed: ${r.kind}: ${r.message}`);
  return r.message.bodyChild.value as Record<string, any>;
}

export function receiptContent(o: { receiptId: string; noticeNumber: string; fiscalCode?: string; amount?: string; v2?: boolean }) {
  const transfer = {
    idTransfer: '1',
    transferAmount: o.amount ?? '100.00',
    fiscalCodePA: o.fiscalCode ?? EC,
    IBAN: 'IT60X0542811101000000123456',
    remittanceInformation: 'TARI 2026',
    transferCategory: '0101101IM',
  };
  return {
    receipt: {
      receiptId: o.receiptId,
      noticeNumber: o.noticeNumber,
      fiscalCode: o.fiscalCode ?? EC,
      outcome: 'OK',
      creditorReferenceId: o.noticeNumber.slice(1),
      paymentAmount: o.amount ?? '100.00',
      description: 'TARI 2026',
      companyName: 'Comune di Esempio',
      debtor: { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'ANONIMO' }, fullName: 'Mario Rossi' },
      transferList: { transfer: [transfer] },
      idPSP: '88888888888',
      PSPCompanyName: 'PSP',
      idChannel: '88888888888_01',
      channelDescription: 'app',
      ...(o.v2 ? { paymentNote: 'cart-1', fee: '1.00', primaryCiIncurredFee: '0.50' } : { fee: '1.00' }),
      paymentDateTime: '2026-01-15T10:00:00',
      metadata: { mapEntry: [{ key: 'NOTIFICATION_FEE', value: '0' }] },
      standIn: 'false',
    },
  };
}
