/** Public entry of the GPD emulator (debt positions, the notificationfee update, GPD as a station, receipts; see README.md). */
export { createGpd, type Gpd, type GpdOptions } from './gpd.ts';
export type { DebtPosition, DebtPositionInput, PaymentOption, TransferInput } from './gpdModel.ts';
export type { GpdStore, PayableState } from './gpdStore.ts';
export {
  APIM_BODY,
  checkKey,
  DEFAULT_SUBSCRIPTION_KEY,
  DEFAULT_SUBSCRIPTIONS,
  enabledFor,
  segregationCodesOf,
  type Subscription,
  subscriptionsProblem,
} from './apim.ts';
export { validateDebtPosition } from './gpdSchemas.ts';
