/**
 * A validation finding. Issues are returned, never thrown: an empty array means valid.
 * `path` is an XPath-like location, `line`/`col` are 1-based and relative to the whole
 * message as received (the SOAP envelope when there is one).
 */
export type Severity = 'error' | 'warning';

export interface Issue {
  /** Stable code, e.g. XSD_INVALID, XML_MALFORMED, XML_DTD_FORBIDDEN, SOAP_VERSION_MISMATCH. */
  code: string;
  severity: Severity;
  message: string;
  path: string;
  line: number;
  col: number;
  /** Which message the issue is about, e.g. `paGetPaymentV2Response`. */
  source?: string;
}

export function issue(code: string, message: string, at: Partial<Pick<Issue, 'path' | 'line' | 'col' | 'source' | 'severity'>> = {}): Issue {
  return {
    code,
    severity: at.severity ?? 'error',
    message,
    path: at.path ?? '',
    line: at.line ?? 0,
    col: at.col ?? 0,
    ...(at.source ? { source: at.source } : {}),
  };
}

/** `line:col path message`, the one-line form used by the CLI and reports. */
export function formatIssue(i: Issue): string {
  const where = i.line ? `${i.line}:${i.col}` : '-';
  return `${where} ${i.path || '/'} ${i.message}`;
}

/** Whether any of the issues is an error (warnings do not stop a load or make a message invalid). */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
