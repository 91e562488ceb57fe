/** The door of src/scenario/: what other parts import from it. */
export { type CaseEnd, type CaseInfo, type CaseState, RunEmitter, type RunEvents, type RunListener, type StepSummary } from './events.ts';
export type { Check, Mismatch } from './expect.ts';
export type { Finding } from './findings.ts';
export { formatLoadIssue, loadScenarioFile, loadScenarios } from './load.ts';
export type { Scenario, Step } from './model.ts';
export { type RunOptions, runScenarios, type RunSummary, shard } from './run.ts';
export { scenarioJsonSchema } from './scenarioSchema.ts';
export { startSendGateway } from './sendGateway.ts';
export { consumedNotices, planStationRun, type StationRunPlan } from './stationPlan.ts';
export type { StepContext, StepKind, StepResult } from './step.ts';
