/**
 * The scenario document's JSON schema: schema.json plus each step kind's own parameters, compiled
 * once; ajv's errors turned into issues located at file:line:col, with what to do.
 */
import { pathText as yamlPathText, pointerPath, type YamlPath } from '../yamlSource.ts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { issue, type Issue } from '../xml/index.ts';
import baseSchema from './schema.json' with { type: 'json' };
import { stepKinds, type StepKind } from './step.ts';

let compiled: { validate: ValidateFunction; kinds: Map<string, StepKind> } | undefined;

export async function compileSchema(): Promise<{ validate: ValidateFunction; kinds: Map<string, StepKind> }> {
  if (compiled) return compiled;
  const kinds = await stepKinds();
  const schema = structuredClone(baseSchema) as unknown as { $defs: { step: { properties: Record<string, unknown> } } };
  for (const k of kinds.values()) {
    if (k.schema) schema.$defs.step.properties[k.kind] = k.schema;
    else if (!(k.kind in schema.$defs.step.properties)) schema.$defs.step.properties[k.kind] = {};
  }
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  compiled = { validate: ajv.compile(schema), kinds };
  return compiled;
}

/** The scenario JSON schema with every registered step kind (for editors: yaml-language-server). */
export async function scenarioJsonSchema(): Promise<object> {
  const kinds = await stepKinds();
  const schema = structuredClone(baseSchema) as unknown as { $defs: { step: { properties: Record<string, unknown> } } };
  for (const k of kinds.values()) if (k.schema) schema.$defs.step.properties[k.kind] = k.schema;
  return schema;
}

export const CORE_KEYS = new Set(['name', 'title', 'expect']);

/** A path in a scenario document as people read it (`steps[2].expect`), `(top level)` for the root. */
export const pathText = (p: YamlPath) => yamlPathText(p) || '(top level)';

export function schemaIssues(
  errors: ErrorObject[],
  at: (p: YamlPath) => { line: number; col: number },
  atKey: (p: YamlPath) => { line: number; col: number },
  file: string,
): Issue[] {
  const relevant = errors.filter((e) => e.keyword !== 'if');
  const precise = relevant.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  // Per path keep the errors of the deepest level only, so anyOf branches do not drown the real message.
  const kept = precise.filter((e) => !precise.some((o) => o !== e && o.instancePath.startsWith(`${e.instancePath}/`) && e.keyword === 'type'));
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of kept.length ? kept : relevant) {
    const key = e.instancePath + (e.keyword === 'additionalProperties' ? `/${String((e.params as { additionalProperty: string }).additionalProperty)}` : '');
    byPath.set(key, [...(byPath.get(key) ?? []), e]);
  }
  const out: Issue[] = [];
  for (const [key, errs] of byPath) {
    const path = pointerPath(key);
    const where = pathText(path);
    const first = errs[0]!;
    let why: string;
    let fix: string;
    if (first.keyword === 'additionalProperties') {
      why = `unknown key '${String(path[path.length - 1])}'`;
      fix = 'Check the spelling against scenarios/README.md (step kinds, setup keys, expect keys)';
    } else if (first.keyword === 'required') {
      why = `missing '${(first.params as { missingProperty: string }).missingProperty}'`;
      fix = 'Add it';
    } else if (first.keyword === 'enum' || errs.some((e) => e.keyword === 'enum')) {
      const e = errs.find((x) => x.keyword === 'enum')!;
      why = `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String).join(', ')}`;
      fix = 'Use one of these values';
    } else if (errs.every((e) => e.keyword === 'type' || e.keyword === 'const')) {
      const types = [
        ...new Set(
          errs.map((e) =>
            e.keyword === 'type'
              ? String((e.params as { type: unknown }).type)
              : `the value ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`,
          ),
        ),
      ];
      why = `must be ${types.join(' or ')}`;
      fix = 'Fix the value';
    } else {
      why = [...new Set(errs.map((e) => e.message ?? 'is invalid'))].join('; ');
      fix = 'Fix the value (format: scenarios/README.md)';
    }
    const lc = first.keyword === 'additionalProperties' ? atKey(path) : at(path);
    out.push(issue('SCENARIO_SCHEMA', `Failed to load the scenario: ${where} ${why}. ${fix}.`, { path: where, line: lc.line, col: lc.col, source: file }));
  }
  return out;
}
