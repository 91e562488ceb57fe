/**
 * Scenario files: discovered (discover.ts), parsed as YAML with positions, checked against the
 * schema (scenarioSchema.ts), their setup built with fixtures by reference (setup.ts, fixtures.ts),
 * then their steps and the checks across them (scenarioChecks.ts). Every problem is an Issue with
 * file:line:col; nothing here throws for a bad scenario file.
 */
import { readTextFile } from '../fileText.ts';
import { LineCounter, parseAllDocuments } from 'yaml';
import { issue, type Issue } from '../xml/index.ts';
import type { Scenario } from './model.ts';
import type { StepKind } from './step.ts';
import { fileAt } from '../location.ts';
import { discover } from './discover.ts';
import { relFile } from './fixtures.ts';
import { buildSteps, semanticChecks, stationSpec } from './scenarioChecks.ts';
import { captureRefs } from './template.ts';
import { compileSchema, schemaIssues } from './scenarioSchema.ts';
import { buildSetup, locator, problem, type DocCtx, type Path, type Raw } from './setup.ts';

export interface LoadedFile {
  file: string;
  scenarios: Scenario[];
}

export interface LoadOutcome {
  files: LoadedFile[];
  /** Errors (the run must not start) and warnings. */
  issues: Issue[];
}

/** Whether the string `value` is one of the values in `v` (parameters as written). */
function writes(v: unknown, value: string): boolean {
  if (v === value) return true;
  if (Array.isArray(v)) return v.some((x) => writes(x, value));
  return v !== null && typeof v === 'object' && Object.values(v).some((x) => writes(x, value));
}

/**
 * Whether the scenario uses its setup.notice: a step takes its notice from it (names none), a template
 * reads `${notice...}`, or a step names that very notice number.
 */
export function usesSetupNotice(sc: Scenario, kinds: Map<string, StepKind>): boolean {
  const nn = sc.setup.notice?.noticeNumber;
  return sc.steps.some(
    (s) =>
      kinds.get(s.kind)?.readsSetupNotice?.(s.params) === true ||
      captureRefs([s.params, s.expect ?? null]).some((r) => r.split('.')[0] === 'notice') ||
      (nn !== undefined && writes(s.params, nn)),
  );
}

const noticeText = (setup: unknown) => {
  const n = (setup as { notice?: { noticeNumber?: unknown } } | undefined)?.notice?.noticeNumber;
  return n === undefined ? 'setup.notice' : `setup.notice (${String(n)})`;
};

/** `who`: "scenario 'x'" or "the suite's scenarios"; `why`: which steps do not take it. */
const unusedNoticeMessage = (who: string, notice: string, why: string) =>
  `Failed to load ${who}: ${notice} is never used: ${why}, so it only misleads (run --station counts it as a notice the scenario needs and pays). Remove setup.notice, or let the steps about that notice name no noticeNumber of their own.`;

function loadDocument(ctx: DocCtx, data: Raw, absFile: string, kinds: Map<string, StepKind>): Scenario[] {
  const isSuite = Array.isArray(data['scenarios']);
  const items: { raw: Raw; path: Path }[] = isSuite
    ? (data['scenarios'] as Raw[]).map((raw, i) => ({ raw, path: ['scenarios', i] }))
    : [{ raw: data, path: [] }];
  const out: Scenario[] = [];
  const suiteNotice = isSuite && (data['setup'] as Raw | undefined)?.['notice'] !== undefined;
  let inheritors = 0;
  let inheritorsReading = 0;
  for (const { raw, path } of items) {
    const id = String(raw['id']);
    const before = ctx.issues.length;
    const setup = buildSetup(
      ctx,
      isSuite ? (data['setup'] as Raw | undefined) : undefined,
      raw['setup'] as Raw | undefined,
      [...path, 'setup'],
      ['setup'],
      id,
      absFile,
    );
    const steps = buildSteps(ctx, raw['steps'] as Raw[], [...path, 'steps'], kinds);
    if (!setup) continue;
    const lc = locator(ctx)(path);
    const tags = [...new Set([...((isSuite ? (data['tags'] as string[] | undefined) : undefined) ?? []), ...((raw['tags'] as string[] | undefined) ?? [])])];
    const testCase = (raw['testCase'] as string | undefined) ?? (isSuite ? (data['testCase'] as string | undefined) : undefined);
    const station = stationSpec(isSuite ? data['station'] : undefined, raw['station']);
    const sc: Scenario = {
      id,
      title: String(raw['title']),
      ...(raw['description'] ? { description: String(raw['description']) } : {}),
      tags,
      ...(testCase ? { testCase } : {}),
      ...(raw['skip'] ? { skip: String(raw['skip']) } : {}),
      setup,
      steps,
      at: { file: ctx.file, line: lc.line, col: lc.col },
      ...(station ? { station } : {}),
    };
    semanticChecks(ctx, sc, path, kinds);
    const ownNotice = (raw['setup'] as Raw | undefined)?.['notice'] !== undefined;
    if (ownNotice && !usesSetupNotice(sc, kinds))
      problem(
        ctx,
        [...path, 'setup', 'notice'],
        'SCENARIO_NOTICE_UNUSED',
        unusedNoticeMessage(
          `scenario '${id}'`,
          noticeText(raw['setup']),
          'no step takes its notice from it or names it (each names another noticeNumber, or none needs one)',
        ),
      );
    if (suiteNotice && !ownNotice && ctx.issues.length === before) {
      inheritors++;
      if (usesSetupNotice(sc, kinds)) inheritorsReading++;
    }
    if (ctx.issues.length === before) out.push(sc);
  }
  if (inheritors > 0 && inheritorsReading === 0)
    problem(
      ctx,
      ['setup', 'notice'],
      'SCENARIO_NOTICE_UNUSED',
      unusedNoticeMessage(
        "the suite's scenarios",
        `the suite's ${noticeText(data['setup'])}`,
        `none of the ${inheritors} scenario(s) without a notice of their own has a step that takes its notice from it or names it`,
      ),
    );
  return out;
}

/** Loads one scenario file (all its YAML documents). */
export async function loadScenarioFile(absFile: string): Promise<{ file: LoadedFile; issues: Issue[] }> {
  const { validate, kinds } = await compileSchema();
  const file = relFile(absFile);
  const issues: Issue[] = [];
  const read = readTextFile(absFile, { what: 'the scenario file', code: 'SCENARIO_IO', fix: 'Check the path and its permissions.', source: file });
  if (!read.ok) return { file: { file, scenarios: [] }, issues: read.issues };
  const text = read.text;
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    const p = lc.linePos((docs as { offset: number }).offset ?? 0);
    issues.push(
      issue('SCENARIO_YAML', 'Failed to read the scenario file: unexpected end of YAML stream. Fix the YAML syntax.', {
        line: p.line,
        col: p.col,
        source: file,
      }),
    );
  }
  const scenarios: Scenario[] = [];
  for (const doc of list) {
    const ctx: DocCtx = { file, doc, lc, issues };
    if (doc.errors.length) {
      for (const e of doc.errors) {
        const p = lc.linePos(e.pos[0]);
        issues.push(
          issue('SCENARIO_YAML', `Failed to read the scenario file: ${e.message.split('\n')[0]}. Fix the YAML syntax.`, {
            line: p.line,
            col: p.col,
            source: file,
          }),
        );
      }
      continue;
    }
    const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (data === null || data === undefined) continue;
    if (!validate(data)) {
      issues.push(...schemaIssues(validate.errors ?? [], locator(ctx), locator(ctx, true), file));
      continue;
    }
    scenarios.push(...loadDocument(ctx, data as Raw, absFile, kinds));
  }
  if (list.length > 0 && scenarios.length === 0 && issues.length === 0) {
    issues.push(
      issue(
        'SCENARIO_EMPTY',
        'Failed to load the scenario file: it contains no scenario. Write a mapping with id, title and steps (see scenarios/README.md).',
        { line: 1, col: 1, source: file },
      ),
    );
  }
  return { file: { file, scenarios }, issues };
}

/** Loads every file; checks that scenario ids are unique across the whole set. */
export async function loadScenarios(inputs: string[], cwd = process.cwd()): Promise<LoadOutcome> {
  const found = discover(inputs, cwd);
  const issues = [...found.issues];
  const files: LoadedFile[] = [];
  for (const f of found.files) {
    const r = await loadScenarioFile(f);
    issues.push(...r.issues);
    files.push(r.file);
  }
  const seen = new Map<string, Scenario>();
  for (const f of files) {
    for (const s of f.scenarios) {
      const first = seen.get(s.id);
      if (first)
        issues.push(
          issue(
            'SCENARIO_DUPLICATE_ID',
            `Failed to load the scenarios: id '${s.id}' is also used at ${first.at.file}:${first.at.line}. Give each scenario its own id.`,
            { line: s.at.line, col: s.at.col, source: s.at.file },
          ),
        );
      else seen.set(s.id, s);
    }
  }
  return { files, issues };
}

/** `file:line:col message`, the form the CLI prints. */
export function formatLoadIssue(i: Issue): string {
  return `${fileAt(i.source ?? '<scenario>', i.line, i.col)} ${i.message}`;
}
