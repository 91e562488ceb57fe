/**
 * The signal handling of a run (issue 18.4), driven in process with process.emit: the first
 * signal aborts with its name; a second one before the writing writes what ran and exits; a
 * signal while the reports are written takes effect only after they are in place; SIGTERM exits
 * 143 and says SIGTERM, SIGINT 130 and says Ctrl-C.
 */
import { expect } from 'chai';
import { interruptRun, type RunInterrupt } from '../../src/cli/interrupt.ts';

describe('cli: signals during a run', () => {
  let log: string[];
  let interrupt: RunInterrupt | undefined;
  const io = () => ({ out: { write: (s: string) => log.push(`out: ${s.trim()}`) }, exit: (code: number) => void log.push(`exit ${code}`) });
  // Other listeners (left by other tests' in-process commands) must not see the emitted signals.
  let saved: Array<[NodeJS.Signals, NodeJS.SignalsListener[]]> = [];
  beforeEach(() => {
    log = [];
    saved = (['SIGINT', 'SIGTERM'] as const).map((s) => [s, process.listeners(s)]);
    for (const [s] of saved) process.removeAllListeners(s);
  });
  afterEach(() => {
    interrupt?.dispose();
    for (const [s, list] of saved) for (const l of list) process.on(s, l);
  });

  it('the first SIGTERM aborts the run with the reason SIGTERM and says SIGTERM, not Ctrl-C; no exit yet', () => {
    interrupt = interruptRun(() => log.push('flush'), io());
    process.emit('SIGTERM');
    expect(interrupt.signal.aborted).to.equal(true);
    expect(interrupt.signal.reason).to.equal('SIGTERM');
    expect(interrupt.received()).to.equal('SIGTERM');
    expect(interrupt.exitCode(0)).to.equal(143);
    expect(log).to.have.length(1);
    expect(log[0]).to.match(/^out: Interrupted by SIGTERM: stopping after the running scenarios, then writing the report of what ran/);
    expect(log[0]).to.not.contain('Ctrl-C');
  });

  it("a second signal before the writing starts writes what ran at once, then exits with the first signal's code", () => {
    interrupt = interruptRun((sig) => log.push(`flush ${sig}`), io());
    process.emit('SIGINT');
    process.emit('SIGINT');
    expect(log.slice(1)).to.deep.equal(['out: Ctrl-C (SIGINT) again: writing the report of what ran now, then stopping.', 'flush SIGINT', 'exit 130']);
  });

  it('a signal while the reports are written waits for them: the exit comes after the last report', async () => {
    interrupt = interruptRun(() => log.push('flush'), io());
    const r = await interrupt.writing(() => {
      log.push('junit.xml');
      process.emit('SIGTERM');
      process.emit('SIGTERM');
      log.push('report.html');
      return 'written';
    });
    expect(r).to.equal('written');
    expect(log).to.deep.equal(['junit.xml', 'report.html', 'out: SIGTERM received while writing the reports: they are complete; stopping.', 'exit 143']);
  });

  it('an interrupted run whose second signal comes during the writing: no flush over the writer, exit 130 after it', async () => {
    interrupt = interruptRun(() => log.push('flush'), io());
    process.emit('SIGINT');
    await interrupt.writing(() => {
      process.emit('SIGINT');
      log.push('reports');
    });
    expect(log.slice(1)).to.deep.equal(['reports', 'out: Ctrl-C (SIGINT) received while writing the reports: they are complete; stopping.', 'exit 130']);
  });

  it('without a signal nothing happens: exit code as the run says; after the writing a signal stops at once', async () => {
    interrupt = interruptRun(() => log.push('flush'), io());
    await interrupt.writing(() => log.push('reports'));
    expect(interrupt.exitCode(1)).to.equal(1);
    process.emit('SIGTERM');
    expect(log).to.deep.equal(['reports', 'out: SIGTERM: the reports are written; stopping.', 'exit 143']);
  });
});
