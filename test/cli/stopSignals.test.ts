/**
 * The stop of the long-running commands (nodo, station, aca, serve; src/cli/serving.ts), driven in
 * process with process.emit: the first signal flushes, says so and stops, resolving with the
 * signal's code; a second one while the stop is under way exits at once with its own code instead
 * of meeting the default action (the process killed by the signal, with no exit code).
 */
import { expect } from 'chai';
import { stopOnSignals } from '../../src/cli/serving.ts';

describe('cli: stopping a long-running command on a signal', () => {
  // Other listeners (left by other tests' in-process commands) must not see the emitted signals.
  let saved: Array<[NodeJS.Signals, NodeJS.SignalsListener[]]> = [];
  beforeEach(() => {
    saved = (['SIGINT', 'SIGTERM'] as const).map((s) => [s, process.listeners(s)]);
    for (const [s] of saved) process.removeAllListeners(s);
  });
  afterEach(() => {
    for (const [s] of saved) process.removeAllListeners(s);
    for (const [s, list] of saved) for (const l of list) process.on(s, l);
  });

  it('the first SIGTERM flushes, then stops, and resolves 143 once the stop is done; nothing exits the process', async () => {
    const log: string[] = [];
    let finish!: () => void;
    const stopped = stopOnSignals(
      'the stations',
      () =>
        new Promise<void>((r) => {
          finish = () => {
            log.push('stopped');
            r();
          };
        }),
      () => log.push('flush'),
      { exit: (code) => log.push(`exit ${code}`) },
    );
    process.emit('SIGTERM');
    await Promise.resolve();
    expect(log).to.deep.equal(['flush']);
    finish();
    expect(await stopped).to.equal(143);
    expect(log).to.deep.equal(['flush', 'stopped']);
  });

  it('a second signal while the stop hangs exits at once with its own code (was: no listener left, killed by the signal)', async () => {
    const exits: number[] = [];
    void stopOnSignals('serve', () => new Promise<void>(() => {}), undefined, { exit: (code) => exits.push(code) });
    process.emit('SIGINT');
    expect(exits).to.deep.equal([]);
    // Without a listener process.emit returns false: the real process would take the default action.
    expect(process.emit('SIGTERM')).to.equal(true);
    expect(exits).to.deep.equal([143]);
    expect(process.emit('SIGINT')).to.equal(true);
    expect(exits).to.deep.equal([143, 130]);
  });
});
