/** Control API protection shared by every part's /_control routes (guard.ts) and secret masking (mask.ts). */
export {
  CONTROL_ROOT,
  CONTROL_TOKEN_HEADER,
  createControlAccess,
  isLoopback,
  requireControlGuard,
  resolveControlToken,
  type ControlAccess,
  type ControlAccessOptions,
} from './guard.ts';
export { maskSecrets, maskText, MASK } from './mask.ts';
