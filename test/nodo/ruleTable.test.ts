/**
 * The semantic-rule table of src/nodo/README.md stays true (issue 14 item 8): every rule
 * semantic.ts can emit is in the table, every rule in the table is emitted by semantic.ts, and
 * every rule is reached by some scenario of the suite (a step whose `expect.note` names it; the
 * suite test runs every scenario and requires it to pass, so the rule really fires there).
 */
import { expect } from 'chai';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, SCENARIOS_DIR } from '../../src/paths.ts';

function tableRules(): string[] {
  const readme = readFileSync(join(PROJECT_ROOT, 'src', 'nodo', 'README.md'), 'utf8');
  const start = readme.indexOf('### Semantic rules on station answers');
  expect(start, 'README section "Semantic rules on station answers"').to.be.greaterThan(-1);
  const section = readme.slice(start, readme.indexOf('\n#', start + 5) === -1 ? undefined : readme.indexOf('\n#', start + 5));
  return [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]!);
}

function emittedRules(): string[] {
  const src = readFileSync(join(PROJECT_ROOT, 'src', 'nodo', 'semantic.ts'), 'utf8');
  return [...new Set([...src.matchAll(/(?:err\(\s*|rule: )'([A-Z_]+)'/g)].map((m) => m[1]!))];
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? yamlFiles(p) : p.endsWith('.yaml') ? [p] : [];
  });
}

describe('nodo: the README rule table (issue 14 item 8)', () => {
  const table = tableRules();
  const emitted = emittedRules();

  it('lists exactly the rules semantic.ts emits (no rule that can never fire, none missing)', () => {
    expect(table.length).to.be.greaterThan(5);
    expect([...table].sort()).to.deep.equal([...emitted].sort());
    for (const gone of ['TRANSFER_COUNT', 'METADATA_LIMITS']) expect(emitted, `${gone} is an XSD limit`).not.to.include(gone);
  });

  it('every rule is reached by a scenario of the suite (expect.note naming it)', () => {
    const notes = yamlFiles(SCENARIOS_DIR).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/note: "([^"]*)"/g)].map((m) => m[1]!));
    const unreached = table.filter((rule) => !notes.some((n) => new RegExp(`(^|[^A-Z_])${rule}([^A-Z_]|$)`).test(n)));
    expect(unreached, 'rules no scenario expects').to.deep.equal([]);
  });
});
