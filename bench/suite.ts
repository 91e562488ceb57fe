/**
 * The suite's wall time: `station-harness run` (what `npm start` runs: every scenario against
 * the reference stations, reports written) / `station-harness list` (the same start-up and
 * scenario loading, nothing run), both as separate processes in the same run.
 *
 * Usage: npm run bench:suite [-- --rounds 1 --grep re] [--quick]   (--quick: only the scenarios matching 'verify')
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArgs, fmt, loadNote, num, ratio, row } from './lib/args.ts';
import { median } from './lib/load.ts';
import { BIN } from './lib/procs.ts';
import { PROJECT_ROOT } from '../src/paths.ts';

const a = benchArgs({ rounds: '1', grep: '' }, { grep: 'verify' });
const out = mkdtempSync(join(tmpdir(), 'bench-suite-'));
const time = (args: string[]) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`Failed to run station-harness ${args.join(' ')}: exit ${r.status}.\n${r.stderr.slice(-2000)}`);
  return { ms: performance.now() - t, stdout: r.stdout, stderr: r.stderr };
};
const grep = a.grep ? ['--grep', a.grep] : [];
const runs: number[] = [];
const lists: number[] = [];
let summary = '';
for (let i = 0; i < num(a.rounds); i++) {
  lists.push(time(['list', ...grep]).ms);
  const r = time(['run', '--out', out, ...grep]);
  runs.push(r.ms);
  summary = (r.stdout + r.stderr).split('\n').find((l) => /passed/.test(l)) ?? '';
}
console.log(`The suite's wall time (${loadNote()})`);
row(`station-harness list${a.grep ? ` --grep ${a.grep}` : ''} (start-up and loading)`, `${fmt(median(lists) / 1000, 2)} s`);
row(
  `station-harness run${a.grep ? ` --grep ${a.grep}` : ''} / list`,
  `${fmt(median(runs) / 1000, 2)} s`,
  `${fmt(median(lists) / 1000, 2)} s`,
  ratio(median(runs), median(lists)),
);
if (summary) console.log(`  ${summary.trim()}`);
