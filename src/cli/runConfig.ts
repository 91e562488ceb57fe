/**
 * What `run`, `check` and `list` share: run's option table, the flags (and HARNESS_* variables)
 * resolved into one validated RunConfig, the scenario selection, the reachability probe of a station
 * under test, and the one-line progress of a case.
 */
import { connect } from 'node:net';
import { ERR, HarnessError } from '../errors.ts';
import { SCENARIOS_DIR } from '../paths.ts';
import { DEFAULT_KEEP, parseReporters, type ReporterName } from '../report/index.ts';
import { formatDuration } from '../report/index.ts';
import type { CaseEnd } from '../scenario/index.ts';
import type { Scenario } from '../scenario/index.ts';
import { shard } from '../scenario/index.ts';
import type { OptionSpec, OptionValues } from './command.ts';
import { dim, green, red, yellow } from './output.ts';

export interface RunConfig {
  paths: string[];
  tags: string[];
  grep?: RegExp;
  shard?: { index: number; total: number };
  targets: Record<string, string>;
  outDir: string;
  reporters: ReporterName[];
  bail: boolean;
  jobs: number;
  /** Run folders kept under outDir, this one included (`--keep`, default 10; Infinity for `all`). */
  keep: number;
  /** `--send-port`: where the shared SEND address listens for the station under test. */
  send?: { port: number; host: string };
}

/** A TCP connect to the station under test before anything runs: a dead target is exit 3, not 300 failures. */
export async function unreachable(url: string, timeoutMs = 3000): Promise<string | undefined> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const sock = connect({ host: u.hostname, port });
    const done = (why?: string) => {
      sock.destroy();
      resolve(why);
    };
    sock.setTimeout(timeoutMs, () => done(`no TCP connection within ${timeoutMs} ms`));
    sock.once('connect', () => done());
    sock.once('error', (e: NodeJS.ErrnoException) =>
      done(e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === 'ENOTFOUND' ? `host ${u.hostname} not found` : (e.code ?? e.message)),
    );
  });
}

/** The options of `run` (`check` and `list` read a part of them through resolveRunConfig). */
export const RUN_OPTIONS = {
  tag: { type: 'string', multiple: true },
  grep: { type: 'string' },
  shard: { type: 'string' },
  station: { type: 'string', multiple: true },
  'send-port': { type: 'string' },
  'send-host': { type: 'string' },
  out: { type: 'string' },
  reporter: { type: 'string' },
  bail: { type: 'boolean' },
  jobs: { type: 'string' },
  keep: { type: 'string' },
  profile: { type: 'string' },
  url: { type: 'string' },
} as const satisfies OptionSpec;

export type RunValues = OptionValues<typeof RUN_OPTIONS>;

/**
 * A value from its flag or, when the flag is absent, from its HARNESS_* variable, with the name of
 * where it came from: an error names what the user set (HARNESS_JOBS, not --jobs).
 */
function setting(
  values: RunValues,
  flag: 'send-port' | 'jobs' | 'out' | 'reporter' | 'keep',
  env: NodeJS.ProcessEnv,
  variable: string,
): { value?: string; from: string } {
  const v = values[flag];
  if (v !== undefined) return { value: v, from: `--${flag}` };
  const e = env[variable];
  return e !== undefined ? { value: e, from: variable } : { from: `--${flag}` };
}

/** `--keep N` (or HARNESS_KEEP): run folders to keep, `all` for no pruning. */
export function parseKeep(raw: string | undefined, from = '--keep'): number {
  if (raw === undefined) return DEFAULT_KEEP;
  if (raw === 'all') return Infinity;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1)
    throw new HarnessError(ERR.USAGE, `Failed to parse ${from} '${raw}': expected how many run folders to keep (an integer from 1), or 'all'.`);
  return n;
}

/** Flags → one typed config, validated before anything starts (HARNESS_* env as defaults). */
export function resolveRunConfig(values: RunValues, positionals: string[], env = process.env): RunConfig {
  const targets: Record<string, string> = {};
  for (const s of values['station'] ?? []) {
    const m = /^([^=\s]+)=(https?:\/\/\S+)$/.exec(s);
    if (!m)
      throw new HarnessError(
        ERR.USAGE,
        `Failed to parse --station '${s}': expected <idStation>=<http(s) URL>. Example: --station 77777777777_01=http://localhost:8080/paForNode`,
      );
    targets[m[1]!] = m[2]!;
  }
  let grep: RegExp | undefined;
  const g = values['grep'];
  if (g !== undefined) {
    try {
      grep = new RegExp(g, 'i');
    } catch (e) {
      throw new HarnessError(ERR.USAGE, `Failed to parse --grep '${g}': ${(e as Error).message}. Pass a valid regular expression.`);
    }
  }
  let sh: RunConfig['shard'];
  const sv = values['shard'];
  if (sv !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(sv);
    if (!m || Number(m[2]) < 1 || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]))
      throw new HarnessError(ERR.USAGE, `Failed to parse --shard '${sv}': expected i/n with 1 <= i <= n, e.g. --shard 2/4.`);
    sh = { index: Number(m[1]), total: Number(m[2]) };
  }
  // Reference stations live in one isolated world per scenario, so they run 4 at a time by default;
  // a user's station is one shared server, so scenarios against it run one at a time unless asked.
  const sendPort = setting(values, 'send-port', env, 'HARNESS_SEND_PORT');
  const jobsSet = setting(values, 'jobs', env, 'HARNESS_JOBS');
  const jobsRaw = jobsSet.value ?? (Object.keys(targets).length || sendPort.value !== undefined ? '1' : '4');
  const jobs = Number(jobsRaw);
  if (!/^\d+$/.test(jobsRaw.trim()) || jobs < 1 || jobs > 64)
    throw new HarnessError(ERR.USAGE, `Failed to parse ${jobsSet.from} '${jobsRaw}': expected an integer from 1 to 64.`);
  let send: RunConfig['send'];
  const sp = sendPort.value;
  if (sp !== undefined) {
    const port = Number(sp);
    if (!/^\d+$/.test(sp.trim()) || port < 1 || port > 65535)
      throw new HarnessError(ERR.USAGE, `Failed to parse ${sendPort.from} '${sp}': expected a TCP port from 1 to 65535, e.g. --send-port 8086.`);
    if (jobs > 1)
      throw new HarnessError(
        ERR.USAGE,
        `Failed to use ${sendPort.from} with ${jobsSet.value !== undefined ? jobsSet.from : '--jobs'} ${jobs}: the SEND address is shared, so its calls can be attributed only to one running scenario. ${jobsSet.from === 'HARNESS_JOBS' ? 'Unset HARNESS_JOBS (or set it to 1)' : 'Drop --jobs (or use --jobs 1)'}.`,
      );
    send = { port, host: values['send-host'] ?? '127.0.0.1' };
  } else if (values['send-host'] !== undefined)
    throw new HarnessError(ERR.USAGE, 'Failed to use --send-host without --send-port. Pass both, e.g. --send-port 8086 --send-host 0.0.0.0.');
  return {
    paths: positionals.length ? positionals : [SCENARIOS_DIR],
    tags: (values['tag'] ?? [])
      .flatMap((t) => t.split(','))
      .map((t) => t.trim())
      .filter(Boolean),
    ...(grep ? { grep } : {}),
    ...(sh ? { shard: sh } : {}),
    targets,
    outDir: setting(values, 'out', env, 'HARNESS_OUT').value ?? 'reports',
    reporters: (() => {
      const r = setting(values, 'reporter', env, 'HARNESS_REPORTER');
      return parseReporters(r.value, r.from);
    })(),
    bail: Boolean(values['bail']),
    jobs,
    keep: (() => {
      const k = setting(values, 'keep', env, 'HARNESS_KEEP');
      return parseKeep(k.value, k.from);
    })(),
    ...(send ? { send } : {}),
  };
}

/** --tag (any of them; the test-case id counts as a tag), --grep (id or title), --shard. */
export function selectScenarios(all: Scenario[], cfg: Pick<RunConfig, 'tags' | 'grep' | 'shard'>): Scenario[] {
  let out = all;
  if (cfg.tags.length) out = out.filter((s) => cfg.tags.some((t) => s.tags.includes(t) || s.testCase === t));
  if (cfg.grep) out = out.filter((s) => cfg.grep!.test(s.id) || cfg.grep!.test(s.title));
  if (cfg.shard) out = shard(out, cfg.shard.index, cfg.shard.total);
  return out;
}

export function progressLine(e: CaseEnd, title: string): string {
  const ms = dim(formatDuration(e.durationMs));
  switch (e.state) {
    case 'passed':
      return `${green('✓')} ${e.id} ${dim(title)} ${ms}`;
    case 'failed':
      return `${red('✗')} ${e.id} ${title} ${ms}`;
    case 'errored':
      return `${red('!')} ${e.id} ${title} ${ms}\n    ${yellow(e.reason ?? 'error')}`;
    default:
      return `${yellow('-')} ${e.id} ${dim(`skipped: ${e.reason ?? ''}`)}`;
  }
}
