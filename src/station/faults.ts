/**
 * PAA_* catalogue of the reference station (docs/primitives.md §8.2) and the builders of
 * paForNode response bodies (OK content or KO with a fault bean).
 */
import type { BuildObject } from '../xml/index.ts';
import { paaKoBody, paForNodeResponse, type PaaFault } from '../soap/index.ts';
import type { OperationDef } from '../soap/index.ts';
import type { Issue } from '../xml/index.ts';

/** An applicative error of the station: becomes outcome KO with this fault bean. */
export type StationFault = PaaFault;

export const paaFault = (faultCode: string, description: string): StationFault => ({ faultCode, description });

/** Wraps the content of a response in its namespaced root element. */
export const responseBody = (op: OperationDef, content: BuildObject): BuildObject => paForNodeResponse(op.response, content);

/** outcome KO with a fault bean whose `id` is the EC fiscal code (docs/primitives.md §8.1). */
export const koBody = (op: OperationDef, fault: StationFault, id: string): BuildObject => paaKoBody(op.response, fault, id);

/** PAA_SINTASSI_EXTRAXSD with the schema issues (path, line, col) in the description. */
export function syntaxFault(issues: readonly Issue[]): StationFault {
  const list = issues.map((i) => `${i.path || '/'} (line ${i.line}:${i.col}): ${i.message}`).join('; ');
  return paaFault('PAA_SINTASSI_EXTRAXSD', `Failed to accept the request: it is not valid against paForNode.xsd: ${list}. Fix the message and send it again.`);
}
