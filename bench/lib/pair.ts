/** A mock Nodo process in front of a reference station process, as users run them (`nodo` + `station`). */
import { registryFor } from './fixtures.ts';
import { STATION } from './messages.ts';
import { startHarness, stationUrl, type Proc, type ProcOptions } from './procs.ts';

export interface Pair {
  nodo: Proc;
  station: Proc;
  nodoUrl: string;
  stop(): Promise<void>;
}

export async function startPair(positionsFile: string, o: { nodo?: ProcOptions; station?: ProcOptions } = {}): Promise<Pair> {
  const station = await startHarness(['station', '--positions', positionsFile, '--port', '0'], /control API\s+http/, o.station);
  const registry = registryFor(stationUrl(station, STATION));
  const nodo = await startHarness(['nodo', '--registry', registry, '--port', '0'], /^(http:\/\/\S+\/nodo)$/m, o.nodo).catch(async (e) => {
    await station.stop();
    throw e;
  });
  return { nodo, station, nodoUrl: nodo.match[1]!, stop: async () => void (await Promise.all([nodo.stop(), station.stop()])) };
}
