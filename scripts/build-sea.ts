/**
 * Builds `accuauth-kit mock` as one standalone executable with Node's single executable applications (SEA), for CI
 * images without Node: `npm run build:sea` writes `dist/sea/accuauth-kit` (`.exe` on Windows). It is the `node` that
 * runs this script with the CLI inside: run it on the platform and Node line the executable is for.
 *
 * The stages, as Node's SEA documentation lays them out:
 * 1. bundle cli/standalone-main.ts and everything it loads, lazily loaded modules included (the config
 *    validator, cassettes, ioredis for `--state`, pino), into one CommonJS file: a SEA runs one CommonJS script
 *    whose `require` knows only Node's built-ins. The config schema is imported as JSON and inlined by esbuild;
 * 2. the package files the mock reads at run time (the spec's JSON, package.json, the dashboard's page) become SEA
 *    assets under their paths from the package root; standalone-main.ts hands `sea.getAsset` to the readers;
 * 3. `node --experimental-sea-config` writes the preparation blob (with a V8 code cache, so it starts fast);
 * 4. a copy of this `node` receives the blob through postject (macOS: signature removed before, ad-hoc signed after).
 *
 * A platform that cannot build one (a Node without SEA assets, a `node` built without the SEA fuse, postject not
 * installed) gets `{ ok: false, reason }`, which the test prints when it skips.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { DASHBOARD_PAGE_FOLDER, FILE_NAMES } from '../mock/admin/dashboard/dashboard-files.js';
import { SPEC_JSON_FILE } from '../src/spec/spec-document.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const ENTRY = join(root, 'cli', 'standalone-main.ts');
/** The fuse Node's SEA loader looks for, from Node's documentation (the same in every Node line that has SEA). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** The package files read at run time, by their path from the package root (the keys the readers ask for). */
const EMBEDDED_FILES = [
  SPEC_JSON_FILE,
  'package.json',
  ...Object.values(FILE_NAMES).map((file) => `${DASHBOARD_PAGE_FOLDER}/${file}`),
];

export type SeaBuild = { ok: true; executable: string } | { ok: false; reason: string };

type Inject = typeof import('postject').inject;

/** Builds the executable into `outDir` (created if missing), or says why this platform cannot. */
export async function buildStandaloneExecutable(outDir: string): Promise<SeaBuild> {
  const support = await seaBuildSupport();
  if (!support.ok) return support;
  mkdirSync(outDir, { recursive: true });
  const bundle = join(outDir, 'accuauth-kit.cjs');
  const blob = join(outDir, 'accuauth-kit.blob');
  const executable = join(outDir, process.platform === 'win32' ? 'accuauth-kit.exe' : 'accuauth-kit');

  await bundleForSea(bundle);
  const seaConfig = join(outDir, 'sea-config.json');
  const config = {
    main: bundle,
    output: blob,
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
    assets: Object.fromEntries(EMBEDDED_FILES.map((file) => [file, join(root, file)])),
  };
  writeFileSync(seaConfig, `${JSON.stringify(config, null, 2)}\n`);
  // Its one line ("Wrote single executable preparation blob") is noise; a failure throws with what it wrote.
  execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: 'pipe' });

  copyFileSync(process.execPath, executable);
  chmodSync(executable, 0o755);
  if (process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', executable]);
  await quietly(() =>
    support.inject(executable, 'NODE_SEA_BLOB', readFileSync(blob), {
      sentinelFuse: SEA_FUSE,
      ...(process.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
    }),
  );
  if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', executable]);
  return { ok: true, executable };
}

/**
 * postject's ELF parser (LIEF, in WebAssembly) warns "Can't find string offset for section name '.note.100'" for
 * an official Linux `node` (nine lines; the injected executable runs fine, and the test runs it); it prints through
 * console.warn, bound when each `inject` starts. A failure still rejects with postject's own message.
 */
async function quietly(run: () => Promise<void>): Promise<void> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    await run();
  } finally {
    console.warn = warn;
  }
}

/** Whether this Node, its binary and the installed packages can build the executable; the reason when not. */
export async function seaBuildSupport(): Promise<{ ok: true; inject: Inject } | { ok: false; reason: string }> {
  const sea = await import('node:sea').catch(() => undefined);
  // Assets (and node:sea itself) came in Node 20.12 and 21.7.
  if (typeof sea?.getAsset !== 'function') {
    return { ok: false, reason: `Node ${process.version} has no SEA assets (node:sea getAsset); use Node 20.12+` };
  }
  // A `node` built without the fuse (some distributions' packages) cannot become a SEA. 100 MB read once; the
  // fuse sits in the binary's data as plain text.
  if (!readFileSync(process.execPath).includes(`${SEA_FUSE}:0`)) {
    return { ok: false, reason: `${process.execPath} was built without the SEA fuse; use an official Node build` };
  }
  // A devDependency, loaded here so that a checkout without it still lints, builds and skips the test with a reason.
  const postject = await import('postject').catch(() => undefined);
  if (postject) return { ok: true, inject: postject.inject };
  return {
    ok: false,
    reason: 'postject is not installed (it is a devDependency: npm install --save-dev --save-exact postject)',
  };
}

/**
 * `import.meta.url` has no meaning in the CommonJS bundle; it becomes the executable's own file URL, so a lookup
 * that still walks up from it (only for a file that is not embedded) fails with its usual "cannot find" message.
 * request-log.ts's `createRequire` gets scripts/sea/bundled-require.ts, whose `require` is the bundle's.
 */
async function bundleForSea(outfile: string): Promise<void> {
  const result = await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.12',
    logLevel: 'warning',
    metafile: true,
    define: { 'import.meta.url': 'seaExecutableUrl' },
    banner: { js: 'const seaExecutableUrl = require("node:url").pathToFileURL(process.execPath).href;' },
    plugins: [pinoFromBundle],
  });
  // Anything the bundle would still load from disk at run time (a package left external, a dynamic import) has
  // nothing to load from inside the executable: refuse to build rather than ship a mock that fails on first use.
  const loadedAtRunTime = Object.values(result.metafile.outputs).flatMap((output) =>
    output.imports.filter((entry) => entry.external && !isBuiltin(entry.path)).map((entry) => entry.path),
  );
  if (loadedAtRunTime.length > 0) {
    throw new Error(`the SEA bundle would load ${loadedAtRunTime.join(', ')} from disk at run time`);
  }
}

const pinoFromBundle: Plugin = {
  name: 'pino-from-bundle',
  setup(build) {
    build.onResolve({ filter: /^node:module$/ }, (args) =>
      args.importer.endsWith(join('mock', 'express', 'request-log.ts'))
        ? { path: join(root, 'scripts', 'sea', 'bundled-require.ts') }
        : undefined,
    );
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = join(root, 'dist', 'sea');
  const built = await buildStandaloneExecutable(outDir);
  if (!built.ok) {
    process.stderr.write(`build:sea: cannot build the standalone executable here: ${built.reason}\n`);
    process.exitCode = 1;
  } else {
    const megabytes = (statSync(built.executable).size / 1e6).toFixed(0);
    process.stdout.write(`build:sea: wrote ${built.executable} (${megabytes} MB; \`${built.executable} mock\`)\n`);
  }
}
