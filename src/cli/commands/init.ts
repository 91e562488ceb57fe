/** `station-harness init [file]`: writes a commented station profile template (never over an existing file). */
import { writeFileSync } from 'node:fs';
import { EXIT, ERR, HarnessError } from '../../errors.ts';
import { PROFILE_TEMPLATE } from '../../profile/index.ts';
import { defineCommand } from '../command.ts';
import { info } from '../output.ts';

const command = defineCommand({
  command: 'init',
  describe: 'Write a commented station profile template (station.yaml) to describe your station',
  usage: '[file]',
  options: {},
  help: `
Writes a station profile template to <file> (default station.yaml) and refuses to
overwrite an existing file. Edit it: your station's URL, broker and station codes,
primitive version, the ECs it serves (fiscal code, segregation code, IBANs) and the
notices it holds by role. Then: station-harness check --profile <file>.
Exit codes: 0 written, 2 the file exists or cannot be written.`,
  async handler({ positionals }) {
    if (positionals.length > 1)
      throw new HarnessError(
        ERR.USAGE,
        `Failed to write the profile: one file name expected, got ${positionals.length}. Example: station-harness init station.yaml`,
      );
    const file = positionals[0] ?? 'station.yaml';
    try {
      writeFileSync(file, PROFILE_TEMPLATE, { flag: 'wx' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST')
        throw new HarnessError(ERR.IO, `Failed to write ${file}: it already exists, and init never overwrites. Pass another file name or remove it.`);
      throw new HarnessError(ERR.IO, `Failed to write ${file}: ${code ?? (e as Error).message}. Check the folder exists and is writable.`);
    }
    info(`Wrote ${file}. Edit it to describe your station and its test data, then run:\n  npx station-harness check --profile ${file}`);
    return EXIT.OK;
  },
});

export default command;
