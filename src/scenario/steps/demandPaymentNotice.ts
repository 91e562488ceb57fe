/**
 * Steps `demandPaymentNotice:` (a spontaneous payment: the PSP names a catalogue provider and sends
 * the service's data, XML text in `data:`, base64-encoded by the step) and
 * `nodoChiediCatalogoServiziV2:` (the service catalogue; the response's xmlCatalogoServizi is
 * decoded into `catalogue.services[].providers[]` for expectations). docs/primitives.md §5.8, §6.6.
 */
import { pspLabel, runPspCall } from '../pspCall.ts';
import type { StepKind } from '../step.ts';

const demand: StepKind = {
  kind: 'demandPaymentNotice',
  describe:
    "PSP demandPaymentNotice to the mock Nodo: idSoggettoServizio (default: the catalogue's first provider) and data (datiSpecificiServizio as XML text); the new notice is in qrCode",
  acceptsExpect: true,
  label: (p) => {
    const q = (p ?? {}) as { idSoggettoServizio?: string };
    return q.idSoggettoServizio ? `demandPaymentNotice ${q.idSoggettoServizio}` : pspLabel('demandPaymentNotice', p);
  },
  run: (p, ctx) => runPspCall('demandPaymentNotice', p, ctx),
};

const catalogue: StepKind = {
  kind: 'nodoChiediCatalogoServiziV2',
  describe:
    'PSP nodoChiediCatalogoServiziV2 to the mock Nodo (filters identificativoDominio, categoria, commissione); the decoded catalogue is in catalogue.services[].providers[]',
  acceptsExpect: true,
  label: (p) => pspLabel('nodoChiediCatalogoServiziV2', p),
  run: (p, ctx) => runPspCall('nodoChiediCatalogoServiziV2', p, ctx),
};

export default [demand, catalogue];
