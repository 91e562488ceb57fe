import { expect } from 'chai';
import type { Exchange } from '../../src/soap/exchange.ts';
import { createBufferedLog, logLevelFrom, type LogLevel } from '../../src/cli/bufferedLog.ts';
import { runInProcess } from '../support/cli.ts';

const ex = (over: Partial<Exchange>): Exchange => ({
  seq: 1,
  at: 't',
  party: 'nodo',
  direction: 'inbound',
  from: 'psp',
  to: 'nodo',
  operation: 'verifyPaymentNotice',
  request: '',
  requestIssues: [],
  responseIssues: [],
  durationMs: 1,
  notes: [],
  meta: {},
  outcome: 'OK',
  httpStatus: 200,
  ...over,
});

/** The log as the commands use it: a line format filtered by the level, written through the buffer. */
function createExchangeLog(level: LogLevel, line: (e: Exchange) => string, out: (t: string) => void) {
  const log = createBufferedLog(level, out);
  const filtered = log.filter(line);
  return { exchange: (e: Exchange) => log.write(filtered(e)), flush: log.flush };
}

describe('cli: the buffered exchange log of nodo, station and serve (issue 19)', () => {
  it('writes nothing while a line waits, then every waiting line in one write on flush', () => {
    const writes: string[] = [];
    const log = createExchangeLog(
      'info',
      (e) => `${e.operation} ${e.outcome}`,
      (t) => writes.push(t),
    );
    log.exchange(ex({}));
    log.exchange(ex({ operation: 'activatePaymentNoticeV2' }));
    expect(writes).to.deep.equal([]);
    log.flush();
    expect(writes).to.deep.equal(['verifyPaymentNotice OK\nactivatePaymentNoticeV2 OK\n']);
    log.flush();
    expect(writes).to.have.length(1);
  });

  it('writes at once when 64 KB are waiting', () => {
    const writes: string[] = [];
    const log = createExchangeLog(
      'info',
      () => 'x'.repeat(1023),
      (t) => writes.push(t),
    );
    for (let i = 0; i < 64; i++) log.exchange(ex({}));
    expect(writes).to.have.length(1);
    expect(writes[0]!.length).to.equal(64 * 1024);
    log.flush();
  });

  it('level warn keeps only what went wrong; silent keeps nothing', () => {
    const writes: string[] = [];
    const warn = createExchangeLog(
      'warn',
      (e) => `${e.operation} ${e.outcome ?? e.failure} ${e.faultCode ?? ''}`.trim(),
      (t) => writes.push(t),
    );
    warn.exchange(ex({}));
    warn.exchange(ex({ outcome: 'KO', faultCode: 'PPT_DOMINIO_SCONOSCIUTO' }));
    warn.exchange(ex({ outcome: undefined, failure: 'timeout', direction: 'outbound' }));
    warn.exchange(ex({ requestIssues: [{ code: 'XSD', severity: 'error', message: 'm', path: '/a', line: 1, col: 1 }] }));
    warn.flush();
    expect(writes.join('').trim().split('\n')).to.deep.equal([
      'verifyPaymentNotice KO PPT_DOMINIO_SCONOSCIUTO',
      'verifyPaymentNotice timeout',
      'verifyPaymentNotice OK',
    ]);
    const silent = createExchangeLog(
      'silent',
      () => 'line',
      (t) => writes.push(`silent:${t}`),
    );
    silent.exchange(ex({ outcome: 'KO' }));
    silent.flush();
    expect(writes.some((w) => w.startsWith('silent:'))).to.equal(false);
  });

  it('an unknown level is a usage error (exit 2) naming the levels', async () => {
    expect(() => logLevelFrom('loud', {})).to.throw(/Failed to read --log-level 'loud': not a level\. Use one of info, warn, silent\./);
    expect(logLevelFrom(undefined, { HARNESS_LOG_LEVEL: 'warn' })).to.equal('warn');
    const r = await runInProcess(['station', '--positions', 'scenarios/fixtures/positions.example.yaml', '--log-level', 'loud']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/--log-level 'loud'/);
  });
});
