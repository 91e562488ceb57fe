/** What the REST emulators (GPD, SEND, ACA) share: problem+json bodies, JSON-schema checks of bodies, the journal of REST calls, injected failures. */
export type { HttpInjection } from './httpInjection.ts';
