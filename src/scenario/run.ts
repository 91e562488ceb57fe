/**
 * The scenario engine: one fresh world per scenario, steps in order, checks recorded as
 * results (a failed check never throws), every exchange schema-checked, and the typed
 * events of events.ts emitted for reporters. Deterministic: seeded ids, ManualClock.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ManualClock } from '../clock.ts';
import type { NodoOptionsInput } from '../nodo/index.ts';
import { operationByName } from '../soap/index.ts';
import { createWorld, type World } from '../world.ts';
import type { RunEmitter, CaseEnd, CaseState, StepSummary } from './events.ts';
import { checkSchema, fail, type Check } from './expect.ts';
import { FindingSet, findingsOfExchange, findingsOfNotification, type NewFinding } from './findings.ts';
import { InvalidDeclarations } from './invalidDeclarations.ts';
import type { Scenario, Step } from './model.ts';
import { isNegativeRequest, noticeOf } from './pspCall.ts';
import { stepKinds, type StepContext, type StepKind, type StepResult } from './step.ts';
import type { SendGateway } from './sendGateway.ts';
import { paysNotice, TargetLedger } from './targetData.ts';
import { substitute } from './template.ts';
import { ERR, HarnessError } from '../errors.ts';
import { HARNESS_PSP } from '../profile/index.ts';
import { emptyConfig } from '../station/index.ts';
import type { StationCase } from './stationCase.ts';
import { referencePlan, stationRunOrder, type StationRunPlan } from './stationPlan.ts';
import { canonicalExchanges, caseInfo, stepLabel } from './caseView.ts';
import { skipReason } from './targetPolicy.ts';

export interface RunOptions {
  /** `--station id=url`: these registry stations are the user's endpoints. */
  targets?: Record<string, string>;
  /** Scenarios run at the same time (default 1). */
  jobs?: number;
  /** Stop starting scenarios after the first failed or errored one. */
  bail?: boolean;
  /** Abort (Ctrl-C): running scenarios end as errored "interrupted", the rest are not started. */
  signal?: AbortSignal;
  /**
   * Hang guard (default 60 s): a scenario in which nothing happens for this long (no step begins,
   * no message is exchanged) ends errored. A scenario that keeps working (an hour of stand-in probes
   * to a station answering each in 5 s) is not cut short; ten times this is the absolute limit.
   */
  caseTimeoutMs?: number;
  /** Options passed to every world's mock Nodo. */
  nodo?: NodoOptionsInput;
  runId?: string;
  /** Run seed, mixed into each scenario's own seed (default: fixed, so runs are reproducible). */
  seed?: string;
  onBug?: (message: string) => void;
  /** `--send-port`: the well-known SEND address a user's station calls; routed to the running scenario's world (one job only). */
  sendGateway?: SendGateway;
  /**
   * The station suite's plan (`check --profile`): the profile, its derived registry and the notices
   * bound to each scenario's roles. Without it, station-suite scenarios run against an in-process
   * reference station with the reference profile (the self-test run), or are skipped with `targets`.
   */
  station?: StationRunPlan;
  /** Broken reference stations (src/station/defects.ts), to prove the scenarios catch each defect. */
  stationDefects?: readonly string[];
}

export interface RunSummary {
  counts: Record<CaseState, number>;
  interrupted: boolean;
  bailed: boolean;
}

function idGenerator(seed: string): (prefix?: string) => string {
  let n = 0;
  return (prefix = '') => `${prefix}${createHash('sha256').update(`${seed}:${++n}`).digest('hex').slice(0, 16)}`;
}

/** What stopped the run, for messages: the abort reason when the caller gave one (`SIGTERM`), else Ctrl-C. */
export function interruption(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'SIGINT';
}

interface CaseRun {
  world: World;
  station?: StationCase;
  clock: ManualClock;
  checks: Check[];
  steps: StepSummary[];
  state: CaseState;
  reason?: string;
  findings: FindingSet;
  /** Called when a step begins (the hang guard's sign of progress). */
  progress?: () => void;
}

async function runSteps(s: Scenario, run: CaseRun, emitter: RunEmitter, kinds: Map<string, StepKind>, opts: RunOptions, signal: AbortSignal): Promise<void> {
  const captures = new Map<string, unknown>([
    ['scenario', { id: s.id, title: s.title }],
    ['notice', noticeOf(s, {})],
    ['psp', s.setup.psp],
  ]);
  const station = run.station;
  if (station) {
    const p = station.profile;
    captures.set('station', {
      idStation: p.station.idStation,
      idBrokerPA: p.station.idBrokerPA,
      primitiveVersion: p.station.primitiveVersion,
      fiscalCode: p.ecs[0]!.fiscalCode,
    });
    for (const b of Object.values(station.bindings))
      captures.set(b.name, {
        fiscalCode: b.fiscalCode,
        noticeNumber: b.noticeNumber,
        role: b.role,
        creditorReferenceId: b.noticeNumber[0] === '0' ? b.noticeNumber.slice(3) : b.noticeNumber.slice(1),
      });
  }
  const stepStartSeq = new Map<string, number>();
  const nextId = idGenerator(`${opts.seed ?? ''}${s.setup.seed}`);
  const invalid = new InvalidDeclarations();
  const { world, clock } = run;
  let emitted = world.journal.lastSeq;
  const notifications = new Set<string>();
  const found = (step: Step, items: readonly NewFinding[]) => {
    for (const finding of run.findings.add(step.index, items)) emitter.emit('finding', { caseId: s.id, finding });
  };

  const flush = (step: Step, summary: StepSummary) => {
    const fresh = world.journal.list({ since: emitted });
    emitted = world.journal.lastSeq;
    for (const ex of fresh) {
      summary.exchanges.push(ex.seq);
      emitter.emit('exchange', { caseId: s.id, step: step.index, exchange: ex });
      found(step, findingsOfExchange(ex));
      const id = ex.meta['notificationRequestId'];
      if (ex.operation === 'sendNewNotification' && typeof id === 'string') notifications.add(id);
    }
    // SEND's findings are known once a notification is accepted (at once for SYNC, after validation for ASYNC).
    for (const id of notifications) {
      const rec = world.send.request(id);
      if (rec) found(step, findingsOfNotification(rec));
    }
    for (const ex of canonicalExchanges(fresh)) {
      const op = operationByName(ex.operation);
      if (!op) continue;
      // A deliberately broken PSP request may be invalid; a message declared invalid (at this step or an
      // earlier one: async answers land later) must be, once per declaration (invalidDeclarations.ts).
      // A direct call of the station suite that sends a deliberately invalid request may be invalid too.
      const negative =
        (ex.from === 'psp' && isNegativeRequest(step.params)) ||
        (ex.meta['direct'] === true && kinds.get(step.kind)?.sendsInvalidRequest?.(step.params) === true);
      const stated = (msg: string) => (negative && msg === op.request ? { kind: 'tolerated' as const } : invalid.stated(msg, ex.seq));
      for (const c of checkSchema(ex, { request: op.request, response: op.response }, stated, step.at.line, (msg, bad) => invalid.seen(msg, ex.seq, bad))) {
        run.checks.push(c);
        emitter.emit('check', { caseId: s.id, step: step.index, check: c });
      }
    }
  };

  for (const step of s.steps) {
    if (signal.aborted) {
      run.state = 'errored';
      run.reason = `interrupted (${interruption(signal)}) before the scenario finished`;
      return;
    }
    const kind = kinds.get(step.kind)!;
    const startSeq = world.journal.lastSeq;
    if (step.name) stepStartSeq.set(step.name, startSeq);
    const summary: StepSummary = {
      index: step.index,
      kind: step.kind,
      label: stepLabel(step, kinds),
      ...(step.name ? { name: step.name } : {}),
      line: step.at.line,
      durationMs: 0,
      exchanges: [],
    };
    run.steps.push(summary);
    run.progress?.();
    const missing: string[] = [];
    const ctx: StepContext = {
      world,
      clock,
      journal: world.journal,
      scenario: s,
      step,
      captures,
      stepStartSeq,
      startSeq,
      resolve: (v) =>
        substitute(
          v,
          (root) => captures.get(root),
          (ref) => missing.push(ref),
        ),
      nextId,
      targets: opts.targets ?? {},
      signal,
      ...(station ? { station } : {}),
    };
    // A step that needs a value an earlier (failed) step did not capture is not run: running it with
    // a blank would only add a confusing second failure (e.g. an empty paymentToken's schema error).
    const unresolved: string[] = [];
    /** The failed check of a `${ref}` that had no captured value. */
    const missingCapture = (ref: string, hint: string) => {
      const c = fail(`\${${ref}} has a value`, { type: 'missing', path: `\${${ref}}`, expected: 'a captured value', actual: '(absent)', hint }, step.at.line);
      run.checks.push(c);
      emitter.emit('check', { caseId: s.id, step: step.index, check: c });
    };
    substitute(
      step.params,
      (root) => captures.get(root),
      (ref) => unresolved.push(ref),
    );
    if (unresolved.length) {
      for (const ref of [...new Set(unresolved)])
        missingCapture(
          ref,
          `step ${step.index + 1} (${step.kind}) was not run: the step that captures '${ref.split('.')[0]}' failed or did not return this field`,
        );
      await world.idle();
      flush(step, summary);
      continue;
    }
    invalid.declare(step, startSeq);
    const started = performance.now();
    let result: StepResult;
    try {
      result = await kind.run(step.params, ctx);
    } catch (e) {
      result = {
        kind: 'error' as const,
        message: `Failed to run step ${step.index + 1} (${step.kind}): ${(e as Error).message}. This is a harness bug; rerun with HARNESS_DEBUG=1 and report it.`,
      };
      if (process.env['HARNESS_DEBUG']) process.stderr.write(`${(e as Error).stack}\n`);
    }
    summary.durationMs = performance.now() - started;
    for (const ref of [...new Set(missing)]) missingCapture(ref, `the step that captures '${ref.split('.')[0]}' did not return this field (did it fail?)`);
    for (const c of result.checks ?? []) {
      run.checks.push(c);
      emitter.emit('check', { caseId: s.id, step: step.index, check: c });
    }
    if (result.findings?.length) found(step, result.findings);
    if (result.kind === 'done' && step.name) captures.set(step.name, result.value);
    // Whatever the step started (receipt deliveries, SEND work, a station still answering) settles
    // before its exchanges are attributed and checked: no verdict depends on how fast that was.
    await world.idle();
    flush(step, summary);
    if (result.kind === 'error') {
      run.state = 'errored';
      run.reason = result.message;
      return;
    }
    if (result.kind === 'done' && result.halt && step !== s.steps[s.steps.length - 1]) {
      // Not a second failure: the failed premise is the verdict; the rest would only repeat it.
      const rest = s.steps.length - step.index - 1;
      found(step, [
        {
          code: 'STEPS_NOT_RUN',
          severity: 'info',
          message: `${rest === 1 ? 'the last step was' : `the last ${rest} steps were`} not run: ${result.halt}. Fix that first; the later steps would judge on a false premise`,
          source: { party: 'scenario' },
        },
      ]);
      return;
    }
  }
  // Every step ran: an `invalid:` that no message satisfied is a failure of its declaring step.
  for (const { step, check } of invalid.unsatisfied()) {
    run.checks.push(check);
    emitter.emit('check', { caseId: s.id, step: step.index, check });
  }
}

async function runCase(
  s: Scenario,
  emitter: RunEmitter,
  kinds: Map<string, StepKind>,
  opts: RunOptions,
  signal: AbortSignal,
  ledger: TargetLedger,
): Promise<CaseEnd> {
  const targets = opts.targets ?? {};
  const started = performance.now();
  emitter.emit('case:start', { id: s.id, at: new Date().toISOString() });
  const plan = opts.station;
  const casePlan = s.station ? plan?.cases.get(s.id) : undefined;
  let skip: string | undefined;
  if (s.station) {
    if (!plan)
      skip = 'part of the station suite: it runs against your station with a profile (station-harness check --profile station.yaml), not with --station';
    else skip = s.skip ?? casePlan?.skip ?? (casePlan ? undefined : 'not planned (a harness bug: report it)');
    if (!skip && plan?.mode === 'target' && s.station.requires.sendSync && !opts.sendGateway)
      skip =
        "needs your station to call SEND's price API: run with --send-port <port> and set your station's SEND base URL to http://127.0.0.1:<port>/send (src/send/README.md)";
  } else if (plan?.mode === 'target') skip = 'a self-test of the mock Nodo, not part of the station suite (scenarios/station/)';
  else skip = skipReason(s, targets, opts.sendGateway) ?? (Object.keys(targets).length ? ledger.skipReason(s, targets) : undefined);
  if (skip) return { id: s.id, state: 'skipped', durationMs: 0, reason: skip, steps: [], targets };
  // A station-suite case runs in a world whose registry is the profile's: the station under test at its
  // URL (or an in-process reference station), its ECs, IBANs and secondary ECs, and the harness PSP.
  const stationTargets = plan?.mode === 'target' && plan.url ? { [plan.stationCode]: plan.url } : {};
  const first = casePlan ? Object.values(casePlan.bindings)[0] : undefined;
  const bound: Scenario =
    s.station && plan
      ? {
          ...s,
          setup: {
            ...s.setup,
            registry: plan.registry,
            psp: { ...HARNESS_PSP },
            positions: plan.mode === 'reference' ? s.setup.positions : emptyConfig(),
            inject: [],
            ...(first ? { notice: { fiscalCode: first.fiscalCode, noticeNumber: first.noticeNumber } } : {}),
          },
        }
      : s;
  const caseTargets = s.station ? stationTargets : targets;
  const clock = new ManualClock(bound.setup.clock);
  const world = createWorld({
    registry: bound.setup.registry,
    positions: bound.setup.positions,
    clock,
    seed: `${opts.seed ?? ''}${bound.setup.seed}`,
    stationOverrides: caseTargets,
    nodo: opts.nodo,
    onBug: opts.onBug,
    stationDefects: opts.stationDefects,
  });
  const run: CaseRun = { world, clock, checks: [], steps: [], state: 'passed', findings: new FindingSet() };
  let detach: (() => void) | undefined;
  const limit = opts.caseTimeoutMs ?? 60_000;
  const cap = limit * 10;
  let lastProgress = performance.now();
  const progress = () => {
    lastProgress = performance.now();
  };
  run.progress = progress;
  world.journal.on('exchange', progress);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await world.start();
    if (s.station && plan && casePlan)
      run.station = {
        profile: plan.profile,
        stationCode: plan.stationCode,
        url: plan.url ?? `${world.baseUrl}/stations/${encodeURIComponent(plan.stationCode)}`,
        bindings: casePlan.bindings,
        memory: new Map(),
      };
    detach = opts.sendGateway?.attach(world);
    for (const inj of s.setup.inject) world.inject({ ...inj });
    // Not a limit on the whole scenario: on the time since the last sign of progress (a step began, a
    // message was exchanged), so that how long a station takes to answer each call decides nothing.
    const timedOut = new Promise<'idle' | 'cap'>((r) => {
      const tick = () => {
        const now = performance.now();
        if (now - started >= cap) return r('cap');
        if (now - lastProgress >= limit) return r('idle');
        timer = setTimeout(tick, Math.min(limit - (now - lastProgress), cap - (now - started)) + 1);
      };
      timer = setTimeout(tick, limit);
    });
    const aborted = new Promise<'aborted'>((r) => {
      onAbort = () => r('aborted');
      if (signal.aborted) r('aborted');
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    const how = await Promise.race([runSteps(bound, run, emitter, kinds, opts, signal).then(() => 'done' as const), timedOut, aborted]);
    if (how === 'idle') {
      run.state = 'errored';
      run.reason = `Failed to finish the scenario: nothing happened for ${limit} ms (no step began, no message was exchanged): a step hung. Check waitDeliveries timeouts and station timeouts.`;
    } else if (how === 'cap') {
      run.state = 'errored';
      run.reason = `Failed to finish the scenario within ${cap} ms, although messages were still being exchanged. Check for a step that never ends.`;
    } else if (how === 'aborted') {
      run.state = 'errored';
      run.reason = `interrupted (${interruption(signal)}) before the scenario finished`;
    }
  } catch (e) {
    run.state = 'errored';
    run.reason = `Failed to set up the scenario's world: ${(e as Error).message}. This is a harness problem; rerun with HARNESS_DEBUG=1.`;
  } finally {
    clearTimeout(timer);
    world.journal.off('exchange', progress);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    detach?.();
    if (Object.keys(targets).length && !s.station) ledger.record(s, world, targets);
    await world.stop().catch(() => {});
  }
  const state: CaseState = run.state === 'errored' ? 'errored' : run.checks.some((c) => !c.passed) ? 'failed' : 'passed';
  // How many messages the case exchanged with the station under test (the user's, or the suite's reference station).
  const underTest = new Set(s.station && plan ? [plan.stationCode] : Object.keys(targets));
  const stationExchanges = underTest.size
    ? world.journal
        .list({ party: 'nodo', direction: 'outbound' })
        .filter((e) => e.to.startsWith('station:') && underTest.has(e.to.slice('station:'.length)) && e.failure !== 'refused').length
    : undefined;
  return {
    id: s.id,
    state,
    durationMs: performance.now() - started,
    ...(run.reason ? { reason: run.reason } : {}),
    steps: run.steps,
    targets: caseTargets,
    ...(stationExchanges !== undefined ? { stationExchanges } : {}),
  };
}

/** Runs scenarios with `jobs` workers, emitting the events of events.ts. */
export async function runScenarios(scenarios: Scenario[], emitter: RunEmitter, opts: RunOptions = {}): Promise<RunSummary> {
  if (opts.sendGateway && (opts.jobs ?? 1) > 1 && scenarios.length > 1)
    throw new HarnessError(
      ERR.USAGE,
      `Failed to run ${opts.jobs} scenarios at a time with --send-port: a call to the shared SEND address can be attributed only to the one running scenario. Drop --jobs (or use --jobs 1).`,
    );
  const kinds = await stepKinds();
  const signal = opts.signal ?? new AbortController().signal;
  const t0 = performance.now();
  // A user's station keeps its state: scenarios that pay a notice go last, so that the ones that only
  // verify or activate still find their notices payable (the ledger skips what was already paid).
  if (Object.keys(opts.targets ?? {}).length) scenarios = [...scenarios].sort((a, b) => Number(paysNotice(a)) - Number(paysNotice(b)));
  // The station suite without a profile (the self-test run): an in-process reference station and the reference profile.
  if (!opts.station && !Object.keys(opts.targets ?? {}).length && scenarios.some((s) => s.station)) opts = { ...opts, station: referencePlan(scenarios) };
  if (opts.station?.mode === 'target') scenarios = stationRunOrder(scenarios);
  emitter.emit('run:start', {
    runId: opts.runId ?? randomUUID(),
    startedAt: new Date().toISOString(),
    cases: scenarios.map((s) => caseInfo(s, kinds)),
    targets: opts.targets ?? {},
    seed: opts.seed ?? '',
  });
  const counts: Record<CaseState, number> = { passed: 0, failed: 0, errored: 0, skipped: 0 };
  let next = 0;
  let bailed = false;
  const ledger = new TargetLedger();
  const worker = async () => {
    while (next < scenarios.length && !signal.aborted && !bailed) {
      const s = scenarios[next++]!;
      const end = await runCase(s, emitter, kinds, opts, signal, ledger);
      counts[end.state]++;
      emitter.emit('case:end', end);
      if (opts.bail && (end.state === 'failed' || end.state === 'errored')) bailed = true;
    }
  };
  const jobs = Math.max(1, Math.min(opts.jobs ?? 1, scenarios.length || 1));
  await Promise.all(Array.from({ length: jobs }, worker));
  const interrupted = signal.aborted;
  emitter.emit('run:end', {
    finishedAt: new Date().toISOString(),
    durationMs: performance.now() - t0,
    interrupted,
    ...(interrupted ? { interruption: interruption(signal) } : {}),
    bailed,
  });
  return { counts, interrupted, bailed };
}

/** `--shard i/n`: a deterministic split (by position in the sorted list). */
export function shard<T>(items: T[], index: number, total: number): T[] {
  return items.filter((_x, i) => i % total === index - 1);
}
