/**
 * Findings: what the harness noticed that pagoPA does not specify as a refusal, so it can
 * never fail a scenario but a station author (or an EC) should read it. Three sources, all
 * typed data (nothing is parsed back from text):
 *
 * - the `findings` of the exchanges the mock Nodo records: its semantic **warnings**
 *   (src/nodo/semantic.ts rules such as IUV_MATCH, VERIFY_FISCAL_CODE) and answers usable
 *   despite a flaw (ANSWER_CONTENT_TYPE);
 * - SEND's **harness findings** (COST_NOT_RECOVERED, MIXED_INTEGRATION_MODE) of every
 *   notification submitted in the scenario, read from SEND's record of the notification;
 * - steps that **record** a behaviour pagoPA leaves open (e.g. `expectStationAnswer` with
 *   `finding:`: what a SYNC station answered while SEND's price API failed).
 *
 * The engine derives them per scenario (run.ts), de-duplicated on code + message (the same
 * warning is often noted on the Nodo's station call and on the PSP answer).
 */
import type { Exchange } from '../soap/index.ts';
import type { NotificationRequestRecord } from '../send/index.ts';

export type FindingSeverity = 'warning' | 'info';

export interface Finding {
  /** Rule or finding code: IUV_MATCH, COST_NOT_RECOVERED, SEND_PRICE_FAILURE_ANSWER, ... */
  code: string;
  severity: FindingSeverity;
  message: string;
  /** Who noticed it (`nodo`, `send`, `station:<id>`, `scenario`) and on which exchange (journal seq), if any. */
  source: { party: string; exchange?: number };
  /** Index of the step during which it was noticed. */
  step: number;
}

export type NewFinding = Omit<Finding, 'step'>;

/** The findings a party recorded on an exchange. */
export function findingsOfExchange(e: Exchange): NewFinding[] {
  return (e.findings ?? []).map((f) => ({ code: f.code, severity: f.severity, message: f.message, source: { party: e.party, exchange: e.seq } }));
}

/** SEND's harness findings of a notification request (warnings: findings never fail, whatever SEND's own severity). */
export function findingsOfNotification(r: NotificationRequestRecord): NewFinding[] {
  return r.findings.map((f) => ({ code: f.code, severity: 'warning', message: f.message, source: { party: 'send' } }));
}

/** Collects the findings of one scenario, once each (code + message). */
export class FindingSet {
  private readonly seen = new Set<string>();
  readonly list: Finding[] = [];
  /** Adds the new ones and returns them. */
  add(step: number, items: readonly NewFinding[]): Finding[] {
    const fresh: Finding[] = [];
    for (const f of items) {
      const key = `${f.code}\u0000${f.message}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      const full: Finding = { ...f, step };
      this.list.push(full);
      fresh.push(full);
    }
    return fresh;
  }
}
