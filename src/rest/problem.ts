/**
 * RFC 7807 problem+json bodies for the GPD and SEND REST emulators, and JSON-schema
 * validation of request bodies with ajv (errors returned, never thrown).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { describeHttpError, statusOf } from '../soap/index.ts';

export interface ProblemError {
  code: string;
  element?: string;
  detail: string;
}

export interface Problem {
  status: number;
  title: string;
  detail: string;
  type?: string;
  /** SEND-style error list (`errors[]` of pn-delivery problems). */
  errors?: ProblemError[];
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const problem = (status: number, title: string, detail: string, errors?: ProblemError[]): { ok: false; problem: Problem } => ({
  ok: false,
  problem: { status, title, detail, ...(errors ? { errors } : {}) },
});

export function sendProblem(res: Response, p: Problem): void {
  res
    .status(p.status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: p.type ?? 'about:blank', ...p }));
}

let ajv: Ajv2020 | undefined;

/**
 * A validator of `schema`, compiled on its first call (compiling at import cost every process
 * that imports this module start-up time, most never validate these bodies). Its `errors` are
 * those of its last call, as ajv's.
 */
export function compileSchema(schema: object): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const lazy = ((data: unknown) => {
    ajv ??= new Ajv2020({ allErrors: true, strict: false });
    compiled ??= ajv.compile(schema);
    const ok = compiled(data);
    lazy.errors = compiled.errors;
    return ok;
  }) as ValidateFunction;
  return lazy;
}

function describe(e: ErrorObject): ProblemError {
  const where = e.instancePath || '/';
  return { code: 'INVALID_JSON', element: where, detail: `${where} ${e.message ?? 'is invalid'}` };
}

/** Validates `body` and returns the JSON-schema findings as a 400 problem, or the typed body. */
export function validateBody<T>(validate: ValidateFunction, body: unknown, what: string): Outcome<T> {
  if (body === undefined || body === null || typeof body !== 'object') {
    return problem(400, 'Bad Request', `Failed to read the ${what}: the body is not a JSON object. Send Content-Type application/json with a JSON object.`);
  }
  if (validate(body)) return ok(body as T);
  const errors = (validate.errors ?? []).map(describe);
  return problem(400, 'Bad Request', `Failed to validate the ${what}: ${errors.map((e) => e.detail).join('; ')}. Fix the body and retry.`, errors);
}

/**
 * Last middleware of a REST router: an exception of ours becomes a 500 problem, never a stack
 * trace; an error the request caused (a malformed percent-escape in a path parameter, a body
 * too large or unreadable) keeps its 4xx and is not reported as our bug.
 */
export function problemErrorHandler(onBug?: (message: string) => void) {
  return (err: Error, req: Request, res: Response, _next: NextFunction): void => {
    const status = err instanceof URIError ? 400 : statusOf(err);
    if (status < 500) {
      if (!res.headersSent) sendProblem(res, { status, title: status === 413 ? 'Payload Too Large' : 'Bad Request', detail: describeHttpError(err, status) });
      return;
    }
    onBug?.(`${req.method} ${req.originalUrl} threw: ${err.message}`);
    if (res.headersSent) return;
    sendProblem(res, {
      status: 500,
      title: 'Internal Server Error',
      detail: 'Failed to handle the request: internal error of the harness (see its log). Report it with the request.',
    });
  };
}

/** A JSON body parser whose errors (malformed JSON, too large) are problem+json, never HTML. */
export function jsonBody(): express.RequestHandler[] {
  return [
    express.json({ limit: '1mb', type: () => true }),
    ((err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
      if (!err) return next();
      const status = err.type === 'entity.too.large' ? 413 : 400;
      sendProblem(res, {
        status,
        title: 'Bad Request',
        detail: `Failed to read the JSON body: ${err.message}. Send a valid JSON object with Content-Type application/json.`,
      });
    }) as unknown as express.RequestHandler,
  ];
}
