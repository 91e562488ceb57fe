/**
 * Full payments per second (verifyPaymentNotice, activatePaymentNoticeV2, sendPaymentOutcomeV2,
 * then the Nodo's paSendRTV2 to the station), 10,000 payments in windows of 1,000, through a
 * mock Nodo process and a reference station process. Flat means the last window within 10% of
 * the first. The reference of the ratio is the first window of the same run.
 *
 * Both processes are warmed up first with `--warmup` payments of other notices (not counted):
 * without it window 1 measures V8 compiling the hot paths (it was 2.7 times slower than the
 * last window on a quiet machine) rather than the steady state that flatness is about. With 1,000
 * warm-up payments window 1 was still the slowest of ten (267/s, then 287-362/s at load 3.4).
 *
 * Usage: npm run bench:payments [-- --payments 10000 --window 1000 --workers 16 --warmup 2000] [--quick]
 */
import { benchArgs, fmt, loadNote, num, ratio, row } from './lib/args.ts';
import { positionsYaml } from './lib/fixtures.ts';
import { startPair } from './lib/pair.ts';
import { payMany, receiptsDelivered } from './lib/payments.ts';
import { cpuSecondsOf } from './lib/load.ts';

const a = benchArgs({ payments: '10000', window: '1000', workers: '16', warmup: '2000' }, { payments: '400', window: '100', warmup: '100' });
const count = num(a.payments);
const warmup = num(a.warmup);
const pair = await startPair(positionsYaml(warmup + count));
try {
  const stationBase = /control API\s+(http:\/\/\S+)\/_control\/stations/.exec(pair.station.output())![1]!;
  if (warmup > 0) {
    // Notices count+1..count+warmup: the measured payments keep notices 1..count.
    await payMany(pair.nodoUrl, { from: count + 1, count: warmup, workers: num(a.workers) });
    await receiptsDelivered(stationBase, warmup);
  }
  console.log(
    `Full payments (verify, activateV2, outcomeV2 OK, receipt), ${fmt(count)} in windows of ${fmt(num(a.window))}, ${a.workers} at a time, after ${fmt(warmup)} warm-up payments not counted (${loadNote()})`,
  );
  const windows: number[] = [];
  const cpuBefore = { nodo: cpuSecondsOf(pair.nodo.pid), station: cpuSecondsOf(pair.station.pid) };
  const started = performance.now();
  await payMany(pair.nodoUrl, {
    from: 1,
    count,
    workers: num(a.workers),
    window: num(a.window),
    onWindow: (i, rate) => {
      windows.push(rate);
      row(
        `  window ${i} (payments ${fmt((i - 1) * num(a.window) + 1)}-${fmt(i * num(a.window))})`,
        `${fmt(rate)}/s`,
        windows.length > 1 ? fmt(windows[0]!) : undefined,
        windows.length > 1 ? ratio(rate, windows[0]!) : undefined,
      );
    },
  });
  const drainMs = await receiptsDelivered(stationBase, warmup + count);
  const total = count / ((performance.now() - started) / 1000);
  const nodoCpu = cpuSecondsOf(pair.nodo.pid) - cpuBefore.nodo;
  const stationCpu = cpuSecondsOf(pair.station.pid) - cpuBefore.station;
  const cpuUsed = nodoCpu + stationCpu;
  row(`full payments, ${fmt(count)} with every receipt delivered`, `${fmt(total)}/s`);
  // The machine's load hits the rate; the CPU the two processes used per payment hardly moves.
  row('payments per CPU-second of the mock Nodo + the station (user + sys)', `${fmt(count / cpuUsed, 1)}`, undefined, undefined);
  row('  CPU per payment: mock Nodo + station', `${fmt((1000 * cpuUsed) / count, 2)} ms`);
  row('  CPU per payment: mock Nodo alone, station alone', `${fmt((1000 * nodoCpu) / count, 2)} ms, ${fmt((1000 * stationCpu) / count, 2)} ms`);
  row('last window / first window (steady state: after the warm-up)', `${fmt(windows.at(-1)!)}/s`, fmt(windows[0]!), ratio(windows.at(-1)!, windows[0]!));
  row('receipts still being delivered after the last outcome', `${fmt(drainMs)} ms`);
  row('RSS after: mock Nodo, station', `${fmt(pair.nodo.rssMb())} MB, ${fmt(pair.station.rssMb())} MB`);
} finally {
  await pair.stop();
}
