/**
 * The Exchange record (one SOAP/HTTP request and its answer, as seen by one party)
 * and the Journal that collects them. Every part of the harness records its traffic
 * here; the scenario engine and the reports only read these records.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import type { Issue } from '../xml/index.ts';
import { cutBody } from './journalBody.ts';

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

/** `task` bound to the current exchange: whenever it runs (a retry, a clock advance), it runs as part of it. */
export function bindCorrelation<T>(task: () => T): () => T {
  const id = currentCorrelation();
  return () => withCorrelation(id, task);
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

/**
 * Something a party noticed about an exchange that is not a refusal (a Nodo semantic warning such
 * as IUV_MATCH, an answer with a non-XML Content-Type): typed data the scenario engine collects as
 * report findings. The party also writes it in `notes` for people (`findingNote`), never to be read back.
 */
export interface ExchangeFinding {
  /** Rule or finding code: IUV_MATCH, ANSWER_CONTENT_TYPE, ... */
  code: string;
  severity: 'warning' | 'info';
  message: string;
}

/** The line a finding is written as in an exchange's notes: `warning IUV_MATCH: ...`. */
export function findingNote(f: ExchangeFinding): string {
  return `${f.severity} ${f.code}: ${f.message}`;
}

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
  /** What the party noticed without refusing (absent when nothing). */
  findings?: ExchangeFinding[];
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

/**
 * What the journal keeps (documented in README "Figures"): at most `records` exchanges and
 * about `bytes` characters of message bodies, the oldest dropped first; a body longer than
 * `bodyCap` is kept as its head and tail with its digest (journalBody.ts). A journal kept for
 * days (`serve`, `nodo`) or fed 5 MB messages stays bounded.
 */
export interface JournalLimits {
  records: number;
  bytes: number;
  bodyCap: number;
  keptHeadTail: number;
}

export const JOURNAL_LIMITS: JournalLimits = { records: 10_000, bytes: 64 * 1024 * 1024, bodyCap: 256 * 1024, keptHeadTail: 8 * 1024 };

/**
 * The exchanges in recording order, in a ring buffer: recording is O(1) (no shift of the
 * whole array at the cap), `since` finds its start by binary search on the sequence numbers.
 */
export class Journal extends EventEmitter {
  private ring: (Exchange | undefined)[] = [];
  /** Index in `ring` of the oldest record kept. */
  private head = 0;
  private size = 0;
  private bodyChars = 0;
  private nextSeq = 1;
  private nextCorrelation = 1;
  /**
   * When each kept record started (performance.now() scale), at the record's index in `ring`. A
   * WeakMap keyed by the record cost ~90% of record() (and weak tables are costly to the GC).
   */
  private starts: number[] = [];
  private readonly limits: JournalLimits;
  constructor(limits: number | Partial<JournalLimits> = {}) {
    super();
    this.limits = { ...JOURNAL_LIMITS, ...(typeof limits === 'number' ? { records: limits } : limits) };
  }

  /** A new correlation id (unique within this journal); emits 'correlation' so log printers can wait for its origin. */
  newCorrelationId(): string {
    const id = String(this.nextCorrelation++);
    this.emit('correlation', id);
    return id;
  }

  /** Records an exchange; its correlation id defaults to the one of the current async context. Bodies over the cap are cut. */
  record(e: NewExchange): Exchange {
    const { bodyCap, keptHeadTail } = this.limits;
    const correlationId = e.correlationId ?? currentCorrelation();
    // One shape for every record, built field by field: spreading the callers' objects (a dozen
    // shapes) went through V8's slow generic copy on every exchange. Absent fields stay absent.
    const full: Exchange = {
      seq: this.nextSeq++,
      at: e.at,
      party: e.party,
      direction: e.direction,
      from: e.from,
      to: e.to,
      operation: e.operation,
      request: e.request,
      requestIssues: e.requestIssues ?? [],
      responseIssues: e.responseIssues ?? [],
      durationMs: e.durationMs,
      notes: e.notes ?? [],
      meta: e.meta ?? {},
    };
    if (e.url !== undefined) full.url = e.url;
    if (e.soapAction !== undefined) full.soapAction = e.soapAction;
    if (e.httpStatus !== undefined) full.httpStatus = e.httpStatus;
    if (e.response !== undefined) full.response = e.response;
    if (e.outcome !== undefined) full.outcome = e.outcome;
    if (e.faultCode !== undefined) full.faultCode = e.faultCode;
    if (e.failure !== undefined) full.failure = e.failure;
    if (e.findings !== undefined) full.findings = e.findings;
    if (correlationId) full.correlationId = correlationId;
    if (e.origin !== undefined) full.origin = e.origin;
    // Most bodies are well under the cap: only a long one is looked at again (journalBody.ts).
    if (e.request.length > bodyCap || (e.response !== undefined && e.response.length > bodyCap)) {
      const request = cutBody('request', e.request, bodyCap, keptHeadTail);
      const response = e.response === undefined ? undefined : cutBody('response', e.response, bodyCap, keptHeadTail);
      full.request = request.text;
      if (response) full.response = response.text;
      full.notes = [...full.notes, ...[request.note, response?.note].filter((n): n is string => n !== undefined)];
    }
    this.push(full, performance.now() - (full.durationMs || 0));
    this.emit('exchange', full);
    return full;
  }

  private push(e: Exchange, start: number): void {
    if (this.size === this.limits.records) this.dropOldest();
    if (this.size === this.ring.length) this.grow();
    const at = (this.head + this.size) % this.ring.length;
    this.ring[at] = e;
    this.starts[at] = start;
    this.size++;
    this.bodyChars += charsOf(e);
    while (this.bodyChars > this.limits.bytes && this.size > 1) this.dropOldest();
  }

  /** Doubles the ring (up to the record cap), oldest record first. */
  private grow(): void {
    const next: (Exchange | undefined)[] = new Array(Math.min(this.limits.records, Math.max(64, this.ring.length * 2)));
    const starts: number[] = new Array(next.length).fill(0);
    for (let i = 0; i < this.size; i++) {
      next[i] = this.at(i);
      starts[i] = this.starts[(this.head + i) % this.ring.length]!;
    }
    this.ring = next;
    this.starts = starts;
    this.head = 0;
  }

  private dropOldest(): void {
    const old = this.ring[this.head]!;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    this.bodyChars -= charsOf(old);
  }

  private at(i: number): Exchange {
    return this.ring[(this.head + i) % this.ring.length]!;
  }

  /** Index of the first record with seq > since (records are in seq order). */
  private firstAfter(since: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).seq > since) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  list(f: ExchangeFilter = {}): Exchange[] {
    const out: Exchange[] = [];
    const meta = f.meta ? Object.entries(f.meta) : undefined;
    for (let i = f.since === undefined ? 0 : this.firstAfter(f.since); i < this.size; i++) {
      const e = this.at(i);
      if (
        (!f.party || e.party === f.party) &&
        (!f.operation || e.operation === f.operation) &&
        (!f.direction || e.direction === f.direction) &&
        (f.correlationId === undefined || e.correlationId === f.correlationId) &&
        (!meta || meta.every(([k, v]) => String(e.meta[k]) === v))
      )
        out.push(e);
    }
    return out;
  }

  /** When the exchange started (performance.now() scale: the end minus its duration), for causal ordering. */
  startOf(e: Exchange): number {
    const i = this.firstAfter(e.seq - 1);
    return i < this.size && this.at(i) === e ? this.starts[(this.head + i) % this.ring.length]! : 0;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Records and body characters kept now (for the control API and the benchmarks). */
  get kept(): { records: number; bodyChars: number } {
    return { records: this.size, bodyChars: this.bodyChars };
  }

  clear(): void {
    this.ring = [];
    this.starts = [];
    this.head = 0;
    this.size = 0;
    this.bodyChars = 0;
  }
}

function charsOf(e: Exchange): number {
  return e.request.length + (e.response?.length ?? 0);
}
