/**
 * Who receives a receipt and with which primitive (docs/primitives.md §10.1): a pure function
 * of the registry at delivery time and the receipt. Rules R-PRIMARY, R-SECONDARY,
 * R-PRIMARY-BROADCAST, one delivery per (EC, station) pair, primitive from the recipient
 * station's configuration; a recipient that gets nothing carries the reason.
 */
import { asArray } from '../../xml/index.ts';
import type { Association, Registry, Station } from '../registry.ts';
import type { Header, ReceiptInput, ReceiptPrimitive } from './receipt.ts';

export type RecipientRule = 'R-PRIMARY' | 'R-SECONDARY' | 'R-PRIMARY-BROADCAST';

/**
 * The contested R-SECONDARY corner (§10.1 rule 2):
 * - `258` (default): a secondary EC receives on each of its broadcast associations, whatever
 *   its association with the station that served the payment.
 * - `148`: a secondary EC associated with the serving station receives there (one receipt
 *   addressed to it); only a secondary EC not associated with it uses its broadcast stations.
 */
export type SecondaryRule = '258' | '148';

export interface RecipientOptions {
  secondaryRule?: SecondaryRule;
}

export interface Recipient {
  rule: RecipientRule;
  /** Header triple: the recipient association (EC, broker, station). */
  header: Header;
  /** The primitive to send, or undefined when nothing is sent (see `skip`). */
  primitive?: ReceiptPrimitive;
  /** Why this recipient gets nothing (station version 1, unknown or disabled station). */
  skip?: string;
}

const key = (idPA: string, idStation: string) => `${idPA}|${idStation}`;

/** The primitive for a station as configured now, or the reason why it gets nothing. */
export function primitiveFor(station: Station | undefined, stationCode: string): { primitive: ReceiptPrimitive } | { skip: string } {
  if (!station) return { skip: `station ${stationCode} is not in the registry any more, so there is no endpoint to send the receipt to` };
  if (!station.enabled) return { skip: `station ${stationCode} is disabled in the registry` };
  if (station.version === 1)
    return { skip: `station ${stationCode} is version 1 (old model): the real Nodo would send the legacy paaInviaRT, which the harness does not emulate` };
  return { primitive: station.primitiveVersion === 2 ? 'paSendRTV2' : 'paSendRT' };
}

function broadcastAssociations(registry: Registry, fiscalCode: string): Association[] {
  return registry.associations.filter((a) => a.fiscalCode === fiscalCode && a.broadcast && a.enabled);
}

/** Distinct beneficiary ECs of the transfers other than the notice issuer, in transfer order. */
export function secondaryEcs(input: ReceiptInput): string[] {
  const primary = input.qrCode.fiscalCode;
  const all = asArray(input.payment?.transferList?.transfer).map((t) => t.fiscalCodePA);
  return [...new Set(all)].filter((fc) => fc !== primary);
}

export function recipientsOf(registry: Registry, input: ReceiptInput, opts: RecipientOptions = {}): Recipient[] {
  const secondaryRule = opts.secondaryRule ?? '258';
  const stationOf = (code: string) => registry.stations.find((s) => s.stationCode === code);
  const out: Recipient[] = [];
  const seen = new Set<string>();
  const add = (rule: RecipientRule, header: Header) => {
    const k = key(header.idPA, header.idStation);
    if (seen.has(k)) return;
    seen.add(k);
    const p = primitiveFor(stationOf(header.idStation), header.idStation);
    out.push({ rule, header, ...p });
  };
  const headerOf = (a: Association): Header => ({ idPA: a.fiscalCode, idBrokerPA: stationOf(a.stationCode)?.brokerCode ?? '', idStation: a.stationCode });

  // R-PRIMARY: the station that served the payment, with the ids of payment time.
  const served = input.servedBy;
  add('R-PRIMARY', { idPA: served.idPA, idBrokerPA: served.idBrokerPA, idStation: served.idStation });

  // R-SECONDARY: each distinct secondary EC, on its broadcast associations (switch #148/#258).
  for (const ec of secondaryEcs(input)) {
    if (secondaryRule === '148') {
      const onServing = registry.associations.find((a) => a.fiscalCode === ec && a.stationCode === served.idStation && a.enabled);
      if (onServing) {
        add('R-SECONDARY', headerOf(onServing));
        continue;
      }
    }
    for (const a of broadcastAssociations(registry, ec)) add('R-SECONDARY', headerOf(a));
  }

  // R-PRIMARY-BROADCAST: only when the payment was served with primitive version 2.
  const servedVersion = served.primitiveVersion ?? stationOf(served.idStation)?.primitiveVersion;
  if (servedVersion === 2) {
    for (const a of broadcastAssociations(registry, input.qrCode.fiscalCode)) add('R-PRIMARY-BROADCAST', headerOf(a));
  }
  return out;
}
