/**
 * Which scenario files a run reads: paths, folders (searched recursively, fixtures/ skipped) and
 * globs (tinyglobby); a path that matches nothing is an issue.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { globSync } from 'tinyglobby';
import { issue, type Issue } from '../xml/index.ts';

const isYaml = (f: string) => /\.ya?ml$/i.test(f);

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'fixtures') out.push(...walk(p));
    } else if (isYaml(e.name)) out.push(p);
  }
  return out;
}

/** YAML files a glob names, relative to its fixed leading directories; fixtures/ and hidden files left out, like a directory. */
function expandGlob(input: string, cwd: string): string[] {
  const norm = input.split(sep).join('/');
  const parts = norm.split('/');
  const fixed = parts.findIndex((s) => /[*?[{]/.test(s));
  const root = resolve(cwd, parts.slice(0, fixed).join('/') || (norm.startsWith('/') ? '/' : '.'));
  if (!existsSync(root)) return [];
  return globSync(parts.slice(fixed).join('/'), { cwd: root, absolute: true, onlyFiles: true, dot: false, ignore: ['**/fixtures/**', '**/node_modules/**'] })
    .filter(isYaml)
    .map((f) => resolve(f));
}

/** Expands files, directories (recursively, skipping fixtures/) and globs into sorted YAML files. */
export function discover(inputs: string[], cwd = process.cwd()): { files: string[]; issues: Issue[] } {
  const files = new Set<string>();
  const issues: Issue[] = [];
  for (const input of inputs) {
    if (/[*?]/.test(input)) {
      const found = expandGlob(input, cwd);
      if (found.length === 0)
        issues.push(
          issue(
            'SCENARIO_NOT_FOUND',
            `Failed to find scenarios: no YAML file matches '${input}'. Check the pattern (quote it so the shell does not expand it).`,
            { source: input },
          ),
        );
      for (const f of found) files.add(f);
      continue;
    }
    const p = resolve(cwd, input);
    if (!existsSync(p)) {
      issues.push(
        issue('SCENARIO_NOT_FOUND', `Failed to find scenarios: '${input}' does not exist. Pass scenario files, directories or globs.`, { source: input }),
      );
    } else if (statSync(p).isDirectory()) {
      for (const f of walk(p)) files.add(f);
    } else files.add(p);
  }
  return { files: [...files].sort(), issues };
}
