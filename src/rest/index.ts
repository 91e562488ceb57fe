/** What the REST emulators (GPD, SEND, ACA) share: problem+json bodies, JSON-schema checks of bodies, the journal of REST calls, injected failures. */
export type { HttpInjection } from './httpInjection.ts';
export { HttpInjections, mountHttpInjections } from './httpInjection.ts';
export { compileSchema, jsonBody, ok, type Outcome, problem, problemErrorHandler, sendProblem, validateBody } from './problem.ts';
export { annotate, restRecorder, type RestRecorder } from './restJournal.ts';
