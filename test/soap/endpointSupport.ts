/** A paForNode endpoint answering paVerifyPaymentNotice with OK, served on a loopback port. */
import express from 'express';
import { ManualClock } from '../../src/clock.ts';
import { createSoapPort } from '../../src/soap/endpoint.ts';
import { soapFirst } from '../../src/soap/dispatch.ts';
import { unwrap } from '../../src/soap/envelope.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { NS } from '../../src/xml/schemas.ts';
import { listenRaw, post, type Served } from '../support/loopback.ts';

export const VERIFY_REQUEST = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="${NS.soap11}" xmlns:pafn="${NS.paForNode}">
  <soapenv:Body>
    <pafn:paVerifyPaymentNoticeReq>
      <idPA>77777777777</idPA>
      <idBrokerPA>77777777777</idBrokerPA>
      <idStation>77777777777_01</idStation>
      <qrCode><fiscalCode>77777777777</fiscalCode><noticeNumber>301000000000001255</noticeNumber></qrCode>
    </pafn:paVerifyPaymentNoticeReq>
  </soapenv:Body>
</soapenv:Envelope>`;

export interface TestEndpoint extends Served {
  journal: Journal;
  url: string;
  /** How many requests reached the handler; `viaExpress`: how many went through the express app (not the direct path). */
  stats: { handled: number; viaExpress: number };
}

/**
 * Served as the harness serves its ports (soap/dispatch.ts): a POST to exactly /stations/s1 on the
 * direct node:http path, anything else through the express app and the port's router.
 */
export async function startEndpoint(opts: { maxBytes?: number } = {}): Promise<TestEndpoint> {
  const journal = new Journal();
  const clock = new ManualClock();
  const state = { handled: 0, viaExpress: 0 };
  const app = express();
  app.use((_req, _res, next) => {
    state.viaExpress++;
    next();
  });
  const port = createSoapPort({
    iface: 'paForNode',
    journal,
    party: 'station:s1',
    caller: 'nodo',
    now: () => clock.now(),
    ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}),
    handle: async () => {
      state.handled++;
      return { kind: 'response', body: { 'pafn:paVerifyPaymentNoticeRes': { '@_xmlns:pafn': NS.paForNode, outcome: 'OK', fiscalCodePA: '77777777777' } } };
    },
    systemError: () => ({
      'pafn:paVerifyPaymentNoticeRes': {
        '@_xmlns:pafn': NS.paForNode,
        outcome: 'KO',
        fault: { faultCode: 'PAA_SYSTEM_ERROR', faultString: 'system error', id: '77777777777' },
      },
    }),
  });
  app.use('/stations/s1', port.router);
  const served = await listenRaw(soapFirst(app, [(path) => (path === '/stations/s1' ? port : undefined)]));
  return { ...served, journal, url: `${served.base}/stations/s1`, stats: state };
}

/** The SOAP Fault of an answer (faultcode, faultstring), or undefined when the answer is not a Fault. */
export function faultOf(text: string): { faultcode: string; faultstring: string } | undefined {
  const r = unwrap(text);
  return r.ok && r.message.fault ? { faultcode: r.message.fault.faultcode, faultstring: r.message.fault.faultstring } : undefined;
}

export { post };
