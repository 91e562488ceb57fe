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

/** Resolves with 130 on SIGINT or 143 on SIGTERM, after `stop()` (which flushes the exchange log before the stop message) and the server closed. */
export function untilStopped(server: Server, what: string, stop: () => void = () => {}): Promise<number> {
  return new Promise<number>((resolve) => {
    const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      stop();
      info(`${signal === 'SIGINT' ? 'Ctrl-C (SIGINT)' : 'SIGTERM'} received: stopping ${what}`);
      server.closeAllConnections();
      server.close(() => resolve(signal === 'SIGINT' ? EXIT.INTERRUPTED : EXIT.TERMINATED));
    };
    const onInt = () => onSignal('SIGINT');
    const onTerm = () => onSignal('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}
