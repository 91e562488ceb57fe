/**
 * Caller-configuration checks on every nodeForPsp request (docs/primitives.md §8.1, §8.5),
 * in the Nodo's order: PSP, PSP broker, channel (unknown/disabled), password, then
 * whether the channel belongs to that broker, serves that PSP, and is enabled for what the
 * request uses: the payment model (nodeForPsp is model 3, ACTIVATED_AT_PSP) and the payment
 * type (activatePaymentNoticeV2 paymentMethod). Issue 14 item 5.
 */
import type { PptCode } from './faults.ts';
import { findChannel, findPsp, findPspBroker, type Channel, type PaymentType, type Psp, type PspBroker, type Registry } from './registry.ts';

export interface Caller {
  idPSP: string;
  idBrokerPSP: string;
  idChannel: string;
  password: string;
  /** The payment type the request uses (activatePaymentNoticeV2 paymentMethod), when it names one. */
  paymentMethod?: string;
}

export type CallerResult = { ok: true; psp: Psp; broker: PspBroker; channel: Channel } | { ok: false; code: PptCode; why: string };

const no = (code: PptCode, why: string): CallerResult => ({ ok: false, code, why });

export function readCaller(v: Record<string, unknown>): Caller {
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '');
  const paymentMethod = s('paymentMethod');
  return { idPSP: s('idPSP'), idBrokerPSP: s('idBrokerPSP'), idChannel: s('idChannel'), password: s('password'), ...(paymentMethod ? { paymentMethod } : {}) };
}

export function checkCaller(reg: Registry, c: Caller): CallerResult {
  const psp = findPsp(reg, c.idPSP);
  if (!psp) return no('PPT_PSP_SCONOSCIUTO', `idPSP ${c.idPSP} is not in the registry`);
  if (!psp.enabled) return no('PPT_PSP_DISABILITATO', `PSP ${c.idPSP} is disabled`);
  const broker = findPspBroker(reg, c.idBrokerPSP);
  if (!broker) return no('PPT_INTERMEDIARIO_PSP_SCONOSCIUTO', `idBrokerPSP ${c.idBrokerPSP} is not in the registry`);
  if (!broker.enabled) return no('PPT_INTERMEDIARIO_PSP_DISABILITATO', `PSP broker ${c.idBrokerPSP} is disabled`);
  const channel = findChannel(reg, c.idChannel);
  if (!channel) return no('PPT_CANALE_SCONOSCIUTO', `idChannel ${c.idChannel} is not in the registry`);
  if (!channel.enabled) return no('PPT_CANALE_DISABILITATO', `channel ${c.idChannel} is disabled`);
  if (channel.password !== c.password) return no('PPT_AUTENTICAZIONE', `wrong password for channel ${c.idChannel}`);
  if (channel.brokerPspCode !== c.idBrokerPSP)
    return no('PPT_AUTORIZZAZIONE', `channel ${c.idChannel} belongs to PSP broker ${channel.brokerPspCode}, not ${c.idBrokerPSP}`);
  if (!channel.pspCodes.includes(c.idPSP))
    return no('PPT_AUTORIZZAZIONE', `channel ${c.idChannel} is not enabled for PSP ${c.idPSP} (it serves ${channel.pspCodes.join(', ')})`);
  if (channel.paymentModel !== 'ACTIVATED_AT_PSP')
    return no(
      'PPT_AUTORIZZAZIONE',
      `channel ${c.idChannel} has payment model ${channel.paymentModel}; the nodeForPsp primitives are payments activated at the PSP (model 3, ACTIVATED_AT_PSP)`,
    );
  if (c.paymentMethod !== undefined && channel.paymentTypes && !channel.paymentTypes.includes(c.paymentMethod as PaymentType))
    return no('PPT_AUTORIZZAZIONE', `channel ${c.idChannel} is not enabled for payment type ${c.paymentMethod} (it is for ${channel.paymentTypes.join(', ')})`);
  return { ok: true, psp, broker, channel };
}
