/** Common options of the benchmarks: shorter runs for a quick look (`--quick`), or each knob. */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';

export function benchArgs<T extends Record<string, string>>(defaults: T, quick: Partial<T>): T & { quick: boolean } {
  const options = Object.fromEntries(Object.keys(defaults).map((k) => [k, { type: 'string' as const }]));
  const { values } = parseArgs({ options: { ...options, quick: { type: 'boolean' } }, strict: true, allowPositionals: false });
  const q = Boolean((values as Record<string, unknown>)['quick']);
  const out: Record<string, string> = {};
  const v = values as Record<string, unknown>;
  for (const k of Object.keys(defaults)) out[k] = (v[k] as string | undefined) ?? (q && quick[k] !== undefined ? quick[k]! : defaults[k]!);
  return { ...(out as T), quick: q };
}

export const num = (s: string) => Number(s.replace(/_/g, ''));
export const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const ratio = (a: number, b: number) => (a / b).toFixed(2);

/** One printed row: `figure | value | reference | ratio`. */
export function row(figure: string, value: string, reference?: string, r?: string): void {
  console.log(`${figure.padEnd(64)} ${value.padStart(14)}${reference ? `   reference ${reference}` : ''}${r ? `   ratio ${r}` : ''}`);
}

/** The machine's load average over the last minute, printed with every bench: a loaded machine distorts absolute figures, less so the ratios. */
export function loadNote(): string {
  return `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
}
