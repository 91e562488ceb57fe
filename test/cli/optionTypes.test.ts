/**
 * A command's values are typed from its option table (issue 17 item 3): `npm run typecheck` fails on
 * a handler that reads an option as the wrong type, so handlers carry no casts.
 */
import { expect } from 'chai';
import { defineCommand, type OptionValues } from '../../src/cli/command.ts';
import type { RUN_OPTIONS } from '../../src/cli/runConfig.ts';

describe('cli: option values typed from the option table', () => {
  it('string, boolean and repeatable options get their own types', () => {
    const seen: unknown[] = [];
    const cmd = defineCommand({
      command: 'demo',
      describe: 'd',
      usage: '',
      help: '',
      options: { port: { type: 'string' }, quiet: { type: 'boolean' }, tag: { type: 'string', multiple: true } },
      async handler({ values }) {
        const port: string | undefined = values.port;
        const quiet: boolean | undefined = values.quiet;
        const tags: string[] | undefined = values.tag;
        // @ts-expect-error a string option is not a number
        const wrong: number | undefined = values.port;
        // @ts-expect-error an option the table does not declare
        void values.nope;
        seen.push(port, quiet, tags, wrong);
        return 0;
      },
    });
    return cmd.handler({ values: { port: '8080', quiet: true, tag: ['a'] }, positionals: [] }).then((code) => {
      expect(code).to.equal(0);
      expect(seen).to.deep.equal(['8080', true, ['a'], '8080']);
    });
  });

  it('run, check and list share one typed table for what they resolve', () => {
    const values: OptionValues<typeof RUN_OPTIONS> = { station: ['77777777777_01=http://127.0.0.1:1/pa'], bail: true };
    // @ts-expect-error --jobs is text on the command line, parsed by resolveRunConfig
    const bad: OptionValues<typeof RUN_OPTIONS> = { jobs: 4 };
    expect([values.station?.length, values.bail, bad.jobs]).to.deep.equal([1, true, 4]);
  });
});
