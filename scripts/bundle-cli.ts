/**
 * Bundles the built CLI (`dist/cli/main.js`, written by tsc) into one file at the same path, the bin of the
 * package. Node then reads and compiles one file instead of resolving and loading some three hundred (Express alone
 * is about a hundred small CommonJS modules): measured on the 2-core machine, spawn to first answer of
 * `accuauth-kit mock` went from ~220-300 ms to ~170-220 ms (`npm run bench` measures it every run). Minifying was
 * measured too and was slower to start (V8 parses a minified file no faster, and eager-compiles more of it).
 *
 * The bundle is written at the same path as tsc's output so that relative lookups keep working: the spec is found
 * by walking up from the module's directory (src/spec/spec-document.ts) and pino is required from there. The lazy
 * imports (the drift suite, the config validator) are bundled too; esbuild keeps them lazy (evaluated on first use).
 * The library entries (`accuauth-kit`, `accuauth-kit/mock`, `accuauth-kit/msw`) stay unbundled tsc output.
 *
 * Usage: `npm run build` runs it after tsc.
 */
import { build } from 'esbuild';

const entry = new URL('../dist/cli/main.js', import.meta.url).pathname;

await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  sourcemap: 'linked',
  logLevel: 'warning',
  // The Redis client is loaded only for `--state` (a dynamic import); left out of the bundle, a mock without it
  // does not even parse it. It is a dependency, so Node finds it in node_modules.
  external: ['ioredis'],
  // The CommonJS packages inside the ES module bundle call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as bundleCreateRequire } from 'node:module'; const require = bundleCreateRequire(import.meta.url);",
  },
});
