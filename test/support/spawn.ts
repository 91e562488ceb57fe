/** Test support: the CLI (or any command) spawned for real, its output captured, stopped by a signal. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.ts';

export const BIN = join(PROJECT_ROOT, 'bin', 'station-harness.js');

export interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first match of `re` on stdout (fails if the process exits first, or after `ms`). */
  waitFor(re: RegExp, ms?: number, stream?: 'stdout' | 'stderr'): Promise<RegExpExecArray>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnCommand(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Spawned {
  const child = spawn(command, args, { cwd: opts.cwd ?? PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    done,
    async waitFor(re, ms = 30_000, stream = 'stdout') {
      const deadline = Date.now() + ms;
      for (;;) {
        const m = re.exec(stream === 'stdout' ? out : err);
        if (m) return m;
        if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) throw new Error(`no ${re} on ${stream} (exit ${child.exitCode ?? child.signalCode}); stdout: ${out}; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return done;
    },
  };
}

/** `station-harness <args>` through the bin, as a user starts it. */
export const spawnCli = (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => spawnCommand(process.execPath, [BIN, ...args], opts);
