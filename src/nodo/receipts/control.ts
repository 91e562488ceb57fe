/**
 * JSON control API of receipt delivery, a thin layer over the programmatic object:
 *   GET /_control/nodo/receipts                         every receipt (per payment)
 *   GET /_control/nodo/receipts/payments/:paymentToken  one payment: every recipient
 *   GET /_control/nodo/receipts/stations/:idStation     every receipt sent to a station
 * Paths are absolute so the router can be mounted at the app root or in the Nodo's router.
 */
import express, { type Router } from 'express';
import { requireControlGuard } from '../../control/index.ts';
import type { ReceiptRecord, StationReceipt } from './delivery.ts';

export const RECEIPTS_CONTROL_PATH = '/_control/nodo/receipts';

export interface ReceiptQueries {
  all(): ReceiptRecord[];
  receipt(paymentToken: string): ReceiptRecord | undefined;
  receiptsForStation(idStation: string): StationReceipt[];
}

export function receiptsRouter(q: ReceiptQueries): Router {
  const router = express.Router();
  router.use(RECEIPTS_CONTROL_PATH, requireControlGuard);
  router.get(RECEIPTS_CONTROL_PATH, (_req, res) => {
    res.json({ receipts: q.all() });
  });
  router.get(`${RECEIPTS_CONTROL_PATH}/payments/:paymentToken`, (req, res) => {
    const r = q.receipt(req.params.paymentToken);
    if (!r) {
      res.status(404).json({
        error: `Failed to find the receipt of payment ${req.params.paymentToken}: no OK outcome was delivered for this paymentToken. Check the token in GET ${RECEIPTS_CONTROL_PATH}.`,
      });
      return;
    }
    res.json(r);
  });
  router.get(`${RECEIPTS_CONTROL_PATH}/stations/:idStation`, (req, res) => {
    res.json({ idStation: req.params.idStation, receipts: q.receiptsForStation(req.params.idStation) });
  });
  return router;
}
