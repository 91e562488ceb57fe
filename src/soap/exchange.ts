/**
 * The Exchange record (one SOAP/HTTP request and its answer, as seen by one party)
 * and the Journal that collects them. Every part of the harness records its traffic
 * here; the scenario engine and the reports only read these records.
 */
import { EventEmitter } from 'node:events';
import type { Issue } from '../xml/issue.ts';

/**
 * Why an outbound call failed (src/soap/client.ts): no answer (`refused`, `reset`, `timeout`),
 * an answer that is not HTTP or was cut off (`bad-http`), too big (`too-large`), not a SOAP
 * message (`http-status`, `not-xml`), a Fault or a schema-invalid message.
 */
export type FailureKind = 'refused' | 'reset' | 'timeout' | 'bad-http' | 'too-large' | 'http-status' | 'not-xml' | 'soap-fault' | 'schema-invalid';

export interface Exchange {
  /** Sequence number, unique within the journal. */
  seq: number;
  /** ISO time of the request on the party's clock. */
  at: string;
  /** Who recorded it: `nodo`, `station:<idStation>`, `send`, `gpd`. */
  party: string;
  /** inbound = the party served it; outbound = the party called someone. */
  direction: 'inbound' | 'outbound';
  /** Who called whom, for sequence diagrams: e.g. from `psp` to `nodo`, from `nodo` to `station:X`. */
  from: string;
  to: string;
  operation: string;
  url?: string;
  soapAction?: string;
  httpStatus?: number;
  request: string;
  response?: string;
  requestIssues: Issue[];
  responseIssues: Issue[];
  durationMs: number;
  outcome?: string;
  faultCode?: string;
  /** Transport/validation failure of an outbound call. */
  failure?: FailureKind;
  /** Human explanation: the rule broken, the mapped fault, the injection applied, ... */
  notes: string[];
  /** Free structured context (idPA, idStation, noticeNumber, paymentToken, correlation id...). */
  meta: Record<string, string | number | boolean | undefined>;
}

export type NewExchange = Omit<Exchange, 'seq' | 'notes' | 'meta' | 'requestIssues' | 'responseIssues'> &
  Partial<Pick<Exchange, 'notes' | 'meta' | 'requestIssues' | 'responseIssues'>>;

export interface ExchangeFilter {
  party?: string;
  operation?: string;
  direction?: 'inbound' | 'outbound';
  since?: number;
  /** meta key=value pairs that must all match. */
  meta?: Record<string, string>;
}

export class Journal extends EventEmitter {
  private readonly items: Exchange[] = [];
  private nextSeq = 1;
  constructor(private readonly limit = 10_000) {
    super();
  }

  record(e: NewExchange): Exchange {
    const full: Exchange = { notes: [], meta: {}, requestIssues: [], responseIssues: [], ...e, seq: this.nextSeq++ };
    this.items.push(full);
    if (this.items.length > this.limit) this.items.splice(0, this.items.length - this.limit);
    this.emit('exchange', full);
    return full;
  }

  list(f: ExchangeFilter = {}): Exchange[] {
    return this.items.filter(
      (e) =>
        (!f.party || e.party === f.party) &&
        (!f.operation || e.operation === f.operation) &&
        (!f.direction || e.direction === f.direction) &&
        (f.since === undefined || e.seq > f.since) &&
        (!f.meta || Object.entries(f.meta).every(([k, v]) => String(e.meta[k]) === v)),
    );
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  clear(): void {
    this.items.length = 0;
  }
}
