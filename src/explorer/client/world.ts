/**
 * The world panel: stations (primitiveVersion, broadcast flag of each association, stand-in on or
 * off, conferring a station's positions to ACA), fault injections on the reference stations (add,
 * list, remove), live payment sessions, and the two integration modes: stand-in events and probes,
 * ACA positions, GPD receipts.
 */
import { getJson, sendJson } from './api.ts';
import { clear, h } from './dom.ts';

export interface WorldState {
  now: string;
  offsetMs: number;
  stations: Array<{
    stationCode: string;
    brokerCode: string;
    enabled: boolean;
    primitiveVersion: 1 | 2;
    endpoint: string;
    flagStandIn: boolean;
    forceStandIn?: boolean;
    /** Present while the station is in stand-in. */
    standIn?: { since?: string; by: string };
    associations: Array<{
      fiscalCode: string;
      auxDigit: number;
      segregationCode?: string;
      applicationCode?: string;
      broadcast: boolean;
      aca: boolean;
      standIn: boolean;
    }>;
  }>;
  standInEvents: Array<{ at: string; station: string; type: string; by: string; reason: string }>;
  standInProbes: Array<{ at: string; station: string; positive: boolean; detail: string }>;
  subscriptionKey: string;
  aca: Array<{ fiscalCode: string; iuv: string; noticeNumber: string; amount: number; status: string; payStandIn: boolean }>;
  gpdReceipts: Array<{ organizationFiscalCode: string; iuv: string; debtor: string; paymentDateTime: string; status: string }>;
  referenceStations: string[];
  injections: Array<{
    id: string;
    station?: string;
    operation?: string;
    noticeNumber?: string;
    times?: number;
    delayMs: number;
    action: { kind: string; faultCode?: string };
  }>;
  sessions: Array<{ paymentToken: string; fiscalCode: string; noticeNumber: string; state: string; expiresAt: string }>;
  positions: Array<{ fiscalCode: string; noticeNumber: string; state: string; description: string; send: boolean }>;
}

/** Faults a developer reaches for, as injection specs (src/station/README.md, "Fault injection"). */
export const FAULTS: Array<{ label: string; spec: Record<string, unknown> }> = [
  { label: 'HTTP 500 with an HTML page', spec: { action: 'http500' } },
  { label: 'connection closed, no answer', spec: { action: 'close' } },
  { label: 'connection reset', spec: { action: 'reset' } },
  { label: 'malformed XML', spec: { action: 'malformed' } },
  { label: 'slow: answers after 16 s (Nodo timeouts are 7 s, receipts 15 s)', spec: { action: 'none', delay: '16s' } },
  { label: 'KO PAA_SYSTEM_ERROR', spec: { action: { fault: 'PAA_SYSTEM_ERROR', description: 'injected from the explorer' } } },
  { label: 'KO PAA_PAGAMENTO_SCONOSCIUTO', spec: { action: { fault: 'PAA_PAGAMENTO_SCONOSCIUTO' } } },
  { label: 'KO without a fault bean (invalid)', spec: { action: 'koWithoutFault' } },
  { label: 'OK with a fault bean (invalid)', spec: { action: 'okWithFault' } },
  { label: 'SOAP Fault (Server)', spec: { action: { soapFault: 'Server', faultString: 'injected from the explorer' } } },
];

const OPERATIONS = ['', 'paVerifyPaymentNotice', 'paGetPayment', 'paGetPaymentV2', 'paSendRT', 'paSendRTV2', 'paDemandPaymentNotice'];

export function mountWorld(
  el: HTMLElement,
  opts: { report: (text: string, bad?: boolean) => void; changed: () => void },
): { refresh: () => Promise<WorldState | undefined> } {
  const stationsBox = h('div', { class: 'world-block' });
  const faultsBox = h('div', { class: 'world-block' });
  const sessionsBox = h('div', { class: 'world-block' });
  const modesBox = h('div', { class: 'world-block' });
  el.append(stationsBox, faultsBox, sessionsBox, modesBox);

  const act = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      opts.report(what);
      opts.changed();
      await refresh();
    } catch (e) {
      opts.report((e as Error).message, true);
    }
  };

  function renderStations(s: WorldState): void {
    clear(stationsBox);
    stationsBox.append(
      h('h3', {}, 'Stations'),
      h(
        'p',
        { class: 'hint' },
        'primitiveVersion picks paGetPayment/paSendRT (1) or their V2 (2); a broadcast association receives every receipt of its EC. In stand-in the Nodo answers verify and activate from ACA (only positions conferred to it, on associations with aca and standIn) and probes the station every 5 minutes; an hour of correct answers ends it.',
      ),
    );
    const table = h(
      'table',
      { class: 'stations', id: 'stations' },
      h('tr', {}, h('th', {}, 'station'), h('th', {}, 'endpoint'), h('th', {}, 'primitiveVersion'), h('th', {}, 'ECs (broadcast)'), h('th', {}, 'stand-in')),
    );
    for (const st of s.stations) {
      const pv = h(
        'select',
        {
          'aria-label': `primitiveVersion of ${st.stationCode}`,
          'data-station': st.stationCode,
          class: 'pv',
          onchange: () =>
            act(`station ${st.stationCode}: primitiveVersion ${pv.value}`, () =>
              sendJson('PATCH', `/_control/explorer/stations/${encodeURIComponent(st.stationCode)}`, { primitiveVersion: Number(pv.value) }),
            ),
        },
        h('option', { value: '1', selected: st.primitiveVersion === 1 }, '1'),
        h('option', { value: '2', selected: st.primitiveVersion === 2 }, '2'),
      );
      const ecs = st.associations.map((a) => {
        const box = h('input', {
          type: 'checkbox',
          checked: a.broadcast,
          'aria-label': `broadcast ${a.fiscalCode} on ${st.stationCode}`,
          'data-broadcast': `${a.fiscalCode}/${st.stationCode}`,
          onchange: () =>
            act(`${a.fiscalCode} → ${st.stationCode}: broadcast ${box.checked}`, () =>
              sendJson('PATCH', '/_control/explorer/associations', { fiscalCode: a.fiscalCode, stationCode: st.stationCode, broadcast: box.checked }),
            ),
        });
        const key = a.auxDigit === 3 ? ` seg ${a.segregationCode}` : a.auxDigit === 0 ? ` app ${a.applicationCode}` : ` aux ${a.auxDigit}`;
        return h('label', { class: 'ec' }, box, ` ${a.fiscalCode}${key}`);
      });
      const code = encodeURIComponent(st.stationCode);
      const standIn = h('input', {
        type: 'checkbox',
        checked: !!st.standIn,
        disabled: st.forceStandIn !== undefined,
        title:
          st.forceStandIn !== undefined
            ? 'forced by the registry (forceStandIn)'
            : st.standIn
              ? `in stand-in since ${st.standIn.since ?? '?'} (${st.standIn.by})`
              : 'not in stand-in',
        'aria-label': `stand-in ${st.stationCode}`,
        'data-standin': st.stationCode,
        onchange: () =>
          act(`station ${st.stationCode}: stand-in ${standIn.checked ? 'on' : 'off'}`, () =>
            sendJson(standIn.checked ? 'POST' : 'DELETE', `/_control/nodo/standin/stations/${code}`, {}),
          ),
      });
      const confers = st.endpoint === 'reference' && st.associations.some((a) => a.aca) && s.referenceStations.includes(st.stationCode);
      const confer = confers
        ? h(
            'button',
            {
              type: 'button',
              class: 'small',
              'data-confer': st.stationCode,
              onclick: () =>
                act(`station ${st.stationCode}: payable positions conferred to ACA`, () => sendJson('POST', `/_control/explorer/stations/${code}/confer`, {})),
            },
            'confer to ACA',
          )
        : null;
      table.append(
        h(
          'tr',
          { class: st.enabled ? '' : 'disabled' },
          h('td', {}, st.stationCode),
          h('td', {}, st.endpoint),
          h('td', {}, pv),
          h('td', {}, ...ecs),
          h('td', {}, h('label', {}, standIn, st.flagStandIn ? ' (flagStandIn)' : ''), ' ', confer),
        ),
      );
    }
    stationsBox.append(table);
  }

  function renderFaults(s: WorldState): void {
    // Keep what the user picked across refreshes.
    const kept = ['fault-station', 'fault-operation', 'fault-kind', 'fault-times'].map(
      (id) => [id, (document.getElementById(id) as HTMLInputElement | null)?.value] as const,
    );
    clear(faultsBox);
    const station = h('select', { id: 'fault-station', 'aria-label': 'station' }, ...s.referenceStations.map((id) => h('option', { value: id }, id)));
    const operation = h(
      'select',
      { id: 'fault-operation', 'aria-label': 'operation' },
      ...OPERATIONS.map((o) => h('option', { value: o }, o || 'any operation')),
    );
    const fault = h('select', { id: 'fault-kind', 'aria-label': 'fault' }, ...FAULTS.map((f, i) => h('option', { value: String(i) }, f.label)));
    const times = h('input', { id: 'fault-times', type: 'number', min: '1', placeholder: 'always', 'aria-label': 'times', class: 'times' });
    const add = () =>
      act('fault injected', () =>
        sendJson('POST', '/_control/stations/injections', {
          station: station.value,
          ...(operation.value ? { operation: operation.value } : {}),
          ...(times.value ? { times: Number(times.value) } : {}),
          ...FAULTS[Number(fault.value)]!.spec,
        }),
      );
    faultsBox.append(
      h('h3', {}, 'Station faults'),
      h('div', { class: 'fault-form' }, station, operation, fault, times, h('button', { type: 'button', id: 'fault-add', onclick: add }, 'Inject')),
      s.injections.length
        ? h(
            'ul',
            { class: 'injections', id: 'injections' },
            ...s.injections.map((i) =>
              h(
                'li',
                {},
                `${i.id}: ${i.station ?? 'any station'} ${i.operation ?? 'any operation'} → ${i.action.kind}${i.action.faultCode ? ` ${i.action.faultCode}` : ''}${i.delayMs ? ` after ${i.delayMs} ms` : ''}${i.times !== undefined ? `, ${i.times} more time(s)` : ', always'} `,
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'small',
                    onclick: () => act(`injection ${i.id} removed`, () => sendJson('DELETE', `/_control/stations/injections/${encodeURIComponent(i.id)}`)),
                  },
                  'remove',
                ),
              ),
            ),
          )
        : h('p', { class: 'hint' }, 'No fault injected: the reference stations answer correctly.'),
    );
    for (const [id, v] of kept) {
      const el = document.getElementById(id) as HTMLInputElement | null;
      if (el && v !== undefined) el.value = v;
    }
  }

  function renderSessions(s: WorldState): void {
    clear(sessionsBox);
    sessionsBox.append(h('h3', {}, 'Payment sessions (Nodo)'));
    if (!s.sessions.length) return void sessionsBox.append(h('p', { class: 'hint' }, 'None: activate a notice.'));
    sessionsBox.append(
      h(
        'table',
        { class: 'sessions' },
        h('tr', {}, h('th', {}, 'notice'), h('th', {}, 'state'), h('th', {}, 'expires'), h('th', {}, 'paymentToken')),
        ...s.sessions.map((x) =>
          h(
            'tr',
            {},
            h('td', {}, `${x.fiscalCode} ${x.noticeNumber}`),
            h('td', {}, x.state),
            h('td', {}, x.expiresAt.slice(0, 19)),
            h('td', { class: 'mono' }, x.paymentToken),
          ),
        ),
      ),
    );
  }

  function renderModes(s: WorldState): void {
    clear(modesBox);
    const key = encodeURIComponent(s.subscriptionKey);
    modesBox.append(
      h('h3', {}, 'Stand-in, ACA, GPD receipts'),
      h(
        'p',
        { class: 'hint' },
        `Synchronous ECs confer their positions with POST /aca/v1/paCreatePosition (subscription key ${s.subscriptionKey}); asynchronous ECs read their receipts with GET /gpd/payments/<fiscalCode>/receipts.`,
      ),
      s.standInEvents.length || s.standInProbes.length
        ? h(
            'ul',
            { class: 'standin-events', id: 'standin-events' },
            ...s.standInEvents.map((e) => h('li', {}, `${e.at.slice(0, 19)} ${e.station} ${e.type} (${e.by}): ${e.reason}`)),
            ...s.standInProbes
              .slice(-3)
              .map((p) => h('li', {}, `${p.at.slice(0, 19)} probe of ${p.station}: ${p.positive ? 'positive' : 'negative'} (${p.detail})`)),
          )
        : h('p', { class: 'hint' }, 'No station has been in stand-in.'),
      s.aca.length
        ? h(
            'table',
            { class: 'sessions', id: 'aca-positions' },
            h('tr', {}, h('th', {}, 'ACA position'), h('th', {}, 'amount'), h('th', {}, 'status'), h('th', {}, 'payStandIn')),
            ...s.aca.map((p) =>
              h(
                'tr',
                {},
                h('td', {}, `${p.fiscalCode} ${p.noticeNumber}`),
                h('td', {}, (p.amount / 100).toFixed(2)),
                h('td', {}, p.status),
                h('td', {}, String(p.payStandIn)),
              ),
            ),
          )
        : h('p', { class: 'hint' }, "No position in ACA: confer a station's positions (button above) or POST paCreatePosition."),
      s.gpdReceipts.length
        ? h(
            'table',
            { class: 'sessions', id: 'gpd-receipts' },
            h('tr', {}, h('th', {}, 'GPD receipt'), h('th', {}, 'debtor'), h('th', {}, 'paid')),
            ...s.gpdReceipts.map((r) => {
              const path = `/gpd/payments/${encodeURIComponent(r.organizationFiscalCode)}/receipts/${encodeURIComponent(r.iuv)}?subscription-key=${key}`;
              return h(
                'tr',
                {},
                h('td', {}, h('a', { href: path, target: '_blank' }, `${r.organizationFiscalCode} ${r.iuv}`)),
                h('td', {}, r.debtor),
                h('td', {}, r.paymentDateTime),
              );
            }),
          )
        : h('p', { class: 'hint' }, 'No receipt in GPD yet: pay a notice held by GPD.'),
    );
  }

  async function refresh(): Promise<WorldState | undefined> {
    try {
      const s = await getJson<WorldState>('/_control/explorer/state');
      renderStations(s);
      renderFaults(s);
      renderSessions(s);
      renderModes(s);
      return s;
    } catch (e) {
      opts.report(`Failed to read the world's state: ${(e as Error).message}`, true);
      return undefined;
    }
  }
  return { refresh };
}
