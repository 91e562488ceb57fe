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
  /**
   * Resolves with the first match of `re` on stdout (or stderr), checked on every chunk; fails if the
   * process ends first. No deadline of its own: however slow a loaded machine, only the test's timeout ends the wait.
   */
  waitFor(re: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpExecArray>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnCommand(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Spawned {
  const child = spawn(command, args, { cwd: opts.cwd ?? PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
  let out = '';
  let err = '';
  let ended = false;
  const waiters = new Set<() => void>();
  const poke = () => {
    for (const w of waiters) w();
  };
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    poke();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    poke();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('close', (code, signal) => {
      ended = true;
      r({ code, signal });
      poke();
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    done,
    waitFor(re, stream = 'stdout') {
      return new Promise<RegExpExecArray>((resolve, reject) => {
        const check = () => {
          const m = re.exec(stream === 'stdout' ? out : err);
          if (!m && !ended) return;
          waiters.delete(check);
          if (m) resolve(m);
          else reject(new Error(`no ${re} on ${stream} (exit ${child.exitCode ?? child.signalCode}); stdout: ${out}; stderr: ${err}`));
        };
        waiters.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return done;
    },
  };
}

/** `station-harness <args>` through the bin, as a user starts it. */
export const spawnCli = (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => spawnCommand(process.execPath, [BIN, ...args], opts);
