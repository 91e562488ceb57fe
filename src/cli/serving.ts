/**
 * What the long-running server commands (`nodo`, `station`, and any other that listens)
 * share: the control API flags (--control-token, --no-control) turned into one
 * ControlAccess mounted in front of every control route, the line that tells the user
 * how the control API is protected, and a clean stop on SIGINT (exit 130) or SIGTERM
 * (exit 143), each with its own message.
 */
import type { Server } from 'node:http';
import { createControlAccess, resolveControlToken, type ControlAccess } from '../control/index.ts';
import { EXIT } from '../errors.ts';
import type { OptionSpec, OptionValues } from './command.ts';
import { info } from './output.ts';

export const CONTROL_OPTIONS = {
  'control-token': { type: 'string' },
  'no-control': { type: 'boolean' },
} as const satisfies OptionSpec;

export const CONTROL_HELP = `  --control-token t  token every /_control request must carry (Authorization: Bearer t or
                     X-Control-Token: t); off loopback one is generated and printed when not
                     given. Env: HARNESS_CONTROL_TOKEN
  --no-control       turn the JSON control API (/_control/...) off: every call answers 404`;

/** The control access of a server bound to `host`, from the flags (and HARNESS_CONTROL_TOKEN). */
export function controlAccessFrom(values: OptionValues<typeof CONTROL_OPTIONS>, host: string, env: NodeJS.ProcessEnv = process.env): ControlAccess {
  const enabled = values['no-control'] !== true;
  const given = values['control-token'] ?? env['HARNESS_CONTROL_TOKEN'];
  const { token, generated } = enabled ? resolveControlToken(host, given) : { token: undefined, generated: false };
  const access = createControlAccess({ host, token, enabled });
  if (!enabled) info('control API off (--no-control): /_control/... answers 404');
  else if (generated)
    info(`control API token (bound to ${host}, off loopback): ${token}  — send it as 'Authorization: Bearer <token>'; pass --control-token to choose it`);
  else if (token) info('control API: the --control-token is required on every /_control call');
  return access;
}

/**
 * The stop of a long-running command: the first SIGINT or SIGTERM runs `flush` (the exchange log,
 * so it comes before the stop message), says it is stopping, runs `stop` and resolves with 130 or
 * 143 once that is done; another signal while it is stopping ends the process at once with
 * that signal's code (a stop that hangs is not waited for), instead of meeting the default action
 * (killed by the signal, no exit code) as it did when the handlers were removed on the first one.
 */
export function stopOnSignals(
  what: string,
  stop: () => Promise<void> | void,
  flush: () => void = () => {},
  io: { exit: (code: number) => void } = { exit: (code) => process.exit(code) },
): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
      const code = signal === 'SIGINT' ? EXIT.INTERRUPTED : EXIT.TERMINATED;
      const name = signal === 'SIGINT' ? 'Ctrl-C (SIGINT)' : 'SIGTERM';
      if (stopping) {
        info(`${name} received again: exiting now`);
        io.exit(code);
        return;
      }
      stopping = true;
      flush();
      info(`${name} received: stopping ${what}`);
      // A stop that fails still ends the command with the signal's code (the failure is not the user's).
      const done = () => resolve(code);
      void Promise.resolve().then(stop).then(done, done);
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
  });
}

/** Resolves with 130 on SIGINT or 143 on SIGTERM, after `flush()` (the exchange log, before the stop message) and the server closed. */
export function untilStopped(server: Server, what: string, flush: () => void = () => {}): Promise<number> {
  return stopOnSignals(
    what,
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    flush,
  );
}
