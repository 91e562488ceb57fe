/**
 * report.json: the RunResult of model.ts as is, for tools. Stable and versioned:
 *
 * - `schemaVersion` (1): bumped on any incompatible change; fields are only added otherwise.
 * - `tool`, `runId`, `startedAt`, `finishedAt`, `durationMs`, `interrupted`, `interruption?`
 *   (`SIGINT`/`SIGTERM`), `bailed`, `seed`,
 *   `targets` (idStation → URL of `--station`), `counts` {passed, failed, errored, skipped, total, notRun,
 *   findings (sum over the cases)}.
 * - `cases[]`: {id, title, description?, tags[], testCase?, file, line, state
 *   (passed|failed|errored|skipped), reason? (errored/skipped), durationMs,
 *   steps[] {index, kind, label, name?, line, durationMs, exchanges[] (journal seq), checks[]},
 *   checks[] {passed, name, line?, mismatch? {type, path, expected, actual, hint?}, rule?, source?,
 *   causedBy? (index in this case's checks of the root cause this failed check is a knock-on of:
 *   report/fold.ts), premises? (on a failed check: the rules it holds only if they do)},
 *   failures[] (failed only: each root cause followed by the checks folded under it),
 *   findings[] {code, severity (warning|info), message, source {party, exchange? (journal seq)},
 *   step} (src/scenario/findings.ts: Nodo semantic warnings, SEND harness findings, behaviours a
 *   step records; a finding never fails a case),
 *   exchanges[] (src/soap/exchange.ts Exchange: seq, at, party,
 *   direction, from, to, operation, url, soapAction, httpStatus, request, response,
 *   requestIssues[], responseIssues[] (Issue: code, severity, message, path, line, col,
 *   source), durationMs, outcome, faultCode, failure, notes[], meta), targets}.
 * - `notRun[]`: ids selected but never started; `notRunCases[]` the same with {id, title, tags,
 *   testCase?, file, line, stepLabels}.
 *
 * `counts.findings`, `cases[].findings`, `interruption`, `notRunCases`, `steps[].name` and
 * `checks[].causedBy/rule/source/premises` were added to version 1 (added fields are compatible).
 */
import type { RunResult } from './model.ts';

export function reportJson(run: RunResult): string {
  return `${JSON.stringify(run, null, 2)}\n`;
}
