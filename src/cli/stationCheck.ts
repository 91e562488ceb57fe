/**
 * A station-suite run against the user's station (`check --profile`, `run --profile`):
 * load the profile (exit 2 with file:line:col), plan the roles (which notices are read,
 * which are paid), check that the station listens (exit 3), run the station-suite
 * scenarios one at a time, write the reports and print a summary a station author acts
 * on: passes that touched the station, checks that could not run for lack of data and
 * what to add, answer times against the Nodo's timeouts, and the notices to reload.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { EXIT, ERR, HarnessError } from '../errors.ts';
import { SCENARIOS_DIR } from '../paths.ts';
import { formatProfileIssue, loadProfile } from '../profile/index.ts';
import { formatDuration } from '../report/index.ts';
import { formatCauses, groupCauses } from '../report/index.ts';
import { RunEmitter } from '../scenario/index.ts';
import { formatLoadIssue, loadScenarios } from '../scenario/index.ts';
import { planStationRun } from '../scenario/index.ts';
import { hasErrors } from '../xml/index.ts';
import { startSendGateway } from '../scenario/index.ts';
import { progressLine, selectScenarios, unreachable, type RunConfig } from './runConfig.ts';
import { answerTimes, lackOfData, paidNotices } from './stationSummary.ts';
import { bold, dim, green, info, red, yellow } from './output.ts';
import { reportLines, runWithReports } from './runReports.ts';

export const STATION_SUITE_DIR = join(SCENARIOS_DIR, 'station');

export interface StationCheckOptions {
  profile: string;
  /** Overrides the profile's station.url. */
  url?: string;
  /** The caller passed no paths: run the station suite (scenarios/station). */
  defaultPaths: boolean;
}

export async function stationCheck(cfg: RunConfig, o: StationCheckOptions): Promise<number> {
  // A stateful station: each payable notice is paid at most once, after every scenario that reads it.
  if (cfg.jobs !== 1)
    throw new HarnessError(
      ERR.USAGE,
      `Failed to run the station suite with --jobs ${cfg.jobs}: it runs one scenario at a time against your station, so that the scenarios that pay a notice come after those that read it. Drop --jobs.`,
    );
  const loaded = loadProfile(o.profile);
  if (!loaded.ok) {
    for (const i of loaded.issues) process.stderr.write(`${formatProfileIssue(i)}\n`);
    process.stderr.write(
      `Failed to load the station profile ${o.profile}: ${loaded.issues.length} problem(s) above. Fix them and run again (station-harness init writes a commented template).\n`,
    );
    return EXIT.USAGE;
  }
  for (const w of loaded.warnings) info(yellow(formatProfileIssue(w)));
  const profile = loaded.profile;
  const url = o.url ?? profile.station.url;
  if (o.url !== undefined && !/^https?:\/\/\S+$/.test(o.url))
    throw new HarnessError(ERR.USAGE, `Failed to use --url '${o.url}': expected the http(s):// URL of your station's paForNode endpoint.`);

  const scenarios = await loadScenarios(o.defaultPaths ? [STATION_SUITE_DIR] : cfg.paths);
  for (const i of scenarios.issues) process.stderr.write(`${formatLoadIssue(i)}\n`);
  if (hasErrors(scenarios.issues)) {
    process.stderr.write('Failed to load the scenarios: problem(s) above. Fix them and run again.\n');
    return EXIT.USAGE;
  }
  const all = scenarios.files.flatMap((f) => f.scenarios);
  const selected = selectScenarios(all, cfg);
  const suite = selected.filter((s) => s.station);
  if (selected.length > suite.length)
    info(dim(`${selected.length - suite.length} scenario(s) left out: self-tests of the mock Nodo, not part of the station suite (scenarios/station/).`));
  if (suite.length === 0) {
    process.stderr.write(`No station-suite scenario matches the selection (${all.length} loaded). Check the paths and --tag/--grep.\n`);
    return EXIT.USAGE;
  }
  const plan = planStationRun(profile, suite, { mode: 'target', url });

  const why = await unreachable(url);
  if (why)
    throw new HarnessError(
      ERR.TARGET_UNREACHABLE,
      `Failed to reach station ${profile.station.idStation} at ${url}: ${why}. Start your station (or correct station.url in ${o.profile}, or pass --url) and run again.`,
    );

  const gateway = cfg.send ? await startSendGateway(cfg.send) : undefined;
  if (gateway) info(`SEND API for your station: ${gateway.url}`);
  info(
    bold(
      `Station suite: ${suite.length} scenario(s) against station ${profile.station.idStation} at ${url} (primitive version ${profile.station.primitiveVersion}, broker ${profile.station.idBrokerPA})`,
    ),
  );
  for (const p of plan.pays)
    info(
      `  the run pays ${p.needed} ${p.role} notice(s); ${o.profile} lists ${p.listed}${p.listed < p.needed ? yellow(` (${p.needed - p.listed} scenario(s) will be skipped: add ${p.needed - p.listed} more to notices.${p.role})`) : ''}`,
    );

  const emitter = new RunEmitter();
  const titles = new Map(suite.map((s) => [s.id, s.title]));
  emitter.on('case:end', (e) => info(progressLine(e, titles.get(e.id) ?? '')));
  // A fresh seed per run: payment tokens (receipt ids) must never repeat across runs on a station that keeps its receipts.
  const { result, written, summary, interrupt } = await runWithReports(
    suite,
    emitter,
    { station: plan, jobs: cfg.jobs, bail: cfg.bail, seed: randomBytes(8).toString('hex'), ...(gateway ? { sendGateway: gateway } : {}) },
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
  const missing = lackOfData(result, plan);
  if (missing.length) {
    info('');
    info(bold(`Could not run for lack of data (${missing.length}; add it to ${o.profile}):`));
    for (const m of missing) info(`${yellow('-')} ${m.id}: ${m.add}`);
  }
  const times = answerTimes(result, plan);
  if (times.length) {
    info('');
    info(bold("Answer times of your station (the Nodo's timeout in brackets):"));
    for (const t of times)
      info(
        `  ${t.operation.padEnd(22)} ${String(t.count).padStart(3)} call(s)  p50 ${Math.round(t.p50)} ms  p95 ${Math.round(t.p95)} ms  max ${Math.round(t.max)} ms  [${t.timeoutMs} ms]${t.timeouts ? red(`  ${t.timeouts} over the timeout`) : ''}`,
      );
  }
  const paid = paidNotices(result, plan);
  if (paid.length) {
    info('');
    info(bold(`Notices paid by this run (reload them in your station before the next run):`));
    for (const p of paid) info(`  ${p.fiscalCode}/${p.noticeNumber} (${p.role}, ${p.scenario})`);
  }
  const n = result.counts;
  info('');
  info(
    `${n.passed ? green(`${n.passed} passed`) : '0 passed'} (${n.stationPasses ?? 0} exchanged messages with your station), ${n.failed ? red(`${n.failed} failed`) : '0 failed'}, ${n.errored ? red(`${n.errored} errored`) : '0 errored'}, ${n.skipped ? yellow(`${n.skipped} skipped`) : '0 skipped'}${n.notRun ? `, ${n.notRun} not run` : ''}${n.findings ? `, ${yellow(`${n.findings} finding(s)`)}` : ''} in ${formatDuration(result.durationMs)}`,
  );
  for (const l of reportLines(written)) info(l);
  const code = interrupt.exitCode(summary.interrupted ? EXIT.INTERRUPTED : n.failed || n.errored ? EXIT.FAILED : EXIT.OK);
  interrupt.dispose();
  return code;
}
