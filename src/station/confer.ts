/**
 * The reference EC's back office conferring its positions to ACA (docs/aca-standin.md §2): one
 * `paCreatePosition` per payable position it holds, over HTTP, with the total amount and the
 * issuing EC (ACA takes one transfer only, §2.9), credited to the EC's first bank IBAN of the
 * position. Each call's answer is returned: the caller decides what a refusal means.
 */
import { iuvOf } from './noticeNumber.ts';
import type { Position } from './model.ts';

export interface ConferResult {
  fiscalCode: string;
  noticeNumber: string;
  status: number;
  /** The answer's body (JSON text, or ACA's plain text). */
  body: string;
}

/** The paCreatePosition body of a position (JSON, eurocent). */
export function paCreatePositionBody(p: Position): Record<string, unknown> {
  const own = p.transfers.find((t) => t.fiscalCode === p.fiscalCode && t.iban) ?? p.transfers.find((t) => t.iban);
  const amount = p.transfers.reduce((n, t) => n + t.amountCents, 0);
  return {
    paFiscalCode: p.fiscalCode,
    entityType: p.debtor.type,
    entityFiscalCode: p.debtor.id,
    entityFullName: p.debtor.fullName,
    iuv: iuvOf(p.noticeNumber),
    nav: p.noticeNumber,
    amount,
    description: p.description,
    expirationDate: `${p.dueDate}T23:59:59Z`,
    ...(own?.iban && own.iban.length === 27 ? { iban: own.iban } : {}),
  };
}

/** Confers `positions` (the payable ones) to ACA at `acaBaseUrl` (e.g. `http://host:port/aca/v1`). */
export async function conferToAca(positions: Position[], acaBaseUrl: string, subscriptionKey: string): Promise<ConferResult[]> {
  const out: ConferResult[] = [];
  for (const p of positions.filter((x) => x.state === 'payable')) {
    try {
      const r = await fetch(`${acaBaseUrl.replace(/\/+$/, '')}/paCreatePosition`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': subscriptionKey },
        body: JSON.stringify(paCreatePositionBody(p)),
      });
      out.push({ fiscalCode: p.fiscalCode, noticeNumber: p.noticeNumber, status: r.status, body: await r.text() });
    } catch (e) {
      out.push({ fiscalCode: p.fiscalCode, noticeNumber: p.noticeNumber, status: 0, body: `Failed to reach ACA at ${acaBaseUrl}: ${(e as Error).message}` });
    }
  }
  return out;
}
