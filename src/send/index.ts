/** Public entry of the SEND and GPD emulators (see README.md). */
export { createGpd, type Gpd, type GpdOptions } from './gpd.ts';
export { createSend, type Send, type SendOptions } from './send.ts';
export type { DebtPosition, DebtPositionInput, PaymentOption, TransferInput } from './gpdModel.ts';
export type { GpdStore, PayableState } from './gpdStore.ts';
export type { NewNotificationRequest, NotificationRequestRecord, Routing, ActualMode, SendFinding, PagoPaIntMode, NotificationFeePolicy } from './sendModel.ts';
export type { NotificationPriceV23, CostPhase } from './costEngine.ts';
export { totalPrice, costWithVat } from './costEngine.ts';
export type { HttpInjection } from './httpInjection.ts';
export type { PhaseRequest, PhaseResult } from './sendService.ts';
