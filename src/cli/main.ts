/**
 * `station-harness` entry point: discovers command modules, parses flags, maps errors
 * to fixed exit codes (0 ok, 1 conformance failures, 2 usage/config, 3 harness/target,
 * 130 interrupted). Never prints a stack trace for a user error.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { EXIT, exitCodeFor, isHarnessError } from '../errors.ts';
import { packageVersion } from '../packageInfo.ts';
import { MODULE_EXT } from '../paths.ts';
import type { CommandModule, OptionSpec, OptionValues } from './command.ts';
import { testPauseAt } from './testHook.ts';

const COMMANDS_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'commands');

async function loadCommand(file: string): Promise<CommandModule> {
  return ((await import(pathToFileURL(join(COMMANDS_DIR, file)).href)) as { default: CommandModule }).default;
}

/** Every command (for the help and for unknown names); a run of one command imports only its file. */
async function loadCommands(): Promise<Map<string, CommandModule>> {
  const map = new Map<string, CommandModule>();
  const files = readdirSync(COMMANDS_DIR)
    .filter((f) => f.endsWith(MODULE_EXT) && !f.endsWith('.d.ts'))
    .sort();
  for (const f of files) {
    const mod = await loadCommand(f);
    map.set(mod.command, mod);
  }
  return map;
}

/** The command named `name`, importing only `commands/<name>.ts` when the file is named after it. */
async function findCommand(name: string): Promise<CommandModule | undefined> {
  if (/^[\w-]+$/.test(name) && existsSync(join(COMMANDS_DIR, `${name}${MODULE_EXT}`))) {
    const mod = await loadCommand(`${name}${MODULE_EXT}`);
    if (mod.command === name) return mod;
  }
  return (await loadCommands()).get(name);
}

function mainHelp(cmds: Map<string, CommandModule>): string {
  const width = Math.max(...[...cmds.keys()].map((k) => k.length));
  const lines = [...cmds.values()].map((c) => `  ${c.command.padEnd(width)}  ${c.describe}`);
  return [
    'station-harness: pagoPA station emulator and conformance harness (mock Nodo, reference EC station, SEND/GPD)',
    '',
    'Usage: station-harness <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  -h, --help     show help (also: station-harness <command> --help)',
    '  -V, --version  print the version',
    '',
    'Exit codes: 0 ok, 1 conformance failures or invalid messages, 2 usage/config/IO error, 3 harness or target error, 130 interrupted.',
  ].join('\n');
}

/** Edit distance (insert, delete, substitute, swap of neighbours) for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

/** The known name closest to `typed`, when it is close enough to be a typo (or `typed` is its prefix). */
export function didYouMean(typed: string, known: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  const scored = known.map((k) => ({ k, d: k.startsWith(t) && t.length >= 2 ? 0.5 : editDistance(t, k.toLowerCase()) })).sort((a, b) => a.d - b.d);
  const best = scored[0];
  return best && best.d <= Math.max(1, Math.floor(Math.min(t.length, best.k.length) / 3)) ? best.k : undefined;
}

/** parseArgs errors as one "Failed to" line, with the closest flag for an unknown one. */
function optionError(cmd: CommandModule, e: Error & { code?: string }): string {
  const unknown = /^Unknown option '(-{1,2})([^']+)'/.exec(e.message);
  if (unknown) {
    const flags = Object.keys(cmd.options).concat('help');
    const guess = didYouMean(unknown[2]!, flags);
    return `Failed to parse the options of '${cmd.command}': unknown option ${unknown[1]}${unknown[2]}.${guess ? ` Did you mean --${guess}?` : ''} See station-harness ${cmd.command} --help.`;
  }
  return `Failed to parse the options of '${cmd.command}': ${e.message.replace(/\.$/, '')}. See station-harness ${cmd.command} --help.`;
}

function commandHelp(c: CommandModule): string {
  return [`Usage: station-harness ${c.command} ${c.usage}`, '', c.describe, '', c.help.trim()].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const target = first === 'help' && rest[0] ? await findCommand(rest[0]) : undefined;
    process.stdout.write(`${target ? commandHelp(target) : mainHelp(await loadCommands())}\n`);
    return first === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (first === '-V' || first === '--version') {
    process.stdout.write(`${packageVersion()}\n`);
    return EXIT.OK;
  }
  const cmd = await findCommand(first);
  if (!cmd) {
    const names = [...(await loadCommands()).keys()];
    // An option where the command belongs (`--hepl`) is compared with the options that can stand there.
    const guess = first.startsWith('-') ? didYouMean(first.replace(/^-+/, ''), ['help', 'version']) : didYouMean(first, names);
    const mean = guess === undefined ? '' : first.startsWith('-') ? ` Did you mean --${guess}?` : ` Did you mean '${guess}'?`;
    process.stderr.write(`Failed to run '${first}': unknown command.${mean} Commands: ${names.join(', ')}. See station-harness --help.\n`);
    return EXIT.USAGE;
  }
  let parsed: { values: OptionValues<OptionSpec>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...cmd.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }) as typeof parsed;
  } catch (e) {
    process.stderr.write(`${optionError(cmd, e as Error)}\n`);
    return EXIT.USAGE;
  }
  for (const group of cmd.exclusive ?? []) {
    const given = group.filter((f) => parsed.values[f] !== undefined && parsed.values[f] !== false);
    if (given.length > 1) {
      process.stderr.write(
        `Failed to parse the options of '${cmd.command}': ${given.map((f) => `--${f}`).join(' and ')} cannot be used together. Pick one. See station-harness ${cmd.command} --help.\n`,
      );
      return EXIT.USAGE;
    }
  }
  if (parsed.values['help']) {
    process.stdout.write(`${commandHelp(cmd)}\n`);
    return EXIT.OK;
  }
  try {
    return await cmd.handler(parsed);
  } catch (e) {
    if (isHarnessError(e)) {
      process.stderr.write(`${e.message}\n`);
      return exitCodeFor(e);
    }
    process.stderr.write(`Internal error of station-harness (a bug, please report it): ${(e as Error).message}\n`);
    if (process.env['HARNESS_DEBUG']) process.stderr.write(`${(e as Error).stack}\n`);
    return EXIT.HARNESS;
  }
}

const isEntry = process.argv[1] && /station-harness(\.js)?$|cli[\\/]main\.[jt]s$/.test(process.argv[1]);
if (isEntry) {
  // A reader that stops early (`station-harness list | head -1`) closes the pipe: end quietly, exit 0.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(EXIT.OK);
      throw e;
    });
  }
  main(process.argv.slice(2)).then(
    async (code) => {
      process.exitCode = code;
      // The command is done (its reports written, its handlers removed), but the process may still be
      // finishing: a Ctrl-C or SIGTERM then ends it with the signal's exit code, not killed by the
      // signal (no exit code at all).
      process.once('SIGINT', () => process.exit(EXIT.INTERRUPTED));
      process.once('SIGTERM', () => process.exit(EXIT.TERMINATED));
      // The signal tests hold the process here (HARNESS_TEST_PAUSE_AFTER=command, runReports.ts).
      await testPauseAt('command', 'after the command, its exit code set, while the process ends');
      // Work left behind (a station sleeping on an injected delay) must not keep the process alive.
      setTimeout(() => process.exit(code), 300).unref();
    },
    (e) => {
      process.stderr.write(`Internal error of station-harness: ${(e as Error).message}\n`);
      process.exitCode = EXIT.HARNESS;
    },
  );
}
