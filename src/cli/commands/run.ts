import { connect } from 'node:net';
/**
 * `station-harness run [paths/globs...]`: load and check scenarios (exit 2 with
 * file:line:col on any problem), select (--tag, --grep, --shard), run them against the
 * reference stations or the user's (--station id=url), print one line per scenario and
 * a summary, write the reports. Ctrl-C stops cleanly and still writes the report (130).
 */
import { EXIT, ERR, HarnessError } from '../../errors.ts';
import { SCENARIOS_DIR } from '../../paths.ts';
import { DEFAULT_KEEP, parseReporters, type ReporterName } from '../../report/index.ts';
import { formatDuration } from '../../report/display.ts';
import { formatCauses, groupCauses } from '../../report/causes.ts';
import { RunEmitter, type CaseEnd } from '../../scenario/events.ts';
import { formatFinding } from '../../scenario/findings.ts';
import { formatLoadIssue, loadScenarios } from '../../scenario/load.ts';
import type { Scenario } from '../../scenario/model.ts';
import { shard } from '../../scenario/run.ts';
import { startSendGateway } from '../../scenario/sendGateway.ts';
import { defineCommand, type OptionSpec, type OptionValues } from '../command.ts';
import { bold, dim, green, info, red, yellow } from '../output.ts';
import { reportLines, runWithReports } from '../runReports.ts';

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
    sock.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === 'ENOTFOUND' ? `host ${u.hostname} not found` : (e.code ?? e.message)));
  });
}

/** Findings printed in the terminal summary (all of them are in the reports). */
const FINDING_LINES = 5;
const oneLine = (t: string, max = 160) => {
  const s = t.replace(/\s+/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

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
function setting(values: RunValues, flag: 'send-port' | 'jobs' | 'out' | 'reporter' | 'keep', env: NodeJS.ProcessEnv, variable: string): { value?: string; from: string } {
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
  if (!/^\d+$/.test(raw) || n < 1) throw new HarnessError(ERR.USAGE, `Failed to parse ${from} '${raw}': expected how many run folders to keep (an integer from 1), or 'all'.`);
  return n;
}

/** Flags → one typed config, validated before anything starts (HARNESS_* env as defaults). */
export function resolveRunConfig(values: RunValues, positionals: string[], env = process.env): RunConfig {
  const targets: Record<string, string> = {};
  for (const s of values['station'] ?? []) {
    const m = /^([^=\s]+)=(https?:\/\/\S+)$/.exec(s);
    if (!m) throw new HarnessError(ERR.USAGE, `Failed to parse --station '${s}': expected <idStation>=<http(s) URL>. Example: --station 77777777777_01=http://localhost:8080/paForNode`);
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
    if (!m || Number(m[2]) < 1 || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new HarnessError(ERR.USAGE, `Failed to parse --shard '${sv}': expected i/n with 1 <= i <= n, e.g. --shard 2/4.`);
    sh = { index: Number(m[1]), total: Number(m[2]) };
  }
  // Reference stations live in one isolated world per scenario, so they run 4 at a time by default;
  // a user's station is one shared server, so scenarios against it run one at a time unless asked.
  const sendPort = setting(values, 'send-port', env, 'HARNESS_SEND_PORT');
  const jobsSet = setting(values, 'jobs', env, 'HARNESS_JOBS');
  const jobsRaw = jobsSet.value ?? (Object.keys(targets).length || sendPort.value !== undefined ? '1' : '4');
  const jobs = Number(jobsRaw);
  if (!/^\d+$/.test(jobsRaw.trim()) || jobs < 1 || jobs > 64) throw new HarnessError(ERR.USAGE, `Failed to parse ${jobsSet.from} '${jobsRaw}': expected an integer from 1 to 64.`);
  let send: RunConfig['send'];
  const sp = sendPort.value;
  if (sp !== undefined) {
    const port = Number(sp);
    if (!/^\d+$/.test(sp.trim()) || port < 1 || port > 65535) throw new HarnessError(ERR.USAGE, `Failed to parse ${sendPort.from} '${sp}': expected a TCP port from 1 to 65535, e.g. --send-port 8086.`);
    if (jobs > 1) throw new HarnessError(ERR.USAGE, `Failed to use ${sendPort.from} with ${jobsSet.value !== undefined ? jobsSet.from : '--jobs'} ${jobs}: the SEND address is shared, so its calls can be attributed only to one running scenario. ${jobsSet.from === 'HARNESS_JOBS' ? 'Unset HARNESS_JOBS (or set it to 1)' : 'Drop --jobs (or use --jobs 1)'}.`);
    send = { port, host: values['send-host'] ?? '127.0.0.1' };
  } else if (values['send-host'] !== undefined) throw new HarnessError(ERR.USAGE, 'Failed to use --send-host without --send-port. Pass both, e.g. --send-port 8086 --send-host 0.0.0.0.');
  return {
    paths: positionals.length ? positionals : [SCENARIOS_DIR],
    tags: (values['tag'] ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean),
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

const command = defineCommand({
  command: 'run',
  describe: 'Run YAML scenarios through the mock Nodo against the reference stations or yours, and write reports',
  usage: '[paths/globs...] [--tag t] [--grep re] [--shard i/n] [--station id=url | --profile station.yaml [--url URL]] [--send-port n] [--out dir] [--reporter list] [--bail] [--jobs n]',
  options: RUN_OPTIONS,
  help: `
Paths are scenario files, folders (searched recursively, fixtures/ skipped) or quoted
globs such as 'scenarios/verify/*.yaml'. Default: the scenarios/ folder.

  --tag t            only scenarios with this tag or test-case id (repeatable; any matches)
  --grep re          only scenarios whose id or title matches (case-insensitive)
  --shard i/n        the i-th of n deterministic slices (for a CI matrix)
  --station id=url   the registry station <id> is YOUR endpoint at <url> (repeatable);
                     scenarios injecting faults on it are skipped with the reason
  --send-port n      serve SEND's API (price API) for YOUR station at the fixed address
                     http://127.0.0.1:<n>/send, answered by the running scenario's SEND
                     emulator (one scenario at a time; env HARNESS_SEND_PORT). Without it the
                     scenarios where your station must call SEND are skipped with the reason
  --send-host h      interface of --send-port (default 127.0.0.1; 0.0.0.0 for a container:
                     only SEND's API /send/delivery/... is served there, nothing else)
  --out dir          reports folder (default reports/ ; env HARNESS_OUT)
  --reporter list    comma-separated subset of junit,html,json,evidence (default all)
  --bail             stop after the first failed scenario
  --jobs n           scenarios in parallel (default 4 against the reference stations, 1 with --station; env HARNESS_JOBS)
  --keep n           run folders kept under the reports folder, this one included (default 10,
                     'all' keeps every run; env HARNESS_KEEP)
  --profile f        run the station suite against YOUR station described by this profile
                     (same as station-harness check --profile f; see check --help). Self-tests
                     of the mock Nodo among the paths are left out
  --url URL          with --profile: call your station at this URL instead of station.url

Writes <out>/<timestamp>/{junit.xml,report.html,report.json,evidence/} and points the link
<out>/latest at it. Exit codes: 0 all passed, 1 any failed or errored, 2 scenario/usage
errors (printed as file:line:col), 3 harness error, 130 interrupted (Ctrl-C), 143 stopped by
SIGTERM; an interrupted run still writes the report of what ran (a second signal: at once).

Examples:
  station-harness run
  station-harness run scenarios/verify --tag EC-PSP-01
  station-harness run --station 77777777777_01=http://localhost:8080/paForNode --jobs 4
  station-harness run scenarios/send --station 77777777777_01=http://localhost:8080/paForNode --send-port 8086`,
  async handler({ values, positionals }) {
    if (values['profile'] !== undefined) {
      if (values['station'] !== undefined) throw new HarnessError(ERR.USAGE, 'Failed to run: --profile and --station both name the station under test. Use --profile (the station suite) or --station (the self-test suite against your URL).');
      const cfg = resolveRunConfig({ ...values, jobs: values['jobs'] ?? '1' }, positionals);
      const { stationCheck } = await import('../stationCheck.ts');
      return stationCheck(cfg, { profile: values['profile'], ...(values['url'] !== undefined ? { url: values['url'] } : {}), defaultPaths: false });
    }
    if (values['url'] !== undefined) throw new HarnessError(ERR.USAGE, 'Failed to use --url without --profile. Pass --profile station.yaml too.');
    const cfg = resolveRunConfig(values, positionals);
    const loaded = await loadScenarios(cfg.paths);
    const errors = loaded.issues.filter((i) => i.severity === 'error');
    for (const i of loaded.issues) process.stderr.write(`${formatLoadIssue(i)}\n`);
    if (errors.length) {
      process.stderr.write(`Failed to load the scenarios: ${errors.length} problem(s) above. Fix them and run again.\n`);
      return EXIT.USAGE;
    }
    const all = loaded.files.flatMap((f) => f.scenarios);
    for (const id of Object.keys(cfg.targets)) {
      if (!all.some((s) => s.setup.registry.stations.some((st) => st.stationCode === id))) throw new HarnessError(ERR.USAGE, `Failed to use --station ${id}: no scenario's registry has a station '${id}'. Use a stationCode of the registry (scenarios/fixtures/registry.default.yaml).`);
    }
    const selected = selectScenarios(all, cfg);
    if (selected.length === 0) {
      process.stderr.write(`No scenario matches the selection (${all.length} loaded). Check --tag/--grep/--shard.\n`);
      return EXIT.USAGE;
    }

    for (const [id, url] of Object.entries(cfg.targets)) {
      const why = await unreachable(url);
      if (why) throw new HarnessError(ERR.TARGET_UNREACHABLE, `Failed to reach station ${id} at ${url}: ${why}. Start your station (or correct --station) and run again.`);
    }

    const gateway = cfg.send ? await startSendGateway(cfg.send) : undefined;
    if (gateway) info(`SEND API for your station: ${gateway.url} (price: GET ${gateway.url}/delivery/v2.3/price/{paTaxId}/{noticeCode}), answered by the running scenario`);
    const emitter = new RunEmitter();
    const titles = new Map(selected.map((s) => [s.id, s.title]));
    emitter.on('case:end', (e) => info(progressLine(e, titles.get(e.id) ?? '')));
    const targets = Object.entries(cfg.targets);
    info(bold(`Running ${selected.length} scenario(s) ${targets.length ? `against ${targets.map(([k, v]) => `${k}=${v}`).join(', ')}` : 'against the reference stations'}${cfg.jobs > 1 ? `, ${cfg.jobs} at a time` : ''}`));
    const { result, written, summary, interrupt } = await runWithReports(selected, emitter, { targets: cfg.targets, jobs: cfg.jobs, bail: cfg.bail, ...(gateway ? { sendGateway: gateway } : {}) }, cfg, async () => {
      await gateway?.close();
    });
    const bad = result.cases.filter((c) => c.state === 'failed' || c.state === 'errored');
    if (bad.length) {
      const causes = groupCauses(result);
      info('');
      info(bold(`Failures: ${bad.length} scenario(s), ${causes.length} cause(s)`));
      info(formatCauses(causes, { failed: (s) => red(s), dim: (s) => dim(s) }));
    }
    const n = result.counts;
    if (n.findings) {
      const all = result.cases.flatMap((c) => c.findings.map((f) => ({ id: c.id, f })));
      info('');
      info(bold(`Findings (${n.findings}; not failures, see report.html):`));
      for (const { id, f } of all.slice(0, FINDING_LINES)) info(`${yellow('⚠')} ${id}: ${oneLine(formatFinding(f))}`);
      if (all.length > FINDING_LINES) info(dim(`  ... and ${all.length - FINDING_LINES} more`));
    }
    info('');
    const touched = Object.keys(cfg.targets).length && n.stationPasses !== undefined ? ` (${n.stationPasses} exchanged messages with your station)` : '';
    info(`${n.passed ? green(`${n.passed} passed`) : '0 passed'}${touched}, ${n.failed ? red(`${n.failed} failed`) : '0 failed'}, ${n.errored ? red(`${n.errored} errored`) : '0 errored'}, ${n.skipped ? yellow(`${n.skipped} skipped`) : '0 skipped'}${n.notRun ? `, ${n.notRun} not run` : ''}${n.findings ? `, ${yellow(`${n.findings} finding(s)`)}` : ''} in ${formatDuration(result.durationMs)}`);
    for (const l of reportLines(written)) info(l);
    const code = interrupt.exitCode(summary.interrupted ? EXIT.INTERRUPTED : n.failed || n.errored ? EXIT.FAILED : EXIT.OK);
    interrupt.dispose();
    // A station still sleeping on an injected delay must not keep the process alive once reports are written.
    setTimeout(() => process.exit(code), 300).unref();
    return code;
  },
});

export default command;
