/**
 * `npm run bench`: every benchmark of issue 19 in turn, each in its own process, each printing
 * its figures and their ratios to a reference measured in the same run. Options after `--` go
 * to every benchmark (`--quick` for a short look); `--only a,b` picks some.
 * Not run by CI (the figures are for the README, never for a test verdict).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/paths.ts';

export const BENCHES = ['startup', 'station', 'roundtrip', 'payments', 'afterPayments', 'suite', 'soak', 'bigBodies', 'positions', 'stations', 'concurrency'];

const args = process.argv.slice(2);
const only = args.indexOf('--only');
const picked = only >= 0 ? args[only + 1]!.split(',') : BENCHES;
const rest = only >= 0 ? [...args.slice(0, only), ...args.slice(only + 2)] : args;
let failed = 0;
for (const name of picked) {
  console.log(`\n== bench/${name}.ts ${rest.join(' ')}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bench', `${name}.ts`), ...rest], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`bench/${name}.ts failed (exit ${r.status ?? r.signal})`);
  }
}
process.exitCode = failed ? 1 : 0;
