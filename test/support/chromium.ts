/** Test support: the flags every browser test starts Debian's chromium with (no sandbox, GPU, QUIC, first-run page or background traffic). */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
