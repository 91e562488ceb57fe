/**
 * Where the exchange lines of `nodo`, `station` and `serve` go: standard error, buffered. A write
 * to a pipe or a file is synchronous in Node, and one per exchange cost the mock Nodo ~9% and a
 * station ~15% of their time under load (issue 19). Lines are collected and written together at
 * most FLUSH_MS later, or as soon as 64 KB wait, and always before the process stops (flush())
 * or exits. The level chooses what is printed:
 *   info    every exchange (default)
 *   warn    only exchanges that went wrong: a KO, a fault, a failed call, schema issues, our bugs
 *   silent  nothing
 * (--log-level, or HARNESS_LOG_LEVEL).
 */
import type { Exchange } from '../soap/index.ts';
import { ERR, HarnessError } from '../errors.ts';

export const LOG_LEVELS = ['info', 'warn', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const FLUSH_MS = 50;
const FLUSH_BYTES = 64 * 1024;

export const LOG_LEVEL_HELP = `  --log-level l      what to print per exchange on standard error: info (every exchange, the
                     default), warn (only KO, faults, failed calls, schema issues), silent.
                     Env: HARNESS_LOG_LEVEL. Lines are written in batches (at most 50 ms late)`;

export const LOG_LEVEL_OPTION = { 'log-level': { type: 'string' as const } };

export function logLevelFrom(value: string | undefined, env: NodeJS.ProcessEnv = process.env): LogLevel {
  const v = value ?? env['HARNESS_LOG_LEVEL'] ?? 'info';
  if ((LOG_LEVELS as readonly string[]).includes(v)) return v as LogLevel;
  throw new HarnessError(ERR.USAGE, `Failed to read --log-level '${v}': not a level. Use one of ${LOG_LEVELS.join(', ')}.`);
}

/** An exchange worth a line at level warn. */
export function wentWrong(e: Exchange): boolean {
  return (
    e.outcome === 'KO' ||
    e.faultCode !== undefined ||
    e.failure !== undefined ||
    e.requestIssues.length > 0 ||
    e.responseIssues.length > 0 ||
    (e.httpStatus !== undefined && e.httpStatus >= 400) ||
    e.notes.some((n) => n.startsWith('BUG'))
  );
}

export interface BufferedLog {
  /** `line` where the level lets the exchange through, '' (nothing printed) elsewhere. */
  filter<A extends unknown[]>(line: (e: Exchange, ...rest: A) => string): (e: Exchange, ...rest: A) => string;
  /** Queues one line ('' is skipped). */
  write(line: string): void;
  /** Writes what is waiting, now. */
  flush(): void;
}

export function createBufferedLog(level: LogLevel, out: (text: string) => void = (t) => void process.stderr.write(t)): BufferedLog {
  let waiting: string[] = [];
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!waiting.length) return;
    const text = waiting.join('');
    waiting = [];
    bytes = 0;
    out(text);
  };
  process.once('exit', flush);
  return {
    filter:
      (line) =>
      (e, ...rest) =>
        level === 'silent' || (level === 'warn' && !wentWrong(e)) ? '' : line(e, ...rest),
    write(line) {
      if (!line) return;
      waiting.push(`${line}\n`);
      bytes += line.length + 1;
      if (bytes >= FLUSH_BYTES) flush();
      else if (!timer) {
        timer = setTimeout(flush, FLUSH_MS);
        timer.unref();
      }
    },
    flush,
  };
}
