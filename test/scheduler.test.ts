/** The one scheduler on the clock (src/scheduler.ts), which SEND and the Nodo's receipt retries share. */
import { expect } from 'chai';
import { ManualClock, RealClock } from '../src/clock.ts';
import { ClockScheduler } from '../src/scheduler.ts';

describe('scheduler: work on the injected clock', () => {
  it('a manual clock runs what an advance passed, in time order, and what those tasks schedule before the new time (catch-up)', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const t0 = clock.now().getTime();
    const ran: string[] = [];
    const s = new ClockScheduler(clock, (e) => {
      throw e;
    });
    let retries = 0;
    const retry = async (): Promise<void> => {
      ran.push(`retry@${clock.now().getTime() - t0}`);
      if (++retries < 3) s.at(t0 + 1000 * (retries + 1), retry);
    };
    s.at(t0 + 2000, async () => void ran.push('b'));
    s.at(t0 + 1000, retry);
    s.at(t0 + 10_000, async () => void ran.push('late'));
    await clock.advanceAndSettle(5000);
    expect(ran).to.deep.equal(['retry@5000', 'b', 'retry@5000', 'retry@5000']);
    expect(s.pending).to.equal(1);
    s.close();
  });

  it('a task due now runs without an advance, and idle() waits for it', async () => {
    const s = new ClockScheduler(new ManualClock(), (e) => {
      throw e;
    });
    let done = false;
    s.after(0, async () => {
      await new Promise((r) => setTimeout(r, 5));
      done = true;
    });
    await s.idle();
    expect(done).to.equal(true);
    s.close();
  });

  it("the real clock waits on an unref'd timer: pending work keeps no process alive", () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const s = new ClockScheduler(new RealClock(), (e) => {
      throw e;
    });
    s.after(3_600_000, async () => {});
    expect(s.pending).to.equal(1);
    expect(timers()).to.equal(before);
    s.close();
    expect(s.pending).to.equal(0);
  });
});
