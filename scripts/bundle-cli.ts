/**
 * Bundles the built CLI (`dist/cli/main.js`, written by tsc) into one file at the same path, the bin of the
 * package. Node then reads and compiles one file instead of resolving and loading some three hundred (Express alone
 * is about a hundred small CommonJS modules): measured on the 2-core machine, spawn to first answer of
 * `accuauth-kit mock` went from ~220-300 ms to ~170-220 ms (`npm run bench` measures it every run). Minifying was
 * measured too and was slower to start (V8 parses a minified file no faster, and eager-compiles more of it).
 *
 * The bundle is written at the same path as tsc's output so that relative lookups keep working: the spec is found
 * by walking up from the module's directory (src/spec/spec-document.ts) and pino is required from there. It is split
 * (`splitting`): every dynamic import (each command but the one run, the drift suite, the config validator and its
 * YAML parser, the cassettes, the Redis state) is a chunk in dist/cli/chunks/ read only when used, so that
 * `accuauth-kit mock` parses about half of the 3.2 MB a single file held (a CI job pays for that on every start).
 * The library entries (`accuauth-kit`, `accuauth-kit/mock`, `accuauth-kit/msw`) stay unbundled tsc output.
 *
 * Usage: `npm run build` runs it after tsc.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const entry = new URL('../dist/cli/main.js', import.meta.url).pathname;
// Chunks are named by their content's hash: a rebuild must not leave the previous build's beside them.
rmSync(join(dirname(entry), 'chunks'), { recursive: true, force: true });

await build({
  entryPoints: [entry],
  outdir: dirname(entry),
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
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
  // The CommonJS packages inside the ES module bundle call require() for Node's built-ins (every chunk gets it).
  banner: {
    js: "import { createRequire as bundleCreateRequire } from 'node:module'; const require = bundleCreateRequire(import.meta.url);",
  },
});
