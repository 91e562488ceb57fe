/**
 * The shape of one CLI command module (src/cli/commands/<name>.ts). main.ts discovers
 * the modules in that folder, so adding a command means adding a file.
 * Handlers return an exit code (see errors.ts EXIT) or throw a HarnessError.
 */
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** What parseArgs gives for one option: a string or a boolean, a list of them when `multiple`. */
type ValueOf<O> = O extends { type: 'boolean' }
  ? O extends { multiple: true }
    ? boolean[]
    : boolean
  : O extends { type: 'string' }
    ? O extends { multiple: true }
      ? string[]
      : string
    : string | boolean | string[] | boolean[];

/** The parsed values of an option table, typed from the table itself (an absent option is undefined). */
export type OptionValues<S extends OptionSpec> = { -readonly [K in keyof S]?: ValueOf<S[K]> } & { help?: boolean };

export interface CommandModule<S extends OptionSpec = OptionSpec> {
  command: string;
  describe: string;
  /** Usage line(s) after `station-harness <command>`. */
  usage: string;
  /** node:util parseArgs options; `help` is added automatically. */
  options: S;
  /** Groups of flags that cannot be used together (`[['json', 'markdown']]`): refused as a usage error. */
  exclusive?: string[][];
  /** Extra help text (flags explained, examples). */
  help: string;
  handler(args: { values: OptionValues<S>; positionals: string[] }): Promise<number>;
}

/** Declares a command: its option table types the values its handler gets (no casts in handlers). */
export const defineCommand = <const S extends OptionSpec>(m: CommandModule<S>): CommandModule<S> => m;
