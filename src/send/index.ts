/** Public entry of the SEND emulator (notification requests, validation against GPD, costs, the price API; see README.md). */
export { createSend, type Send, type SendOptions } from './send.ts';
export type { NewNotificationRequest, NotificationRequestRecord, Routing, ActualMode, SendFinding, PagoPaIntMode, NotificationFeePolicy } from './sendModel.ts';
export type { NotificationPriceV23, CostPhase } from './costEngine.ts';
export { totalPrice, costWithVat } from './costEngine.ts';
export type { PhaseRequest, PhaseResult } from './sendService.ts';
export { PHASES } from './sendService.ts';
