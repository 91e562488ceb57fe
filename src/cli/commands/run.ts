/**
 * `station-harness run [paths/globs...]`: load and check scenarios (exit 2 with
 * file:line:col on any problem), select (--tag, --grep, --shard), run them against the
 * reference stations or the user's (--station id=url), print one line per scenario and
 * a summary, write the reports. Ctrl-C stops cleanly and still writes the report (130).
 */
import { EXIT, ERR, HarnessError } from '../../errors.ts';
import { formatDuration } from '../../report/index.ts';
import { formatCauses, groupCauses } from '../../report/index.ts';
import { RunEmitter } from '../../scenario/index.ts';
import { formatFinding } from '../../report/index.ts';
import { formatLoadIssue, loadScenarios } from '../../scenario/index.ts';
import { startSendGateway } from '../../scenario/index.ts';
import { defineCommand } from '../command.ts';
import { bold, dim, green, info, red, yellow } from '../output.ts';
import { reportLines, runWithReports } from '../runReports.ts';
import { progressLine, resolveRunConfig, RUN_OPTIONS, selectScenarios, unreachable } from '../runConfig.ts';

/** Findings printed in the terminal summary (all of them are in the reports). */
const FINDING_LINES = 5;
const oneLine = (t: string, max = 160) => {
  const s = t.replace(/\s+/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

const command = defineCommand({
  command: 'run',
  describe: 'Run YAML scenarios through the mock Nodo against the reference stations or yours, and write reports',
  usage:
    '[paths/globs...] [--tag t] [--grep re] [--shard i/n] [--station id=url | --profile station.yaml [--url URL]] [--send-port n] [--out dir] [--reporter list] [--bail] [--jobs n]',
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
      if (values['station'] !== undefined)
        throw new HarnessError(
          ERR.USAGE,
          'Failed to run: --profile and --station both name the station under test. Use --profile (the station suite) or --station (the self-test suite against your URL).',
        );
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
      if (!all.some((s) => s.setup.registry.stations.some((st) => st.stationCode === id)))
        throw new HarnessError(
          ERR.USAGE,
          `Failed to use --station ${id}: no scenario's registry has a station '${id}'. Use a stationCode of the registry (scenarios/fixtures/registry.default.yaml).`,
        );
    }
    const selected = selectScenarios(all, cfg);
    if (selected.length === 0) {
      process.stderr.write(`No scenario matches the selection (${all.length} loaded). Check --tag/--grep/--shard.\n`);
      return EXIT.USAGE;
    }

    for (const [id, url] of Object.entries(cfg.targets)) {
      const why = await unreachable(url);
      if (why)
        throw new HarnessError(
          ERR.TARGET_UNREACHABLE,
          `Failed to reach station ${id} at ${url}: ${why}. Start your station (or correct --station) and run again.`,
        );
    }

    const gateway = cfg.send ? await startSendGateway(cfg.send) : undefined;
    if (gateway)
      info(
        `SEND API for your station: ${gateway.url} (price: GET ${gateway.url}/delivery/v2.3/price/{paTaxId}/{noticeCode}), answered by the running scenario`,
      );
    const emitter = new RunEmitter();
    const titles = new Map(selected.map((s) => [s.id, s.title]));
    emitter.on('case:end', (e) => info(progressLine(e, titles.get(e.id) ?? '')));
    const targets = Object.entries(cfg.targets);
    info(
      bold(
        `Running ${selected.length} scenario(s) ${targets.length ? `against ${targets.map(([k, v]) => `${k}=${v}`).join(', ')}` : 'against the reference stations'}${cfg.jobs > 1 ? `, ${cfg.jobs} at a time` : ''}`,
      ),
    );
    const { result, written, summary, interrupt } = await runWithReports(
      selected,
      emitter,
      { targets: cfg.targets, jobs: cfg.jobs, bail: cfg.bail, ...(gateway ? { sendGateway: gateway } : {}) },
      cfg,
      async () => {
        await gateway?.close();
      },
    );
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
    info(
      `${n.passed ? green(`${n.passed} passed`) : '0 passed'}${touched}, ${n.failed ? red(`${n.failed} failed`) : '0 failed'}, ${n.errored ? red(`${n.errored} errored`) : '0 errored'}, ${n.skipped ? yellow(`${n.skipped} skipped`) : '0 skipped'}${n.notRun ? `, ${n.notRun} not run` : ''}${n.findings ? `, ${yellow(`${n.findings} finding(s)`)}` : ''} in ${formatDuration(result.durationMs)}`,
    );
    for (const l of reportLines(written)) info(l);
    const code = interrupt.exitCode(summary.interrupted ? EXIT.INTERRUPTED : n.failed || n.errored ? EXIT.FAILED : EXIT.OK);
    interrupt.dispose();
    return code;
  },
});

export default command;
