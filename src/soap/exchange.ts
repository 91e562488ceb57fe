/**
 * The Exchange record (one SOAP/HTTP request and its answer, as seen by one party)
 * and the Journal that collects them. Every part of the harness records its traffic
 * here; the scenario engine and the reports only read these records.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import type { Issue } from '../xml/issue.ts';

/**
 * Correlation: every record carries the id of the exchange that started the chain it belongs
 * to (the PSP's request to the Nodo, or any request that arrived with no id). Inside a party the
 * id travels with the async context; between parties, in the HTTP header below (callSoap and the
 * REST clients send it, endpoints adopt it). Work that outlives the request (receipt retries)
 * keeps the id it was created with and passes it explicitly.
 */
export const CORRELATION_HEADER = 'x-harness-exchange';
const correlation = new AsyncLocalStorage<string>();
const CORRELATION_ID = /^[\w.:-]{1,64}$/;

/** The correlation id of the exchange being served (undefined outside of one). */
export function currentCorrelation(): string | undefined {
  return correlation.getStore();
}

/** Runs `fn` (and everything it starts) as part of exchange `id`. */
export function withCorrelation<T>(id: string | undefined, fn: () => T): T {
  return id ? correlation.run(id, fn) : fn();
}

/** The id a request carries in its header, when well formed. */
export function correlationFromHeader(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v && CORRELATION_ID.test(v) ? v : undefined;
}

/** The header to add to an outbound request made while serving an exchange. */
export function correlationHeaders(): Record<string, string> {
  const id = currentCorrelation();
  return id ? { [CORRELATION_HEADER]: id } : {};
}

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
  /** Free structured context (idPA, idStation, noticeNumber, paymentToken...). */
  meta: Record<string, string | number | boolean | undefined>;
  /** Id of the exchange that caused this one (the PSP request); equal on every record of one chain. */
  correlationId?: string;
  /** True on the record that started the chain (the PSP request, or a request that came with no id). */
  origin?: boolean;
}

export type NewExchange = Omit<Exchange, 'seq' | 'notes' | 'meta' | 'requestIssues' | 'responseIssues'> &
  Partial<Pick<Exchange, 'notes' | 'meta' | 'requestIssues' | 'responseIssues'>>;

export interface ExchangeFilter {
  party?: string;
  operation?: string;
  direction?: 'inbound' | 'outbound';
  since?: number;
  /** Only the records of one chain (see correlationId). */
  correlationId?: string;
  /** meta key=value pairs that must all match. */
  meta?: Record<string, string>;
}

export class Journal extends EventEmitter {
  private readonly items: Exchange[] = [];
  private nextSeq = 1;
  private nextCorrelation = 1;
  private readonly starts = new WeakMap<Exchange, number>();
  constructor(private readonly limit = 10_000) {
    super();
  }

  /** A new correlation id (unique within this journal); emits 'correlation' so log printers can wait for its origin. */
  newCorrelationId(): string {
    const id = String(this.nextCorrelation++);
    this.emit('correlation', id);
    return id;
  }

  /** Records an exchange; its correlation id defaults to the one of the current async context. */
  record(e: NewExchange): Exchange {
    const correlationId = e.correlationId ?? currentCorrelation();
    const full: Exchange = { notes: [], meta: {}, requestIssues: [], responseIssues: [], ...e, ...(correlationId ? { correlationId } : {}), seq: this.nextSeq++ };
    this.starts.set(full, performance.now() - (full.durationMs || 0));
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
        (f.correlationId === undefined || e.correlationId === f.correlationId) &&
        (!f.meta || Object.entries(f.meta).every(([k, v]) => String(e.meta[k]) === v)),
    );
  }

  /** When the exchange started (performance.now() scale: the end minus its duration), for causal ordering. */
  startOf(e: Exchange): number {
    return this.starts.get(e) ?? 0;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  clear(): void {
    this.items.length = 0;
  }
}
