/**
 * `npm run fuzz`: the long seeded fuzz run (issue 18). For every operation of the mock Nodo
 * and the reference station, N mutated requests (default 10,000) over HTTP, each judged by
 * the properties of test/fuzz/target.ts with a 2 s answer budget. Prints progress, the
 * figures per operation and every distinct finding with the spec that produced it (replay:
 * same --seed); writes them to reports/fuzz/findings-seed<seed>[-<ops>].json. Exit 0 when no property broke,
 * 1 otherwise, 2 on bad options.
 *
 *   npm run fuzz                                  # 10,000 per operation, seed 1
 *   npm run fuzz -- --runs 500 --op paSendRTV2 --seed 7
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { specArb } from './mutator.ts';
import { FUZZ_OPERATIONS, startTarget, type Finding, type FuzzOperation } from './target.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    op: { type: 'string', multiple: true },
    budget: { type: 'string', default: '2000' },
  },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
const budget = Number(values.budget);
const ops = (values.op as string[] | undefined) ?? [...FUZZ_OPERATIONS];
const unknown = ops.filter((o) => !(FUZZ_OPERATIONS as readonly string[]).includes(o));
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed) || !(budget > 0) || unknown.length) {
  process.stderr.write(
    `Failed to start the fuzz run: ${unknown.length ? `unknown operation ${unknown.join(', ')} (one of ${FUZZ_OPERATIONS.join(', ')})` : 'use --runs <n> --seed <integer> --budget <ms>'}.\n`,
  );
  process.exit(2);
}

interface Figures {
  operation: string;
  requests: number;
  /** Requests that were themselves schema-valid, and answered OK. */
  valid: number;
  ok: number;
  /** The most frequent answers (OK, KO <code>, Fault <code>). */
  answers: Record<string, number>;
  findings: number;
  distinct: number;
  seconds: number;
  slowest: number;
}

const all: Finding[] = [];
const figures: Figures[] = [];
const started = performance.now();
for (const operation of ops as FuzzOperation[]) {
  const t0 = performance.now();
  const target = await startTarget(operation, budget);
  const specs = fc.sample(specArb, { seed: seed + FUZZ_OPERATIONS.indexOf(operation), numRuns: runs });
  const distinct = new Map<string, Finding>();
  let count = 0;
  let slowest = 0;
  let valid = 0;
  let ok = 0;
  const answers: Record<string, number> = {};
  for (const [i, spec] of specs.entries()) {
    const t = performance.now();
    const { findings: found, reach } = await target.probe(spec);
    if (reach.schemaValid) valid++;
    if (reach.answer === 'OK') ok++;
    answers[reach.answer] = (answers[reach.answer] ?? 0) + 1;
    slowest = Math.max(slowest, performance.now() - t);
    count += found.length;
    for (const f of found) {
      const key = `${f.property}: ${f.detail.replace(/\d+/g, 'N').slice(0, 160)}`;
      if (!distinct.has(key)) {
        distinct.set(key, f);
        // Said at once: a long run's findings are not held until its end.
        process.stderr.write(`${operation}: case ${i + 1}: ${f.property}: ${f.detail.slice(0, 300)}\n`);
      }
    }
    if (i % 1000 === 999) process.stderr.write(`${operation}: ${i + 1}/${runs}, ${distinct.size} distinct finding(s)\n`);
  }
  const end = await target.serving();
  for (const f of end) distinct.set(`${f.property}: ${f.detail}`, f);
  await target.close();
  all.push(...distinct.values());
  figures.push({
    operation,
    requests: runs,
    valid,
    ok,
    answers: Object.fromEntries(
      Object.entries(answers)
        .sort((x, y) => y[1] - x[1])
        .slice(0, 6),
    ),
    findings: count + end.length,
    distinct: distinct.size,
    seconds: (performance.now() - t0) / 1000,
    slowest: Math.round(slowest),
  });
  process.stderr.write(`${operation}: done, ${distinct.size} distinct finding(s)\n`);
}

console.log(`fuzz run: seed ${seed}, ${runs} requests per operation, ${ops.length} operation(s), budget ${budget} ms, node ${process.version}`);
console.log(
  `${'operation'.padEnd(26)} ${'requests'.padStart(8)} ${'valid'.padStart(6)} ${'OK'.padStart(6)} ${'findings'.padStart(8)} ${'distinct'.padStart(8)} ${'seconds'.padStart(8)} ${'slowest ms'.padStart(10)}  most frequent answers`,
);
for (const f of figures) {
  const top = Object.entries(f.answers)
    .map(([a, n]) => `${a} ${n}`)
    .join(', ');
  console.log(
    `${f.operation.padEnd(26)} ${String(f.requests).padStart(8)} ${String(f.valid).padStart(6)} ${String(f.ok).padStart(6)} ${String(f.findings).padStart(8)} ${String(f.distinct).padStart(8)} ${f.seconds.toFixed(1).padStart(8)} ${String(f.slowest).padStart(10)}  ${top}`,
  );
}
console.log(
  `total: ${figures.reduce((n, f) => n + f.requests, 0)} requests in ${((performance.now() - started) / 1000).toFixed(0)} s, ${all.length} distinct finding(s)`,
);
for (const f of all) console.log(`\n[${f.operation}] ${f.property}: ${f.detail}\n  spec: ${JSON.stringify(f.spec)}`);
const dir = join(PROJECT_ROOT, 'reports', 'fuzz');
mkdirSync(dir, { recursive: true });
const file = join(dir, `findings-seed${seed}${values.op ? `-${ops.join('-')}` : ''}.json`);
writeFileSync(file, JSON.stringify({ seed, runs, budget, figures, findings: all }, null, 2));
console.log(`\nfindings written to ${file}`);
process.exit(all.length ? 1 : 0);
