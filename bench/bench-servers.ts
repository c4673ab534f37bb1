import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { credentialHeaders } from '../src/spec/credential-headers.js';
import { imageConstraints } from '../src/spec/image-constraints.js';
import { namedExamples } from '../src/spec/named-examples.js';
import { findSpecPath, PREDICT_GENDER_PATH } from '../src/spec/spec-document.js';
import type { FloorFacts } from './floor-app-server.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

/** Every server the benchmark can run; a new one is added here and in the report's SERVERS. */
export type ServerName =
  | 'mock'
  | 'mock-dashboard'
  | 'floor'
  | 'express-multer'
  | 'prism'
  | 'mockoon'
  | 'mountebank'
  | 'bare'
  | 'mock-npm-start';

export interface BenchServer {
  name: ServerName;
  /** How it is started, for the report. */
  command: string;
  start(extraNodeFlags?: readonly string[]): Promise<ServerProcess>;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;

/** The built mock CLI, as `npm start` runs it (dist/, no tsx on the path). */
export const mockCli = `${root}dist/cli/main.js`;

export function mockServer(configFile?: string): BenchServer {
  const config = configFile === undefined ? [] : ['--config', configFile];
  return {
    name: 'mock',
    command: 'node dist/cli/main.js mock --host 127.0.0.1 --port PORT',
    start: (extraNodeFlags = []) =>
      startServerProcess({
        command: node,
        args: [...extraNodeFlags, mockCli, 'mock', '--host', '127.0.0.1', '--port', '{port}', ...config],
        cwd: root,
        probePath: PREDICT_GENDER_PATH,
      }),
  };
}

/**
 * The same mock with a dashboard page open for the whole run: a client reading `GET /__admin/events`, the stream
 * the page listens to, so every journal entry is also sent as an event (an open page must cost the request
 * path nothing measurable; the report's mock / mock-dashboard ratio says whether it does).
 */
export function mockWithDashboardServer(): BenchServer {
  const plain = mockServer();
  return {
    name: 'mock-dashboard',
    command: `${plain.command}, with GET /__admin/events held open as the dashboard does`,
    async start(extraNodeFlags = []) {
      const proc = await plain.start(extraNodeFlags);
      const page = new AbortController();
      const listening = fetch(`${proc.url}/__admin/events`, { signal: page.signal })
        .then(async (response) => {
          const reader = response.body?.getReader();
          // Read and dropped, as a page that is open but not looked at.
          while (reader && !(await reader.read()).done) {}
        })
        .catch(() => undefined);
      return {
        ...proc,
        stop: async (graceMs?: number) => {
          page.abort();
          await listening;
          await proc.stop(graceMs);
        },
      };
    },
  };
}

export const prismServer: BenchServer = {
  name: 'prism',
  command: 'prism mock -h 127.0.0.1 -p PORT openapi/predict-gender.yaml',
  start: () =>
    startServerProcess({
      command: `${root}node_modules/.bin/prism`,
      args: ['mock', '-h', '127.0.0.1', '-p', '{port}', findSpecPath()],
      cwd: root,
      probePath: PREDICT_GENDER_PATH,
      timeoutMs: 60_000,
    }),
};

export const bareServer: BenchServer = {
  name: 'bare',
  command: 'node --import tsx bench/bare-server.ts PORT',
  start: () =>
    startServerProcess({
      command: node,
      args: ['--import', 'tsx', `${root}bench/bare-server.ts`, '{port}'],
      cwd: root,
      probePath: PREDICT_GENDER_PATH,
    }),
};

/** Express 5 + multer memoryStorage answering 200 and nothing else: the stack's own ceiling. */
export const expressMulterServer: BenchServer = {
  name: 'express-multer',
  command: 'node --import tsx bench/express-multer-server.ts PORT',
  start: (extraNodeFlags = []) =>
    startServerProcess({
      command: node,
      args: [...extraNodeFlags, '--import', 'tsx', `${root}bench/express-multer-server.ts`, '{port}'],
      cwd: root,
      probePath: PREDICT_GENDER_PATH,
    }),
};

/**
 * `npm start` as a user types it: npm's own start-up, the `prestart` check, then `exec node dist/cli/main.js mock`.
 * Measured for its start-up only (the server it ends up running is the `mock` above).
 */
export const npmStartMock: BenchServer = {
  name: 'mock-npm-start',
  command: 'npm start -- --host 127.0.0.1 --port PORT',
  start: () =>
    startServerProcess({
      command: 'npm',
      args: ['start', '--silent', '--', '--host', '127.0.0.1', '--port', '{port}'],
      cwd: root,
      probePath: PREDICT_GENDER_PATH,
    }),
};

/** The floor app compiled to JavaScript, run by `node` as a user's own app would be. */
const floorApp = `${root}dist/bench/floor-app-server.js`;

/**
 * Compiles bench/floor-app-server.ts to dist/bench/ (its own code only: its packages stay imports from
 * node_modules, unbundled, as in a user's app). Run once per benchmark, before the floor app is started.
 */
export async function buildFloorApp(): Promise<void> {
  await build({
    entryPoints: [`${root}bench/floor-app-server.ts`],
    outfile: floorApp,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    logLevel: 'warning',
  });
}

/** What the spec says that the floor app needs, read here so that the floor app reads no spec at start-up. */
function floorFacts(): FloorFacts {
  const ok = namedExamples().get('OK');
  if (!ok) throw new Error('the spec has no OK example');
  const headers = credentialHeaders();
  return {
    path: PREDICT_GENDER_PATH,
    idHeader: headers.apiIdLower,
    secretHeader: headers.apiSecretLower,
    maxBytes: imageConstraints().maxBytes,
    okBody: ok.body as Record<string, unknown>,
  };
}

/**
 * The floor app (bench/floor-app-server.ts): Express 5 + multer doing only the work a faithful mock cannot skip.
 * The mock's target is 0.9x its throughput, and its start-up the reference for the mock's.
 */
export const floorAppServer: BenchServer = {
  name: 'floor',
  command: 'node dist/bench/floor-app-server.js PORT 127.0.0.1 FACTS (compiled from bench/floor-app-server.ts)',
  start: (extraNodeFlags = []) =>
    startServerProcess({
      command: node,
      args: [...extraNodeFlags, floorApp, '{port}', '127.0.0.1', JSON.stringify(floorFacts())],
      cwd: root,
      probePath: PREDICT_GENDER_PATH,
    }),
};

/** The library entry, unbundled tsc output: what `startMock()` loads in a user's test file. */
const mockLibrary = `${root}dist/mock/index.js`;

/**
 * The mock served through the library's `startMock()` (request log on, as the CLI does), in a plain Node process.
 * The CPU profiles use it rather than the CLI: the CLI is one bundled file, where a profile could not tell Express
 * from multer from the mock's own code.
 */
export function libraryMockServer(): BenchServer {
  const script =
    `const { startMock } = await import(${JSON.stringify(mockLibrary)});` +
    "const mock = await startMock({ port: Number(process.argv[1]), host: '127.0.0.1', log: true });" +
    "process.on('SIGTERM', () => mock.close().then(() => process.exit(0)));";
  return {
    name: 'mock',
    command: 'node -e "startMock({ port, log: true })" (dist/mock/index.js)',
    start: (extraNodeFlags = []) =>
      startServerProcess({
        command: node,
        args: [...extraNodeFlags, '--input-type=module', '-e', script, '{port}'],
        cwd: root,
        probePath: PREDICT_GENDER_PATH,
      }),
  };
}

/**
 * What a test file pays for a mock: in a fresh Node process, from before `import('accuauth-kit/mock')` to the first
 * answer (`load`), and from the `startMock()` call to the first answer once the module is loaded (`start`).
 */
export function timeStartMock(): { loadMs: number; startMs: number } {
  const script =
    'const t0 = performance.now();' +
    `const { startMock } = await import(${JSON.stringify(mockLibrary)});` +
    'const t1 = performance.now();' +
    'const mock = await startMock({ port: 0 });' +
    // node:http rather than fetch: fetch loads undici on first use, which would be charged to the mock.
    "const { request } = await import('node:http');" +
    'await new Promise((done) => request(mock.url + PATH, { method: "POST" }, (res) => res.resume().on("end", done)).end());' +
    'const t2 = performance.now();' +
    'await mock.close();' +
    'console.log(JSON.stringify({ loadMs: t2 - t0, startMs: t2 - t1 }));';
  const out = execFileSync(
    node,
    ['--input-type=module', '-e', script.replace('PATH', JSON.stringify(PREDICT_GENDER_PATH))],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim()) as { loadMs: number; startMs: number };
}
