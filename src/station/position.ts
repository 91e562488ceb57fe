/**
 * A debt position: what a station serves for one notice (its EC, its notice number and IUV,
 * its state, amounts in integer eurocents, transfers, debtor), and the key that identifies it.
 */

export type PositionState = 'payable' | 'paid' | 'expired' | 'cancelled' | 'notYetPayable';
export const POSITION_STATES: readonly PositionState[] = ['payable', 'paid', 'expired', 'cancelled', 'notYetPayable'];

export interface Subject {
  type: 'F' | 'G';
  id: string;
  fullName: string;
  streetName?: string;
  civicNumber?: string;
  postalCode?: string;
  city?: string;
  stateProvinceRegion?: string;
  country?: string;
  email?: string;
}

export interface Stamp {
  hashDocumento: string;
  tipoBollo: string;
  provinciaResidenza: string;
}

export type Metadata = Array<{ key: string; value: string }>;

export interface Transfer {
  /** Beneficiary EC (defaults to the position's EC). */
  fiscalCode: string;
  companyName?: string;
  amountCents: number;
  /** Bank IBAN. */
  iban?: string;
  /** Postal IBAN (a transfer with one can be credited to a postal account: allCCP). */
  postalIban?: string;
  /** Digital stamp request (V2 only) instead of an IBAN. */
  stamp?: Stamp;
  remittanceInformation: string;
  category: string;
  metadata: Metadata;
}

export interface Position {
  fiscalCode: string;
  noticeNumber: string;
  iuv: string;
  /** Only this station holds it (default: every station serving the EC). */
  station?: string;
  state: PositionState;
  description: string;
  detailDescription?: string;
  companyName: string;
  officeName?: string;
  dueDate: string;
  retentionDate?: string;
  lastPayment?: boolean;
  debtor: Subject;
  transfers: Transfer[];
  metadata: Metadata;
  /** Linked to SEND in SYNC mode: verify/getPayment ask the SEND price API and add totalPrice. */
  send: boolean;
}

/** The key of a position in the station's tables: the EC's fiscal code and the notice number. */
export const positionKey = (fiscalCode: string, noticeNumber: string): string => `${fiscalCode}/${noticeNumber}`;
