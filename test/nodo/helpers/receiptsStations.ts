/**
 * Small paForNode stations for the receipt-delivery tests: one express app on a loopback
 * port, one foundation SOAP endpoint per station at /stations/<idStation>, each recording
 * the receipts it gets and answering as its behaviour says (OK, KO, no answer, garbage).
 */
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSoapEndpoint } from '../../../src/soap/endpoint.ts';
import { faultBeanObject } from '../../../src/soap/fault.ts';
import { Journal } from '../../../src/soap/exchange.ts';
import { ManualClock } from '../../../src/clock.ts';
import { createReceiptDelivery, type ReceiptDelivery, type ReceiptDeliveryOptions } from '../../../src/nodo/receipts/index.ts';
import type { XmlObject } from '../../../src/xml/read.ts';
import { NS } from '../../../src/xml/schemas.ts';
import type { Association, Registry, Station } from '../../../src/nodo/registry.ts';

export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'ko'; faultCode: string }
  /** Holds the request until the test releases it or tears down (or the Nodo times out), then closes the connection. */
  | { kind: 'hang' }
  /** Closes the connection without answering. */
  | { kind: 'close' }
  /** A 200 answer that is not valid against the XSD. */
  | { kind: 'invalid' };

export interface Received {
  primitive: string;
  idPA: string;
  idBrokerPA: string;
  idStation: string;
  receipt: XmlObject;
  issues: number;
}

export interface TestStations {
  baseUrl: string;
  url(idStation: string): string;
  received(idStation: string): Received[];
  /** Behaviour per attempt number (1-based) for a station; default OK. */
  behave(idStation: string, b: (n: number) => Behaviour): void;
  /** Ends every held request (connection closed), and from now on `hang` closes at once. */
  release(): void;
  close(): Promise<void>;
}

export async function startTestStations(journal: Journal, stationCodes: string[], now: () => Date): Promise<TestStations> {
  const app = express();
  const got = new Map<string, Received[]>();
  const behaviours = new Map<string, (n: number) => Behaviour>();
  const releases = new Set<() => void>();
  let released = false;
  for (const code of stationCodes) {
    got.set(code, []);
    app.use(
      `/stations/${code}`,
      createSoapEndpoint({
        iface: 'paForNode',
        journal,
        party: `station:${code}`,
        caller: 'nodo',
        now,
        systemError: (ctx) => ({
          [`pafn:${ctx.operation.response}`]: {
            '@_xmlns:pafn': NS.paForNode,
            outcome: 'KO',
            fault: faultBeanObject({ faultCode: 'PAA_SYSTEM_ERROR', faultString: 'system error', id: code }),
          },
        }),
        async handle(ctx) {
          const v = ctx.message.bodyChild.value;
          const list = got.get(code)!;
          list.push({
            primitive: ctx.operation.name,
            idPA: String(v['idPA']),
            idBrokerPA: String(v['idBrokerPA']),
            idStation: String(v['idStation']),
            receipt: v['receipt'] as XmlObject,
            issues: ctx.message.issues.length,
          });
          const b = (behaviours.get(code) ?? (() => ({ kind: 'ok' }) as Behaviour))(list.length);
          const res = `pafn:${ctx.operation.response}`;
          switch (b.kind) {
            case 'ok':
              return { kind: 'response', body: { [res]: { '@_xmlns:pafn': NS.paForNode, outcome: 'OK' } } };
            case 'ko':
              return {
                kind: 'response',
                body: {
                  [res]: {
                    '@_xmlns:pafn': NS.paForNode,
                    outcome: 'KO',
                    fault: faultBeanObject({ faultCode: b.faultCode, faultString: 'rejected', id: code, description: 'test KO' }),
                  },
                },
              };
            case 'hang':
              if (!released) await new Promise<void>((resolve) => releases.add(resolve));
              return { kind: 'drop', mode: 'close' };
            case 'close':
              return { kind: 'drop', mode: 'close' };
            case 'invalid':
              return {
                kind: 'raw',
                status: 200,
                body: `<?xml version="1.0"?>\n<soapenv:Envelope xmlns:soapenv="${NS.soap11}">\n<soapenv:Body>\n<pafn:${ctx.operation.response} xmlns:pafn="${NS.paForNode}">\n<outcome>MAYBE</outcome>\n</pafn:${ctx.operation.response}>\n</soapenv:Body>\n</soapenv:Envelope>\n`,
              };
          }
        },
      }),
    );
  }
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    url: (idStation) => `${baseUrl}/stations/${idStation}`,
    received: (idStation) => got.get(idStation) ?? [],
    behave: (idStation, b) => void behaviours.set(idStation, b),
    release() {
      released = true;
      for (const r of releases) r();
      releases.clear();
    },
    async close() {
      for (const r of releases) r();
      releases.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A version-2 station with the given primitive version, broker = the first 11 characters. */
export function station(stationCode: string, primitiveVersion: 1 | 2, extra: Partial<Station> = {}): Station {
  return { stationCode, brokerCode: stationCode.slice(0, 11), enabled: true, version: 2, primitiveVersion, endpoint: 'reference', timeouts: {}, ...extra };
}

export function association(fiscalCode: string, stationCode: string, broadcast: boolean, extra: Partial<Association> = {}): Association {
  return { fiscalCode, stationCode, auxDigit: 3, segregationCode: '01', broadcast, enabled: true, ...extra };
}

export function registryOf(stations: Station[], associations: Association[], ecs: string[]): Registry {
  return {
    creditorInstitutions: ecs.map((fiscalCode) => ({ fiscalCode, businessName: `EC ${fiscalCode}`, enabled: true, ibans: [], postalAccounts: [] })),
    brokers: [...new Set(stations.map((s) => s.brokerCode))].map((brokerCode) => ({ brokerCode, enabled: true })),
    stations,
    associations,
    psps: [{ pspCode: '88888888888', businessName: 'PSP Demo SpA', fiscalCode: '88888888888', enabled: true }],
    pspBrokers: [{ brokerPspCode: '88888888888', enabled: true }],
    channels: [
      {
        channelCode: '88888888888_01',
        brokerPspCode: '88888888888',
        pspCodes: ['88888888888'],
        enabled: true,
        password: 'PLACEHOLDER',
        description: 'app',
        primitiveVersion: 2,
        newFaultCode: false,
        paymentModel: 'ACTIVATED_AT_PSP',
      },
    ],
  };
}

/** A receipt-delivery world: journal, manual clock, test stations and the delivery part. */
export interface ReceiptWorld {
  journal: Journal;
  clock: ManualClock;
  stations: TestStations;
  delivery: ReceiptDelivery;
  /** Replace the registry (station moved, configuration changed). */
  setRegistry(r: Registry): void;
  close(): Promise<void>;
}

export async function startReceiptWorld(
  registry: Registry,
  options: ReceiptDeliveryOptions = {},
  urlOf?: (code: string, stations: TestStations) => string,
): Promise<ReceiptWorld> {
  const journal = new Journal();
  const clock = new ManualClock();
  let current = registry;
  const stations = await startTestStations(
    journal,
    registry.stations.map((s) => s.stationCode),
    () => clock.now(),
  );
  const delivery = createReceiptDelivery({
    journal,
    clock,
    registry: () => current,
    stationUrl: (code) => (urlOf ? urlOf(code, stations) : stations.url(code)),
    options: { timeout: 60_000, ...options },
  });
  return {
    journal,
    clock,
    stations,
    delivery,
    setRegistry: (r) => {
      current = r;
    },
    async close() {
      delivery.close();
      await stations.close();
    },
  };
}
