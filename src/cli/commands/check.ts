/**
 * `station-harness check --profile station.yaml`: the station suite (scenarios/station/)
 * against YOUR station, described by its profile: the harness calls it as the Nodo would,
 * judges every answer against a named pagoPA rule, and says what to fix.
 */
import { ERR, HarnessError } from '../../errors.ts';
import { defineCommand } from '../command.ts';
import { stationCheck } from '../stationCheck.ts';
import { resolveRunConfig } from '../runConfig.ts';

const command = defineCommand({
  command: 'check',
  describe: 'Run the station suite against your station, described by its profile (station.yaml)',
  usage: '--profile <station.yaml> [paths...] [--url URL] [--tag t] [--grep re] [--send-port n] [--out dir] [--reporter list] [--keep n] [--bail]',
  options: {
    profile: { type: 'string', short: 'p' },
    url: { type: 'string' },
    tag: { type: 'string', multiple: true },
    grep: { type: 'string' },
    'send-port': { type: 'string' },
    'send-host': { type: 'string' },
    out: { type: 'string' },
    reporter: { type: 'string' },
    bail: { type: 'boolean' },
    keep: { type: 'string' },
  },
  help: `
Runs the station suite (scenarios/station/) against the station your profile describes.
Write the profile with station-harness init; it names your station (URL, broker, station
code, primitive version), the ECs it serves with their IBANs, and your test data by role
(payable, expired, cancelled, paid notices...). Checks needing a role your profile lacks
are skipped, and the summary says what to add.

  --profile, -p f    your station profile (required)
  --url URL          call your station at this URL instead of the profile's station.url
  --tag t, --grep re only these scenarios of the suite
  --send-port n      serve SEND's price API for a SYNC station (see run --help)
  --out dir          reports folder (default reports/)
  --reporter list    comma-separated subset of junit,html,json,evidence (default all)
  --keep n           run folders kept under the reports folder (default 10, 'all')
  --bail             stop after the first failed scenario

The run PAYS some payable notices (each at most once; those scenarios run last) and lists
them at the end: reload them in your station before the next run.
Exit codes: 0 all passed, 1 a check failed, 2 bad profile or usage (file:line:col),
3 your station is not reachable, 130 interrupted (Ctrl-C), 143 stopped by SIGTERM.

Example:
  station-harness init station.yaml   # then edit it
  station-harness check --profile station.yaml`,
  async handler({ values, positionals }) {
    const profile = values['profile'];
    if (typeof profile !== 'string')
      throw new HarnessError(
        ERR.USAGE,
        'Failed to run the station suite: --profile is required. Pass your station.yaml (station-harness init writes a template).',
      );
    const cfg = resolveRunConfig({ ...values, jobs: '1' }, positionals);
    return stationCheck(cfg, { profile, ...(values['url'] !== undefined ? { url: values['url'] } : {}), defaultPaths: positionals.length === 0 });
  },
});

export default command;
