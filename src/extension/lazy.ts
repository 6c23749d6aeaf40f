import { existsSync } from 'node:fs';
import { join } from 'node:path';

type Engine = typeof import('./engine');
let loaded: Engine | undefined;

/**
 * Loads the engine on first use. In the packaged extension it is dist/engine.js beside this
 * bundle; the computed path keeps esbuild from inlining it into the activation bundle.
 */
export function engine(): Engine {
  if (!loaded) {
    const bundled = join(__dirname, 'engine.js');
    // Both paths are computed so that esbuild leaves them to run time instead of inlining the engine.
    loaded = require(existsSync(bundled) ? bundled : join(__dirname, 'engine')) as Engine;
  }
  return loaded;
}
