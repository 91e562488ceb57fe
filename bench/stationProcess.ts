/**
 * A reference station served as its own long-lived process, as a user runs it from the README:
 * `station-harness station --registry ... --positions ... --port 0 [--defect name]...`. Used by
 * bench/longLivedStation.ts and by the tests that prove verdicts against a separate process
 * (the broken-station catalogue). The URLs are read from what the command prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT, SCENARIOS_DIR } from '../src/paths.ts';

const BIN = join(PROJECT_ROOT, 'bin', 'station-harness.js');

export interface StationProcess {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** idStation → its paForNode URL. */
  urls: Record<string, string>;
  /** Back to the loaded positions, receipts dropped (POST /_control/stations/reset). */
  reset(): Promise<void>;
  /** What the process wrote to stderr so far (one line per exchange). */
  log(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export interface StationProcessOptions {
  registry?: string;
  /** One positions file or several served together (default positions.default.yaml). */
  positions?: string | string[];
  /** --send-url: the SEND base URL the station's SYNC notices ask the price at. */
  sendUrl?: string;
  defects?: string[];
  /** Time to wait for the URLs to be printed (default 60 s: a loaded machine compiles slowly). */
  startTimeoutMs?: number;
}

export function startStationProcess(opts: StationProcessOptions = {}): Promise<StationProcess> {
  const args = [
    BIN,
    'station',
    '--registry',
    opts.registry ?? join(SCENARIOS_DIR, 'fixtures', 'registry.default.yaml'),
    ...[opts.positions ?? join(SCENARIOS_DIR, 'fixtures', 'positions.default.yaml')].flat().flatMap((p) => ['--positions', p]),
    ...(opts.sendUrl ? ['--send-url', opts.sendUrl] : []),
    '--port',
    '0',
    ...(opts.defects ?? []).flatMap((d) => ['--defect', d]),
  ];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  return new Promise<StationProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`Failed to start the station process: no URL printed within ${opts.startTimeoutMs ?? 60_000} ms. Output:\n${stdout}\n${stderr}`));
    }, opts.startTimeoutMs ?? 60_000);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Failed to start the station process: it exited with code ${code}.\n${stderr}`));
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const control = /control API\s+(http:\/\/\S+)\/_control\/stations/.exec(stdout);
      if (!control) return;
      clearTimeout(timer);
      const base = control[1]!;
      const urls: Record<string, string> = {};
      for (const m of stdout.matchAll(/^(\S+)\s+(http:\/\/\S+\/stations\/\S+)/gm)) urls[m[1]!] = m[2]!;
      resolve({
        base,
        urls,
        async reset() {
          const res = await fetch(`${base}/_control/stations/reset`, { method: 'POST' });
          if (!res.ok) throw new Error(`Failed to reset the station process: HTTP ${res.status}.`);
        },
        log: () => stderr,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}
