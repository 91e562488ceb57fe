/**
 * The direction of dependencies in src/ (issue 17 item 1), checked by `npm run lint` (dependency-cruiser):
 *
 *   cli -> serve -> explorer, report -> scenario -> world -> aca, profile -> gpd, send -> nodo, station
 *       -> rest -> soap, control -> xml
 *
 * with the shared files at the root of src/ where they sit in it. A part imports only parts below it
 * (never one beside it: nodo and station do not know each other, nor gpd and send), another part only
 * through its door (its index.ts), the reports only the types of the scenario engine (what a run
 * produced, not how), and no file imports itself back through others at run time.
 */
const LAYERS = [
  { name: 'base', parts: ['^src/(paths|errors|clock|location|packageInfo)\\.ts$'] },
  { name: 'xml', parts: ['^src/xml/'] },
  { name: 'shared', parts: ['^src/(fileText|yamlSource|scheduler)\\.ts$'] },
  { name: 'soap', parts: ['^src/soap/', '^src/control/', '^src/controlIndex\\.ts$'] },
  { name: 'rest', parts: ['^src/rest/'] },
  { name: 'parties', parts: ['^src/nodo/', '^src/station/'] },
  { name: 'emulators', parts: ['^src/gpd/', '^src/send/'] },
  { name: 'aca-profile', parts: ['^src/aca/', '^src/profile/'] },
  { name: 'world', parts: ['^src/world\\.ts$'] },
  { name: 'scenario', parts: ['^src/scenario/'] },
  { name: 'report-explorer', parts: ['^src/report/', '^src/explorer/'] },
  { name: 'serve', parts: ['^src/serve/'] },
  { name: 'cli', parts: ['^src/cli/'] },
  { name: 'api', parts: ['^src/index\\.ts$'] },
];

/** `^src/nodo/` → `nodo`, `^src/world\\.ts$` → `world`. */
const partName = (re) =>
  re
    .replace(/^\^src\//, '')
    .replace(/\\\.ts\$$/, '')
    .replace(/\/$/, '');

const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flatMap((l) => l.parts);
  const upward =
    above.length === 0
      ? []
      : [
          {
            name: `upward-from-${layer.name}`,
            comment: `${layer.parts.map(partName).join(', ')} may import only what is below it (see the top of this file)`,
            severity: 'error',
            from: { path: layer.parts },
            to: { path: above },
          },
        ];
  const sideways =
    layer.parts.length < 2
      ? []
      : layer.parts.map((part) => ({
          name: `sideways-from-${partName(part)}`,
          comment: `${partName(part)} may not import the other parts of its layer (${layer.parts.map(partName).join(', ')})`,
          severity: 'error',
          from: { path: part },
          to: { path: layer.parts.filter((p) => p !== part) },
        }));
  return [...upward, ...sideways];
});

/** The parts with a door: a file outside src/<part>/ imports it only through src/<part>/index.ts. */
const PARTS = ['xml', 'soap', 'rest', 'control', 'nodo', 'station', 'gpd', 'send', 'aca', 'profile', 'scenario', 'report', 'explorer', 'serve'];
const doorRules = PARTS.map((part) => ({
  name: `door-${part}`,
  comment: `other parts import src/${part}/ through its door, src/${part}/index.ts`,
  severity: 'error',
  from: { path: '^src/', pathNot: `^src/${part}/` },
  to: { path: `^src/${part}/`, pathNot: `^src/${part}/index\\.ts$` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'a cycle of files, type-only imports included (a control API takes the narrow interface it needs, declared beside it)',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'report-reads-results-not-the-engine',
      comment: 'the reports read what a run produced (types of src/scenario), never run its code',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: '^src/scenario/', dependencyTypesNot: ['type-only'] },
    },
    ...layerRules,
    ...doorRules,
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to no file',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    // the explorer's browser client is bundled on its own (src/explorer/bundle.ts)
    exclude: { path: '^src/explorer/client/' },
  },
};
