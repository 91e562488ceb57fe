/**
 * Station profiles (`station.yaml`): the station under test and its test data by role.
 * The one door of src/profile: load and check a profile, derive the mock Nodo's registry
 * from it, and the template `station-harness init` writes.
 */
export * from './model.ts';
export { loadProfile, parseProfile, normalizeProfile, formatProfileIssue, routeMatches, generateUnknown, type ProfileResult } from './load.ts';
export { profileRegistry, HARNESS_PSP, type DeriveOptions, type DerivedRegistry } from './registry.ts';
export { profileSchema } from './schema.ts';
export { PROFILE_TEMPLATE } from './template.ts';
