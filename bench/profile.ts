/**
 * Summarises a V8 CPU profile (node --cpu-prof, or BENCH_PROF=<dir> npm run bench:...):
 * self time by function and by file, the top entries, GC and idle apart.
 *
 * `--inclusive`: also the time spent in each function and what it called (a function counted once
 * per sample however deep it recurs), with `writev` set aside: V8 samples the main thread by wall
 * clock, and on a loaded machine the time a process waits to run again after a write that woke its
 * peer is charged to `writev` (a system profile, `perf record`, put the write syscalls at ~4% of the
 * mock Nodo's CPU where this profile said 13-22%). `--match a,b` keeps the functions whose name or
 * file contains one of the words.
 *
 * Usage: npx tsx bench/profile.ts <file.cpuprofile> [--top 25] [--inclusive [--match unwrap,callSoap]]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, inclusive: { type: 'boolean' }, match: { type: 'string' } },
});
const top = Number(values.top);
for (const file of positionals) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const fn = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    const url = n.callFrame.url
      .replace(/^file:\/\//, '')
      .replace(/.*\/node_modules\//, 'node_modules/')
      .replace(/.*\/(src|bench)\//, '$1/');
    const pkg = url.startsWith('node_modules/')
      ? url
          .split('/')
          .slice(0, url.startsWith('node_modules/@') ? 3 : 2)
          .join('/')
      : url || name;
    fn.set(`${name} ${url}:${n.callFrame.lineNumber + 1}`, (fn.get(`${name} ${url}:${n.callFrame.lineNumber + 1}`) ?? 0) + us);
    files.set(pkg, (files.get(pkg) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle`);
  console.log('  by file or package (self time):');
  for (const [k, v] of [...files].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`    ${pct(v)} ${k}`);
  console.log('  by function (self time):');
  for (const [k, v] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`    ${pct(v)} ${k}`);
}

/** Inclusive time by function, idle, `(program)` and `writev` aside (see the header). */
function inclusive(file: string): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const words = values.match ? values.match.split(',').filter(Boolean) : undefined;
  const incl = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const fn = byId.get(id)!.callFrame.functionName;
    if (fn === '(idle)' || fn === '(program)' || fn === 'writev') continue;
    total += us;
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const f = byId.get(x)!.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^file:\/\//, '').replace(/.*\/(node_modules|dist|src|bench)\//, '$1/')}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + us);
    }
  }
  console.log(`  inclusive time (idle, (program) and writev aside: ${(total / 1000).toFixed(0)} ms):`);
  const rows = [...incl].filter(([k]) => !k.startsWith('(root)') && (!words || words.some((w) => k.includes(w)))).sort((a, b) => b[1] - a[1]);
  for (const [k, v] of rows.slice(0, top)) console.log(`    ${((100 * v) / total).toFixed(1).padStart(5)}% ${k}`);
}
if (values.inclusive) for (const file of positionals) inclusive(file);
