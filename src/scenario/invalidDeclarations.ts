/**
 * The `invalid:` declarations of a scenario, matched with the messages that satisfy them.
 *
 * A step's `expect: { invalid: [M] }` states that an M exchanged from that step on is
 * schema-invalid. Asynchronous answers (a receipt's paSendRTV2Response) may arrive in any later
 * step, so a declaration is satisfied by the first invalid M recorded at or after the declaring
 * step, whichever step it lands in. Each declaration takes its own message (two steps declaring M
 * need two invalid Ms); later invalid Ms are tolerated. A declaration no message satisfies by the
 * end of the scenario is a failed check naming the message. Valid Ms are never a failure here:
 * other recipients of the same receipt answer validly.
 */
import { fail, type Check, type InvalidStatement } from './expect.ts';
import type { Step } from './model.ts';

interface Declaration {
  step: Step;
  message: string;
  /** Journal sequence number when the declaring step started: messages after it count. */
  fromSeq: number;
  satisfiedBy?: number;
  /** Valid messages of this name seen after the declaration. */
  valid: number;
}

export class InvalidDeclarations {
  private readonly list: Declaration[] = [];

  /** Registers the `invalid:` of a step that is about to run. */
  declare(step: Step, fromSeq: number): void {
    for (const message of step.expect?.invalid ?? []) this.list.push({ step, message, fromSeq, valid: 0 });
  }

  /** What the scenario stated about an invalid `message` recorded with journal sequence `seq`. */
  stated(message: string, seq: number): InvalidStatement | undefined {
    const open = this.list.find((d) => d.message === message && d.satisfiedBy === undefined && d.fromSeq < seq);
    if (open) {
      open.satisfiedBy = seq;
      return { kind: 'stated', line: open.step.at.line };
    }
    return this.list.some((d) => d.message === message && d.fromSeq < seq) ? { kind: 'tolerated' } : undefined;
  }

  /** Notes every message checked, to say why a declaration was never satisfied. */
  seen(message: string, seq: number, invalid: boolean): void {
    if (invalid) return;
    for (const d of this.list) if (d.message === message && d.fromSeq < seq && d.satisfiedBy === undefined) d.valid++;
  }

  /** One failed check per declaration no invalid message satisfied; each belongs to its declaring step. */
  unsatisfied(): Array<{ step: Step; check: Check }> {
    return this.list
      .filter((d) => d.satisfiedBy === undefined)
      .map((d) => {
        const where = `step ${d.step.index + 1} (line ${d.step.at.line})`;
        const actual = d.valid
          ? `every ${d.message} from ${where} on was schema-valid (${d.valid} seen)`
          : `no ${d.message} was exchanged from ${where} to the end of the scenario (an answer that is no SOAP message at all, such as an HTTP error page, malformed XML or no answer, is a transport failure, not a schema-invalid message)`;
        const check = fail(
          `${d.message} is schema-invalid, as stated`,
          {
            type: 'schema',
            path: d.message,
            expected: `a schema-invalid ${d.message} at or after ${where}`,
            actual,
            hint: `The scenario declares invalid: [${d.message}] at ${where}, but no such message was schema-invalid. Either the counterpart (station or injection) no longer sends it invalid, or the declaration names the wrong message: fix the scenario or the counterpart.`,
          },
          d.step.at.line,
        );
        return { step: d.step, check };
      });
  }
}
