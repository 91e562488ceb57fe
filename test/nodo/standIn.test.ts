/**
 * The Nodo's stand-in (docs/aca-standin.md §3-4): the activation and deactivation rules (both
 * readings), the manager's jobs on the clock, the probe's verdict on what a station answers,
 * the control API, and the switches (invioReceiptStandin, the meaning of the station flag).
 * Real HTTP on loopback: a scripted station answers what each test needs.
 */
import { expect } from 'chai';
import { ManualClock } from '../../src/clock.ts';
import { HarnessError } from '../../src/errors.ts';
import { activationVerdict, countedFault, deactivationVerdict, isNight, type Sample } from '../../src/nodo/standIn/activation.ts';
import { resolveStandInOptions } from '../../src/nodo/standIn/options.ts';
import { createCronSchedule } from '../../src/nodo/standIn/schedule.ts';
import { callSoap } from '../../src/soap/client.ts';
import { wrap } from '../../src/soap/envelope.ts';
import { createWorld } from '../../src/world.ts';
import { NS } from '../../src/xml/schemas.ts';
import { faultBeanObject } from '../../src/soap/fault.ts';
import { bodyOf, defaultRegistry, EC, SCRIPTED, SCRIPTED_EC, startWorld, verifyReq, activateReq, outcomeV2Req, type World } from './helpers.ts';

const O = resolveStandInOptions();
const T0 = Date.parse('2026-01-15T10:20:30Z');
const sample = (minutesBefore: number, total: number, faults: number, nodoTotal = total, station = 'S'): Sample => ({
  at: T0 - minutesBefore * 60_000,
  station,
  total,
  faults,
  nodoTotal,
});
/** Samples at the monitor instants of the four slots before T0 (10:05, 10:10, 10:15, 10:20). */
const slots = (n: number, s: (i: number) => Sample = (i) => sample(0.5 + 5 * i, 1, 1)) => Array.from({ length: n }, (_, i) => s(i));

describe('stand-in activation and deactivation rules', () => {
  it('adds a station when more than half of the 6 slots failed (4 of 6, not 3) and it has traffic', () => {
    expect(activationVerdict('S', slots(3), T0, O).add).to.equal(false);
    const v = activationVerdict('S', slots(4), T0, O);
    expect(v.add).to.equal(true);
    expect(v.reason).to.match(/^4 of 6 slots failed/);
  });

  it('counts a slot as failed only above 50 % faults, and takes the last sample of each slot', () => {
    expect(
      activationVerdict(
        'S',
        slots(4, (i) => sample(0.5 + 5 * i, 2, 1)),
        T0,
        O,
      ).add,
      '50 % is not more than 50 %',
    ).to.equal(false);
    const twice = [...slots(4), ...slots(4, (i) => sample(0.25 + 5 * i, 1, 0))];
    expect(activationVerdict('S', twice, T0, O).add, 'later samples of the slots are OK').to.equal(false);
  });

  it("needs traffic: code reading = share of high-traffic slots above 5 % (day); SANP reading = the window's share", () => {
    // 4 failed slots; only one has a share over 5 % of the Nodo's calls, the window's share is about 1 %.
    const lowTraffic = slots(4, (i) => sample(0.5 + 5 * i, 1, 1, i === 0 ? 10 : 100));
    expect(activationVerdict('S', lowTraffic, T0, O).add, 'code: 1 of 6 slots (16.7 %) > 5 %').to.equal(true);
    expect(activationVerdict('S', lowTraffic, T0, resolveStandInOptions({ activation: 'sanp' })).add, 'SANP: 4/310 < 5 %').to.equal(false);
    const none = slots(4, (i) => sample(0.5 + 5 * i, 1, 1, 100));
    expect(activationVerdict('S', none, T0, O).add).to.equal(false);
  });

  it('uses the night threshold (10 %) from 22:00 to 06:00 in Rome', () => {
    expect(isNight(Date.parse('2026-01-15T21:00:00Z'))).to.equal(true); // 22:00 in Rome (CET)
    expect(isNight(Date.parse('2026-01-15T20:59:59Z'))).to.equal(false);
    expect(isNight(Date.parse('2026-01-16T04:59:59Z'))).to.equal(true);
    expect(isNight(Date.parse('2026-07-15T04:00:00Z'))).to.equal(false); // 06:00 in Rome (CEST)
    const night = Date.parse('2026-01-15T23:00:00Z');
    const s = (share: number) =>
      Array.from({ length: 4 }, (_, i) => ({ at: night - (0.5 + 5 * i) * 60_000, station: 'S', total: 1, faults: 1, nodoTotal: 1 / share }));
    expect(activationVerdict('S', s(0.5), night, O).add).to.equal(true);
  });

  it("counts IRRAGGIUNGIBILE and TIMEOUT; SERVIZIO_NONATTIVO only with countServizioNonAttivo (the manager's filter spells it otherwise)", () => {
    expect(countedFault('PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE', O)).to.equal(true);
    expect(countedFault('PPT_STAZIONE_INT_PA_TIMEOUT', O)).to.equal(true);
    expect(countedFault('PPT_STAZIONE_INT_PA_ERRORE_RESPONSE', O)).to.equal(false);
    expect(countedFault('PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO', O)).to.equal(false);
    expect(countedFault('PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO', resolveStandInOptions({ countServizioNonAttivo: true }))).to.equal(true);
  });

  it('removes after more than 60 minutes and more than 6 positive probes in 60 minutes (code), or at least half positive (SANP)', () => {
    const since = T0;
    const probes = (n: number, positive: number) => Array.from({ length: n }, (_, i) => ({ at: since + (i + 1) * 300_000, positive: i < positive }));
    const at = since + 61 * 60_000;
    expect(deactivationVerdict(since, probes(12, 7), at, O).remove).to.equal(true);
    expect(deactivationVerdict(since, probes(12, 6), at, O).remove).to.equal(false);
    expect(deactivationVerdict(since, probes(11, 11), since + 59 * 60_000, O).remove, 'not long enough').to.equal(false);
    const sanp = resolveStandInOptions({ deactivation: 'sanp' });
    expect(deactivationVerdict(since, probes(12, 6), at, sanp).remove).to.equal(true);
    expect(deactivationVerdict(since, probes(12, 5), at, sanp).remove).to.equal(false);
  });

  it('refuses bad options with ERR_CONFIG naming the option', () => {
    expect(() => resolveStandInOptions({ activation: 'x' as 'code' })).to.throw(HarnessError, /activation must be one of 'code', 'sanp'/);
    expect(() => resolveStandInOptions({ range: '7m' })).to.throw(HarnessError, /whole number of slots/);
    expect(() => resolveStandInOptions({ trafficDay: 5 })).to.throw(HarnessError, /trafficDay must be a share/);
  });
});

describe('stand-in manager jobs on the clock', () => {
  it('runs every job whose instant was passed, in time order, each seeing its own instant', async () => {
    const clock = new ManualClock('2026-01-15T10:00:00Z');
    const seen: string[] = [];
    const job = (name: string, offsetMs: number) => ({ offsetMs, run: (at: Date) => void seen.push(`${name}@${at.toISOString().slice(11, 19)}`) });
    const s = createCronSchedule(clock, 300_000, [job('probe', 15_000), job('monitor', 0), job('calc', 30_000)], (e) => {
      throw e;
    });
    await clock.advanceAndSettle(299_000);
    expect(seen).to.deep.equal(['probe@10:00:15', 'calc@10:00:30']);
    await clock.advanceAndSettle(17_000);
    expect(seen.slice(2)).to.deep.equal(['monitor@10:05:00', 'probe@10:05:15']);
    s.close();
    await clock.advanceAndSettle(600_000);
    expect(seen).to.have.length(4);
  });
});

describe('stand-in manager jobs: a failing job', () => {
  it('is reported, and the later instants still run', async () => {
    const clock = new ManualClock('2026-01-15T10:00:00Z');
    const seen: string[] = [];
    const errors: string[] = [];
    const s = createCronSchedule(
      clock,
      300_000,
      [
        {
          offsetMs: 0,
          run: (at) => {
            seen.push(at.toISOString().slice(11, 19));
            if (seen.length === 1) throw new Error('first run fails');
          },
        },
      ],
      (e) => void errors.push((e as Error).message),
    );
    await clock.advanceAndSettle(600_000);
    await s.whenIdle();
    expect(seen).to.deep.equal(['10:05:00', '10:10:00']);
    expect(errors).to.deep.equal(['first run fails']);
    s.close();
  });
});

describe('stand-in in the mock Nodo (HTTP)', () => {
  let w: World;
  afterEach(() => w?.close());
  const sconosciuto = (op: string) => ({
    kind: 'response' as const,
    body: {
      [`pafn:${op}Res`]: {
        '@_xmlns:pafn': NS.paForNode,
        outcome: 'KO',
        fault: faultBeanObject({ faultCode: 'PAA_PAGAMENTO_SCONOSCIUTO', faultString: 'Pagamento sconosciuto', id: SCRIPTED_EC }),
      },
    },
  });

  it("probes with the station's first EC, its broker and notice 000000000000000000; positive only for HTTP 2xx containing SCONOSCIUTO", async () => {
    w = await startWorld();
    const answers: Array<[string, () => any, boolean]> = [
      ['KO PAA_PAGAMENTO_SCONOSCIUTO', () => sconosciuto('paVerifyPaymentNotice'), true],
      [
        'KO PAA_SYSTEM_ERROR',
        () => ({
          kind: 'response',
          body: {
            'pafn:paVerifyPaymentNoticeRes': {
              '@_xmlns:pafn': NS.paForNode,
              outcome: 'KO',
              fault: faultBeanObject({ faultCode: 'PAA_SYSTEM_ERROR', faultString: 'x', id: SCRIPTED_EC }),
            },
          },
        }),
        false,
      ],
      ['HTTP 500 with SCONOSCIUTO', () => ({ kind: 'raw', status: 500, body: 'PAA_PAGAMENTO_SCONOSCIUTO' }), false],
      ['HTTP 200 not XML with SCONOSCIUTO', () => ({ kind: 'raw', status: 200, contentType: 'text/plain', body: 'SCONOSCIUTO' }), true],
      ['no answer', () => ({ kind: 'drop', mode: 'close' }), false],
    ];
    for (const [what, answer, positive] of answers) {
      w.script(answer);
      const r = await w.nodo.standIn.probe(SCRIPTED);
      expect(r.positive, what).to.equal(positive);
    }
    const [first] = w.journal.list({ party: 'nodo', direction: 'outbound', meta: { standInProbe: 'true' } });
    expect(first!.request)
      .to.include('<idPA>55555555555</idPA>')
      .and.include('<idBrokerPA>99999999999</idBrokerPA>')
      .and.include(`<idStation>${SCRIPTED}</idStation>`)
      .and.include('<noticeNumber>000000000000000000</noticeNumber>');
    expect(first!.notes[0]).to.match(/^stand-in probe of SCRIPTED_01: positive/);
    expect(w.nodo.standIn.events(), 'a probe by hand has no effect').to.deep.equal([]);
  });

  it('enters stand-in from the PSP faults at the calculation of 10:20:30, stops calling the station, and leaves at 11:20:45 after positive probes', async () => {
    w = await startWorld();
    w.script(() => ({ kind: 'drop', mode: 'close' }));
    const verify = () => w.psp('verifyPaymentNotice', verifyReq(SCRIPTED_EC, '301000000000000017'));
    for (let i = 0; i < 4; i++) {
      expect(bodyOf(await verify())['fault']).to.deep.include({ faultCode: 'PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE' });
      await w.clock.advanceAndSettle(300_000);
    }
    expect(w.nodo.standIn.active(SCRIPTED)).to.equal(false);
    await w.clock.advanceAndSettle(30_000);
    expect(w.nodo.standIn.events()).to.deep.equal([
      {
        at: '2026-01-15T10:20:30.000Z',
        station: SCRIPTED,
        type: 'ADDED',
        by: 'algorithm',
        reason: '4 of 6 slots failed (more than 50 % needed), 4 of 6 slots with high traffic (share more than 5 % needed, day)',
      },
    ]);
    const before = w.journal.list({ party: 'nodo', direction: 'outbound' }).filter((e) => e.to === `station:${SCRIPTED}`).length;
    await verify(); // answered by the stand-in station (not mounted here: unreachable), the station is not called
    expect(w.journal.list({ party: 'nodo', direction: 'outbound' }).filter((e) => e.to === `station:${SCRIPTED}`).length).to.equal(before);
    w.script((op) => sconosciuto(op));
    await w.clock.advanceAndSettle(59 * 60_000 + 59_000);
    expect(w.nodo.standIn.active(SCRIPTED), '11:20:29: not yet').to.equal(true);
    await w.clock.advanceAndSettle(16_000);
    expect(w.nodo.standIn.active(SCRIPTED)).to.equal(false);
    const removed = w.nodo.standIn.events()[1]!;
    expect(removed).to.include({ at: '2026-01-15T11:20:45.000Z', type: 'REMOVED', by: 'algorithm' });
    expect(removed.reason).to.match(/12 of 12 probes positive/);
  });

  it('never puts a station forced off in stand-in, always serves a station forced on from ACA and never probes it', async () => {
    w = await startWorld({
      registry: (r) => ({
        ...r,
        stations: r.stations.map((s) =>
          s.stationCode === SCRIPTED ? { ...s, forceStandIn: false } : s.stationCode === '77777777777_01' ? { ...s, forceStandIn: true } : s,
        ),
      }),
    });
    w.script(() => ({ kind: 'drop', mode: 'close' }));
    for (let i = 0; i < 6; i++) {
      await w.psp('verifyPaymentNotice', verifyReq(SCRIPTED_EC, '301000000000000017'));
      await w.clock.advanceAndSettle(300_000);
    }
    expect(w.nodo.standIn.active(SCRIPTED)).to.equal(false);
    expect(w.nodo.standIn.active('77777777777_01')).to.equal(true);
    expect(w.nodo.standIn.stations()).to.deep.equal([{ station: '77777777777_01', by: 'registry' }]);
    expect(w.nodo.standIn.probes()).to.deep.equal([]);
    expect(w.nodo.standIn.add('77777777777_01')).to.match(/^Failed to put station 77777777777_01 in stand-in: the registry forces it on/);
  });

  it('control API: put in, take out, probe by hand; 409 with the reason when it cannot', async () => {
    w = await startWorld();
    w.script((op) => sconosciuto(op));
    const call = async (method: string, path: string) => {
      const r = await fetch(`${w.base}/_control/nodo/standin${path}`, { method });
      return { status: r.status, json: (await r.json()) as any };
    };
    expect((await call('POST', `/stations/${SCRIPTED}`)).json.stations).to.deep.equal([{ station: SCRIPTED, since: '2026-01-15T10:00:00.000Z', by: 'manual' }]);
    expect((await call('POST', `/stations/${SCRIPTED}/probe`)).json.positive).to.equal(true);
    const state = await call('GET', '');
    expect(state.json.events.map((e: { type: string }) => e.type)).to.deep.equal(['ADDED']);
    expect(state.json.probes, 'a probe by hand does not count for removal').to.have.length(0);
    expect((await call('DELETE', `/stations/${SCRIPTED}`)).status).to.equal(200);
    const again = await call('DELETE', `/stations/${SCRIPTED}`);
    expect(again.status).to.equal(409);
    expect(again.json.error).to.match(/^Failed to take station SCRIPTED_01 out of stand-in: it is not in stand-in\./);
    expect((await call('POST', '/stations/NOPE_01')).json.error).to.match(/is not in the registry/);
  });

  it("with stationFlag 'authorisation' only stations with flagStandIn may be in stand-in", async () => {
    w = await startWorld({ options: { standIn: { stationFlag: 'authorisation' } } });
    expect(w.nodo.standIn.add(SCRIPTED)).to.match(/has no flagStandIn and standIn.stationFlag is 'authorisation'/);
    expect(w.nodo.standIn.add('77777777777_01')).to.equal(undefined);
  });
});

describe('stand-in receipts (world)', () => {
  it('with sendReceipts false (invioReceiptStandin off) a stand-in payment sends no receipt and the journal says why', async () => {
    const registry = defaultRegistry();
    const world = createWorld({ registry, clock: new ManualClock('2026-01-15T10:00:00Z'), nodo: { standIn: { sendReceipts: false } } });
    await world.start();
    try {
      world.nodo.standIn.add('77777777777_01');
      const aca = await fetch(`${world.baseUrl}/aca/v1/paCreatePosition`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': 'harness-subscription-key' },
        body: JSON.stringify({
          paFiscalCode: EC,
          entityType: 'F',
          entityFiscalCode: 'RSSMRA80A01H501U',
          entityFullName: 'Mario Rossi',
          iuv: '01000000000000017',
          amount: 1000,
          description: 'x',
          expirationDate: '2026-12-31T00:00:00Z',
        }),
      });
      expect(aca.status).to.equal(200);
      const psp = (op: string, req: string, fields: object) =>
        callSoap({ url: world.nodoUrl, soapAction: op, envelope: wrap({ [`nfp:${req}`]: { '@_xmlns:nfp': NS.nodeForPsp, ...fields } }), timeoutMs: 60_000 });
      const act = await psp('activatePaymentNoticeV2', 'activatePaymentNoticeV2Request', activateReq(EC, '301000000000000017'));
      const token = String(bodyOf(act)['paymentToken']);
      expect(bodyOf(act)['standin']).to.equal('true');
      expect(bodyOf(await psp('sendPaymentOutcomeV2', 'sendPaymentOutcomeV2Request', outcomeV2Req([token], 'OK')))['outcome']).to.equal('OK');
      await world.idle();
      expect(world.deliveries()).to.deep.equal([]);
      const skipped = world.journal.list({ party: 'nodo', meta: { skipped: 'true', standIn: 'true' } });
      expect(skipped[0]!.notes[0]).to.match(/invioReceiptStandin is off/);
      // The world lists ACA, GPD's receipts and the stand-in routes under their control roots.
      const roots = (await (await fetch(`${world.baseUrl}/_control`)).json()) as { roots: Array<{ root: string }> };
      expect(roots.roots.map((r) => r.root)).to.include.members(['/_control/aca', '/_control/gpd', '/_control/nodo']);
      const paths = async (root: string) =>
        ((await (await fetch(`${world.baseUrl}${root}`)).json()) as { routes: Array<{ method: string; path: string }> }).routes.map(
          (r) => `${r.method} ${r.path}`,
        );
      expect(await paths('/_control/aca')).to.include.members(['GET /_control/aca/positions', 'GET /_control/aca/calls', 'PUT /_control/aca/subscriptions']);
      expect(await paths('/_control/gpd')).to.include.members(['GET /_control/gpd/receipts', 'POST /_control/gpd/receipts-injections']);
      expect(await paths('/_control/nodo')).to.include.members(['GET /_control/nodo/standin', 'POST /_control/nodo/standin/stations/:station/probe']);
    } finally {
      await world.stop();
    }
  });
});
