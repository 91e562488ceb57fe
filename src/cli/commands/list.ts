/** `station-harness list [paths...] [--tag t] [--json]`: the scenario catalogue (id, title, tags, test-case id). */
import { EXIT } from '../../errors.ts';
import { SCENARIOS_DIR } from '../../paths.ts';
import { formatLoadIssue, loadScenarios } from '../../scenario/index.ts';
import { relative } from 'node:path';
import type { Scenario } from '../../scenario/index.ts';
import { hasErrors } from '../../xml/index.ts';
import { defineCommand } from '../command.ts';
import { resolveRunConfig, selectScenarios } from '../runConfig.ts';

const command = defineCommand({
  command: 'list',
  describe: 'Print the scenario catalogue (id, title, tags, pagoPA test-case id)',
  usage: '[paths/globs...] [--tag t] [--grep re] [--json | --markdown]',
  options: { tag: { type: 'string', multiple: true }, grep: { type: 'string' }, json: { type: 'boolean' }, markdown: { type: 'boolean' } },
  exclusive: [['json', 'markdown']],
  help: `
Loads and checks the scenarios like \`run\` (problems are printed as file:line:col and
exit 2), then prints one line per scenario: id, test-case id, tags and title; with
--json an array of {id, title, tags, testCase, file, line, steps} on stdout; with
--markdown the catalogue table of scenarios/README.md (regenerate it with this).`,
  async handler({ values, positionals }) {
    const cfg = resolveRunConfig({ tag: values['tag'], grep: values['grep'] }, positionals.length ? positionals : [SCENARIOS_DIR]);
    const loaded = await loadScenarios(cfg.paths);
    for (const i of loaded.issues) process.stderr.write(`${formatLoadIssue(i)}\n`);
    if (hasErrors(loaded.issues)) return EXIT.USAGE;
    const rows = selectScenarios(
      loaded.files.flatMap((f) => f.scenarios),
      cfg,
    );
    if (values['json']) {
      const out = rows.map((s) => ({
        id: s.id,
        title: s.title,
        tags: s.tags,
        testCase: s.testCase ?? null,
        file: s.at.file,
        line: s.at.line,
        steps: s.steps.length,
      }));
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return EXIT.OK;
    }
    if (values['markdown']) {
      process.stdout.write(catalogueMarkdown(rows));
      return EXIT.OK;
    }
    const w = Math.max(2, ...rows.map((s) => s.id.length));
    const tw = Math.max(9, ...rows.map((s) => (s.testCase ?? '').length));
    for (const s of rows) process.stdout.write(`${s.id.padEnd(w)}  ${(s.testCase ?? '').padEnd(tw)}  ${s.title}  [${s.tags.join(', ')}]\n`);
    process.stderr.write(`${rows.length} scenario(s)\n`);
    return EXIT.OK;
  },
});

const cell = (v: string) => v.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The catalogue as the Markdown table kept in scenarios/README.md (links relative to scenarios/). */
export function catalogueMarkdown(rows: Scenario[]): string {
  const lines = ['| id | title | tags | test case | file |', '| --- | --- | --- | --- | --- |'];
  for (const s of rows) {
    const file = relative(SCENARIOS_DIR, s.at.file).split('\\').join('/');
    lines.push(`| \`${s.id}\` | ${cell(s.title)} | ${cell(s.tags.join(', '))} | ${s.testCase ?? ''} | [${file}](${file}) |`);
  }
  return `${lines.join('\n')}\n`;
}

export default command;
