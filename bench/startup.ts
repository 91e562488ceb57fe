/**
 * `npm run bench:startup`: how long the CLI takes to start, as a whole command (a fresh process each
 * time, to its exit), from the compiled build (dist/, `npm run build`) and from the TypeScript
 * sources through tsx (HARNESS_FROM_SOURCES=1, what bin/station-harness.js does without a current
 * build). Two commands: `--version` (the entry point only) and `--help` (imports every command and
 * most of the code). Rounds are interleaved, so load changes hit every variant alike; figures are
 * medians, each also a ratio to a bare `node -e 0` measured in the same rounds, and sources/dist.
 *
 * Usage: npm run build && npm run bench:startup [-- --rounds 20]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/paths.ts';
import { benchArgs, fmt, loadNote, num, ratio, row } from './lib/args.ts';

const args = benchArgs({ rounds: '20' }, { rounds: '5' });
const rounds = num(args.rounds);
const BIN = join(PROJECT_ROOT, 'bin', 'station-harness.js');
if (!existsSync(join(PROJECT_ROOT, 'dist', '.build-stamp'))) {
  console.error('Failed to measure the start-up: dist/ is not built. Run npm run build first.');
  process.exit(2);
}

interface Variant {
  name: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}
const variants: Variant[] = [
  { name: 'node -e 0 (reference)', args: ['-e', '0'] },
  { name: '--version, dist/', args: [BIN, '--version'] },
  { name: '--version, sources (tsx)', args: [BIN, '--version'], env: { HARNESS_FROM_SOURCES: '1' } },
  { name: '--help, dist/', args: [BIN, '--help'] },
  { name: '--help, sources (tsx)', args: [BIN, '--help'], env: { HARNESS_FROM_SOURCES: '1' } },
];

function once(v: Variant): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, v.args, { cwd: PROJECT_ROOT, env: { ...process.env, ...v.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${v.name} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

console.log(`start-up, ${rounds} interleaved rounds, ${loadNote()}`);
const times = new Map(variants.map((v) => [v.name, [] as number[]]));
for (const v of variants) once(v); // warm the file cache
for (let i = 0; i < rounds; i++) for (const v of variants) times.get(v.name)!.push(once(v));
const med = new Map([...times].map(([k, xs]) => [k, median(xs)]));
const node = med.get(variants[0]!.name)!;
for (const v of variants) row(`${v.name}: median ms to exit`, fmt(med.get(v.name)!, 0), `node -e 0 ${fmt(node, 0)} ms`, ratio(med.get(v.name)!, node));
for (const cmd of ['--version', '--help']) {
  const dist = med.get(`${cmd}, dist/`)!;
  const src = med.get(`${cmd}, sources (tsx)`)!;
  row(`${cmd}: sources (tsx) / dist/`, `${fmt(src, 0)} / ${fmt(dist, 0)} ms`, undefined, ratio(src, dist));
}
