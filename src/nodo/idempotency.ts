/**
 * The idempotency check activate and sendPaymentOutcome both run first (docs/primitives.md §9): a
 * key seen before with the same parameters gets the first answer again, with no side effect; with
 * other parameters, PPT_ERRORE_IDEMPOTENZA; an unknown key (or none, or keys switched off) is a new
 * request. Keys are per PSP; `print` is what "the same parameters" means (everything but the key).
 */
import type { HandlerResult, SoapRequestContext } from '../soap/index.ts';
import type { NodoContext } from './context.ts';
import { nodoKo, s, type Meta } from './respond.ts';
import { fingerprint, type IdempotencyFamily } from './sessions.ts';

export interface IdempotencyCheck {
  /** The request's key, when it has one and the Nodo uses keys. */
  key: string | undefined;
  /** The request's parameters, for remembering its answer under the key. */
  print: string;
  /** The answer when the key decides it: the earlier answer, or PPT_ERRORE_IDEMPOTENZA. */
  answer?: HandlerResult;
}

/** `unanswered`: what the KO adds for the PSP, e.g. "the notice was not routed". */
export function checkIdempotency(
  ctx: NodoContext,
  req: SoapRequestContext,
  family: IdempotencyFamily,
  idPSP: string,
  meta: Meta,
  unanswered?: string,
): IdempotencyCheck {
  const body = req.message.bodyChild.value;
  const key = ctx.settings().useIdempotency ? s(body['idempotencyKey']) : undefined;
  const print = fingerprint(req.operation.name, body);
  const prev = key === undefined ? undefined : ctx.sessions.idempotent(family, idPSP, key);
  if (!prev) return { key, print };
  if (prev.fingerprint !== print)
    return {
      key,
      print,
      answer: nodoKo(
        req,
        'PPT_ERRORE_IDEMPOTENZA',
        `idempotencyKey ${key} was used by an earlier ${req.operation.name} with different parameters${unanswered ? `; ${unanswered}` : ''}`,
        meta,
      ),
    };
  return {
    key,
    print,
    answer: {
      kind: 'response',
      body: prev.response,
      notes: [`idempotencyKey ${key} matches an earlier identical request: its response is returned again, no side effect`],
      meta: prev.meta,
    },
  };
}
