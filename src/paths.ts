import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The project root (where package.json, wsdl/ and xsd/ live), independent of the cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const XSD_DIR = join(PROJECT_ROOT, 'xsd');
export const WSDL_DIR = join(PROJECT_ROOT, 'wsdl');
export const SCENARIOS_DIR = join(PROJECT_ROOT, 'scenarios');
/**
 * The extension of the harness's own modules as they run: `.ts` from the sources (tsx), `.js`
 * from the compiled build in dist/ (`npm run build`). Folders discovered at run time (commands,
 * step kinds) list the files with it.
 */
export const MODULE_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
