/**
 * Programmatic API of pagopa-station-harness: the parts (mock Nodo, reference stations,
 * GPD/SEND emulators), a whole world on one port, the scenario engine and the reports.
 */
export { createNodo, type Nodo, type CreateNodoOptions, type NodoOptionsInput } from './nodo/index.ts';
export { loadRegistry, normalizeRegistry, registrySchema, type Registry } from './nodo/index.ts';
export { createReferenceStations, type ReferenceStations, type ReferenceStationsOptions } from './station/index.ts';
export { createGpd, type Gpd } from './gpd/index.ts';
export { createSend, type Send } from './send/index.ts';
export { createWorld, referenceStationDefs, type World, type WorldOptions } from './world.ts';
export { loadScenarios, loadScenarioFile, formatLoadIssue } from './scenario/index.ts';
export { scenarioJsonSchema } from './scenario/index.ts';
export { runScenarios, shard, type RunOptions, type RunSummary } from './scenario/index.ts';
export { RunEmitter, type RunEvents, type RunListener, type CaseInfo, type CaseEnd } from './scenario/index.ts';
export type { Scenario, Step } from './scenario/index.ts';
export type { Check, Mismatch } from './scenario/index.ts';
export type { StepKind, StepContext, StepResult } from './scenario/index.ts';
export { createRecorder, writeReports, REPORTERS, type RunResult, type CaseResult, type ReporterName } from './report/index.ts';
export { ManualClock, RealClock, type Clock } from './clock.ts';
export { Journal, type Exchange } from './soap/index.ts';
