/**
 * The shape of one CLI command module (src/cli/commands/<name>.ts). main.ts discovers
 * the modules in that folder, so adding a command means adding a file.
 * Handlers return an exit code (see errors.ts EXIT) or throw a HarnessError.
 */
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandModule {
  command: string;
  describe: string;
  /** Usage line(s) after `station-harness <command>`. */
  usage: string;
  /** node:util parseArgs options; `help` is added automatically. */
  options: OptionSpec;
  /** Groups of flags that cannot be used together (`[['json', 'markdown']]`): refused as a usage error. */
  exclusive?: string[][];
  /** Extra help text (flags explained, examples). */
  help: string;
  handler(args: { values: Record<string, unknown>; positionals: string[] }): Promise<number>;
}
