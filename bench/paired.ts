/**
 * Two builds of the harness side by side: a mock Nodo + station pair from checkout `--a` and one from
 * checkout `--b` (each compiled: `npm run build` in it), loaded in interleaved rounds (A, B, A, B...),
 * printing the CPU each process used per full payment (`--mode payments`: verify, activateV2,
 * outcomeV2, receipt) or per verify round trip (`--mode roundtrip`), and B / A round by round. On a
 * machine shared with other work, one run of bench:payments moves by 15% or more with the load;
 * rounds taken in turn see the same load, so their ratio shows a change of a few percent.
 *
 * Usage: npx tsx bench/paired.ts --a <old checkout> [--b .] [--mode payments|roundtrip] [--rounds 8]
 *        [--window 500 --warmup 1500] [--seconds 3] [--quick]
 */
import { resolve } from 'node:path';
import { benchArgs, fmt, loadNote, num, row } from './lib/args.ts';

const a = benchArgs(
  { a: '', b: '.', mode: 'payments', rounds: '8', window: '500', warmup: '1500', seconds: '3', workers: '16', connections: '16' },
  { rounds: '2', window: '100', warmup: '100', seconds: '1' },
);
if (!a.a) throw new Error('Failed to start the paired benchmark: no --a checkout given. Pass --a <dir> (a checkout built with npm run build).');
if (a.mode !== 'payments' && a.mode !== 'roundtrip') throw new Error(`Failed to start the paired benchmark: --mode '${a.mode}' is not payments or roundtrip.`);
const rounds = num(a.rounds);
const window = num(a.window);
const warmup = num(a.warmup);

interface Side {
  name: 'A' | 'B';
  root: string;
  stop(): Promise<void>;
  /** One round: the units of work done (payments or round trips) and the CPU seconds of the Nodo and the station. */
  round(): Promise<{ units: number; nodo: number; station: number; rate: number }>;
  warm(): Promise<void>;
}

async function side(name: 'A' | 'B', dir: string): Promise<Side> {
  const root = resolve(dir);
  // Each checkout's own bench helpers: its CLI, its fixtures.
  const { startPair } = await import(`${root}/bench/lib/pair.ts`);
  const { positionsYaml, notice } = await import(`${root}/bench/lib/fixtures.ts`);
  const { payMany } = await import(`${root}/bench/lib/payments.ts`);
  const load = await import(`${root}/bench/lib/load.ts`);
  const msg = await import(`${root}/bench/lib/messages.ts`);
  const pair = await startPair(positionsYaml(a.mode === 'payments' ? warmup + rounds * window : 10));
  const cpu = () => ({ nodo: load.cpuSecondsOf(pair.nodo.pid) as number, station: load.cpuSecondsOf(pair.station.pid) as number });
  let next = 1;
  const body = msg.verifyReq(notice(1));
  const target = { url: pair.nodoUrl, body, headers: load.soapHeaders('verifyPaymentNotice') };
  const hammer = async (seconds: number) => {
    const r = await load.hammer(target, { connections: num(a.connections), seconds });
    if (r.errors || r.non2xx) throw new Error(`Failed to benchmark checkout ${root}: ${r.errors} errors, ${r.non2xx} non-2xx answers.`);
    return r as { requests: number; rps: number };
  };
  return {
    name,
    root,
    stop: () => pair.stop(),
    async warm() {
      if (a.mode === 'payments') {
        await payMany(pair.nodoUrl, { from: next, count: warmup, workers: num(a.workers) });
        next += warmup;
      } else {
        await load.post(pair.nodoUrl, 'verifyPaymentNotice', body, msg.OK);
        await hammer(2);
      }
    },
    async round() {
      const before = cpu();
      let units: number;
      let rate: number;
      if (a.mode === 'payments') {
        rate = await payMany(pair.nodoUrl, { from: next, count: window, workers: num(a.workers) });
        next += window;
        units = window;
        // The last receipts are delivered after the last outcome's answer.
        await new Promise((r) => setTimeout(r, 300));
      } else {
        const r = await hammer(num(a.seconds));
        units = r.requests;
        rate = r.rps;
      }
      const after = cpu();
      return { units, nodo: after.nodo - before.nodo, station: after.station - before.station, rate };
    },
  };
}

const sides = [await side('A', a.a), await side('B', a.b)];
const unit = a.mode === 'payments' ? 'payment' : 'round trip';
const scale = a.mode === 'payments' ? 1000 : 1_000_000;
const suffix = a.mode === 'payments' ? 'ms' : 'µs';
try {
  console.log(`Paired ${a.mode}: A = ${sides[0]!.root}, B = ${sides[1]!.root}, ${rounds} rounds interleaved (${loadNote()})`);
  for (const s of sides) await s.warm();
  const per: Record<'A' | 'B', { nodo: number; station: number; rate: number }[]> = { A: [], B: [] };
  for (let i = 0; i < rounds; i++) {
    for (const s of sides) {
      const r = await s.round();
      per[s.name].push({ nodo: (scale * r.nodo) / r.units, station: (scale * r.station) / r.units, rate: r.rate });
    }
    const [x, y] = [per.A.at(-1)!, per.B.at(-1)!];
    row(
      `  round ${i + 1}: CPU per ${unit}, mock Nodo A / B (station A / B)`,
      `${fmt(x.nodo, 2)} / ${fmt(y.nodo, 2)} ${suffix}`,
      undefined,
      `${(y.nodo / x.nodo).toFixed(2)} (station ${fmt(x.station, 2)} / ${fmt(y.station, 2)})`,
    );
  }
  const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
  for (const k of ['A', 'B'] as const)
    row(
      `${k}: CPU per ${unit}, mock Nodo / station (medians); rate`,
      `${fmt(median(per[k].map((r) => r.nodo)), 2)} / ${fmt(median(per[k].map((r) => r.station)), 2)} ${suffix}; ${fmt(median(per[k].map((r) => r.rate)))}/s`,
    );
  const ratios = per.A.map((x, i) => per.B[i]!.nodo / x.nodo);
  const stationRatios = per.A.map((x, i) => per.B[i]!.station / x.station);
  row(
    `mock Nodo CPU per ${unit} B / A, round by round`,
    median(ratios).toFixed(2),
    undefined,
    `(${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}); station ${median(stationRatios).toFixed(2)}`,
  );
} finally {
  await Promise.all(sides.map((s) => s.stop()));
}
