/**
 * Harness errors: our own failures (bad config, bad CLI usage, I/O), with stable codes.
 * Target misbehaviour is never an error: it is a recorded result with evidence.
 * Messages read "Failed to <do X>: <why>. <what to do>."
 */
export const ERR = {
  USAGE: 'ERR_USAGE',
  CONFIG: 'ERR_CONFIG',
  IO: 'ERR_IO',
  SCENARIO_INVALID: 'ERR_SCENARIO_INVALID',
  TARGET_UNREACHABLE: 'ERR_TARGET_UNREACHABLE',
  INTERNAL: 'ERR_INTERNAL',
} as const;
export type ErrCode = (typeof ERR)[keyof typeof ERR];

export class HarnessError extends Error {
  readonly code: ErrCode;
  readonly detail: Record<string, unknown>;
  constructor(code: ErrCode, message: string, detail: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HarnessError';
    this.code = code;
    this.detail = detail;
  }
}

/**
 * By shape, not `instanceof`: a module can be loaded twice (the CLI imports command files by
 * URL while a test's import graph may hold another instance of this file), and a user error
 * must never turn into "internal error" because of it.
 */
export function isHarnessError(e: unknown): e is HarnessError {
  if (e instanceof HarnessError) return true;
  const x = e as { name?: unknown; code?: unknown } | null;
  return e instanceof Error && x!.name === 'HarnessError' && typeof x!.code === 'string' && (Object.values(ERR) as string[]).includes(x!.code as string);
}

/** Fixed exit codes of the CLI. */
export const EXIT = {
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  HARNESS: 3,
  INTERRUPTED: 130,
  /** Stopped by SIGTERM (128 + 15), e.g. `docker stop` or a CI job's cancel. */
  TERMINATED: 143,
} as const;

export function exitCodeFor(e: unknown): number {
  if (!isHarnessError(e)) return EXIT.HARNESS;
  switch (e.code) {
    case ERR.USAGE:
    case ERR.CONFIG:
    case ERR.IO:
    case ERR.SCENARIO_INVALID:
      return EXIT.USAGE;
    default:
      return EXIT.HARNESS;
  }
}
