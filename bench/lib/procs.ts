/**
 * Servers under benchmark run as their own processes (the load generator stays in the bench
 * process): the harness through its CLI, as users run it, and the reference servers of
 * bench/servers/ through tsx. Each is ready when its start line matches `ready`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.ts';

export const BIN = join(PROJECT_ROOT, 'bin', 'station-harness.js');
export const SERVERS = join(PROJECT_ROOT, 'bench', 'servers');

export interface Proc {
  pid: number;
  /** What `ready` matched (its groups). */
  match: RegExpExecArray;
  /** ms from spawn to the ready line. */
  readyMs: number;
  /** Resident set size now, in MB (from /proc). */
  rssMb(): number;
  /** Everything printed so far (stdout + stderr), for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface ProcOptions {
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Starts `node [nodeArgs] args...` and resolves once stdout or stderr matches `ready`. */
export function startProc(args: string[], ready: RegExp, o: ProcOptions = {}): Promise<Proc> {
  const started = performance.now();
  // BENCH_PROF=<dir>: every server process writes a CPU profile there when it stops.
  const prof = process.env['BENCH_PROF'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_PROF']] : [];
  const child: ChildProcess = spawn(process.execPath, [...prof, ...(o.nodeArgs ?? []), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let tail = '';
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  return new Promise<Proc>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Failed to start ${args.join(' ')}: not ready within ${o.timeoutMs ?? 120_000} ms.\n${text.slice(-2000)}`));
    }, o.timeoutMs ?? 120_000);
    void exited.then(() => {
      clearTimeout(timer);
      if (!done) reject(new Error(`Failed to start ${args.join(' ')}: exited with ${child.exitCode ?? child.signalCode}.\n${text.slice(-2000)}`));
    });
    const onData = (d: Buffer) => {
      // Keep the start-up text and the last 64 KB only: a server logging every exchange prints a lot.
      if (done) {
        tail = (tail + d.toString()).slice(-65_536);
        return;
      }
      text += d.toString();
      const m = ready.exec(text);
      if (!m) return;
      done = true;
      clearTimeout(timer);
      const readyMs = performance.now() - started;
      resolve({
        pid: child.pid!,
        match: m,
        readyMs,
        rssMb: () => rssOf(child.pid!),
        output: () => text + tail,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
}

/** RSS in MB; NaN once the process has exited (its /proc entry is gone). */
export function rssOf(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return NaN;
  }
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

/** A harness command (`station`, `nodo`) as users run it. */
export function startHarness(args: string[], ready: RegExp, o: ProcOptions = {}): Promise<Proc> {
  return startProc([BIN, ...args], ready, o);
}

/** A bench/servers/<name>.ts reference server; it prints `READY <url>`. */
export function startServer(name: string, args: string[] = [], o: ProcOptions = {}): Promise<Proc> {
  return startProc(['--import', 'tsx', join(SERVERS, `${name}.ts`), ...args], /READY (\S+)/, o);
}

/** The URL of a started station process: `<idStation>  <url>` on stdout. */
export function stationUrl(p: Proc, idStation: string): string {
  const m = new RegExp(`^${idStation}\\s+(http://\\S+)`, 'm').exec(p.output());
  if (!m) throw new Error(`Failed to find station ${idStation} in the output of the station process.`);
  return m[1]!;
}
