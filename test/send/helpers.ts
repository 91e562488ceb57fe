/** Test helpers for test/send: one express app on a loopback port, JSON calls, fixtures. */
import express, { type Router } from 'express';
import { createControlAccess } from '../../src/control/index.ts';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { DebtPositionInput } from '../../src/gpd/gpdModel.ts';
import { createGpd, type Gpd } from '../../src/gpd/gpd.ts';
import { ManualClock } from '../../src/clock.ts';
import { Journal } from '../../src/soap/exchange.ts';

export interface Started {
  baseUrl: string;
  close(): Promise<void>;
}

export async function startApp(...routers: Router[]): Promise<Started> {
  const app = express();
  createControlAccess({ host: '127.0.0.1' }).mount(app);
  for (const r of routers) app.use(r);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any; contentType: string }> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep text */
  }
  return { status: res.status, body: parsed, contentType: res.headers.get('content-type') ?? '' };
}

export const EC = '77777777777';
export const OTHER_EC = '11111111111';

/** A one-option position: 100.00 EUR = 80.00 to the EC (primary) + 20.00 to another EC. */
export function position(iupd: string, iuv: string, overrides: Partial<DebtPositionInput> = {}): DebtPositionInput {
  return {
    iupd,
    type: 'F',
    fiscalCode: 'RSSMRA80A01H501U',
    fullName: 'Mario Rossi',
    companyName: 'Comune di Esempio',
    paymentOption: [
      {
        iuv,
        amount: 10000,
        description: 'TARI 2026',
        isPartialPayment: false,
        dueDate: '2026-12-31',
        transfer: [
          { idTransfer: '1', amount: 8000, remittanceInformation: 'TARI quota comune', category: '0101101IM', iban: 'IT60X0542811101000000123456' },
          {
            idTransfer: '2',
            amount: 2000,
            organizationFiscalCode: OTHER_EC,
            remittanceInformation: 'TARI quota provincia',
            category: '0101101IM',
            iban: 'IT60X0542811101000000654321',
          },
        ],
      },
    ],
    ...overrides,
  };
}

export interface Pay {
  nav: string;
  applyCost: boolean;
  cf?: string;
}

/** A v2.6 notification request with one recipient per payments list. */
export function notification(opts: {
  protocol: string;
  mode?: 'NONE' | 'SYNC' | 'ASYNC';
  policy?: 'FLAT_RATE' | 'DELIVERY_MODE';
  paFee?: number;
  vat?: number;
  recipients: Pay[][];
}): Record<string, unknown> {
  return {
    paProtocolNumber: opts.protocol,
    subject: 'Avviso di pagamento TARI',
    notificationFeePolicy: opts.policy ?? 'DELIVERY_MODE',
    ...(opts.paFee !== undefined ? { paFee: opts.paFee } : {}),
    ...(opts.vat !== undefined ? { vat: opts.vat } : {}),
    ...(opts.mode ? { pagoPaIntMode: opts.mode } : {}),
    recipients: opts.recipients.map((pays, i) => ({
      recipientType: 'PF',
      taxId: `RSSMRA80A0${i}H501U`,
      denomination: `Mario Rossi ${i}`,
      payments: pays.map((p) => ({ pagoPa: { noticeCode: p.nav, creditorTaxId: p.cf ?? EC, applyCost: p.applyCost } })),
    })),
  };
}

/** A GPD emulator on a manual clock (2026-03-01T10:00Z) with its own journal, served on a loopback port. */
export async function startGpd(): Promise<{ app: Started; gpd: Gpd; journal: Journal; clock: ManualClock }> {
  const journal = new Journal();
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const gpd = createGpd({ journal, clock });
  return { app: await startApp(gpd.router), gpd, journal, clock };
}
