import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { unusedPort } from '../support/free-port.js';
import { admin } from '../support/mock-server.js';
import { isRunning } from '../support/process-alive.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const readme = await readFile(join(repo, 'README.md'), 'utf8');
// The mock's guide holds the recipe for another language's CI job.
const mockGuide = await readFile(join(repo, 'docs', 'mock.md'), 'utf8');

/**
 * The README's recipe files: fenced blocks whose first line is a comment naming the file (`// vitest.config.ts`,
 * `# test/accuauth-mock.yaml`). They are written into the consumer project exactly as the README shows them.
 */
function recipeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const match of readme.matchAll(/```(?:ts|yaml)\n((?:\/\/|#) ([\w./-]+\.(?:ts|yaml))\b[^\n]*\n[\s\S]*?)```/g)) {
    const [, content, path] = match;
    if (content && path) files.set(path, content);
  }
  return files;
}

const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

interface PackageManifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  bin?: Record<string, string>;
}

// A consumer project that only knows the published surface: the client, the mock and the type-only entry.
const consumerSource = `
import { readFile } from 'node:fs/promises';
import { AccuAuthApiError, createClient, type PredictGenderResponse } from 'accuauth-kit';
import { startMock } from 'accuauth-kit/mock';
import { createMswHandlers } from 'accuauth-kit/msw';
import type { ErrorStatus, PredictGenderResult } from 'accuauth-kit/types';

const { handlers } = createMswHandlers();
const mock = await startMock({ port: 0 });
try {
  const client = createClient({ baseUrl: mock.url, apiId: 'consumer-id', apiSecret: 'consumer-secret' });
  const png = await readFile(process.argv[2] ?? '');
  const answer: PredictGenderResponse = await client.predictGender({ file: png });
  const result: PredictGenderResult = answer.result;
  let status: ErrorStatus | undefined;
  try {
    await client.predictGender({ imageBase64: png.toString('base64') }, { prefer: 'example=OUT_OF_QUOTA' });
  } catch (error) {
    if (error instanceof AccuAuthApiError) status = error.status;
  }
  console.log(JSON.stringify({ gender: result.gender, status, handlers: handlers.length }));
} finally {
  await mock.close();
}
`;

// What the guides document, one import per entry and group, used as a consumer would: the curated surface.
const surfaceSource = `
import {
  createClient,
  errorCatalogue,
  imageConstraints,
  imageSha256,
  inspectImage,
  makeJpeg,
  makePng,
  namedExamples,
  PREDICT_GENDER_PATH,
  specValidators,
} from 'accuauth-kit';
import {
  ClientMistakesError,
  CoverageError,
  type CoverageView,
  MockConfigError,
  type MockConfig,
  MockStateError,
  type RunningMock,
  startMock,
} from 'accuauth-kit/mock';
import { createMswHandlers, type MockControl } from 'accuauth-kit/msw';
import type { StatusValue } from 'accuauth-kit/types';

const image = makeJpeg({ width: 150, height: 150 });
const config: MockConfig = { scenarios: [{ match: { imageSha256: imageSha256(image) }, respond: { status: 'OUT_OF_QUOTA' } }] };
const control: MockControl = createMswHandlers({ config }).core;
const verdict = inspectImage(makePng({ width: 10, height: 10 }), imageConstraints());
const statuses: StatusValue[] = [...errorCatalogue().keys()];
const errors = [ClientMistakesError, CoverageError, MockConfigError, MockStateError].map((type) => type.name);
const running: Promise<RunningMock> = startMock({ port: 0, config });
const coverage: Promise<CoverageView> = running.then((mock) => mock.coverage());
export { control, coverage, createClient, errors, namedExamples, PREDICT_GENDER_PATH, specValidators, statuses, verdict };
`;

// Test helpers and the core's internals are not part of it.
const internals = [
  "import { pngChunk } from 'accuauth-kit';",
  "import { newRequestId } from 'accuauth-kit';",
  "import type { MockCore } from 'accuauth-kit/msw';",
  "import { createMockCore } from 'accuauth-kit/mock';",
];

describe('the packed package works in another project', () => {
  let work: string;
  let project: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'accuauth-pack-'));
    project = join(work, 'consumer');
    // dist/ is built by `npm test` before vitest runs; --ignore-scripts keeps pack from building it again.
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
      cwd: repo,
    });
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    const installed = join(project, 'node_modules', 'accuauth-kit');
    await mkdir(installed, { recursive: true });
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await run('tar', ['-xzf', join(work, packed?.filename ?? ''), '-C', installed, '--strip-components=1']);
    // The package's declared dependencies (and the optional msw peer), linked from this repository's install: no
    // registry is asked. Only what package.json declares is linked, so code that needs an undeclared package fails.
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as PackageManifest;
    const names = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})];
    for (const name of names) {
      const link = join(project, 'node_modules', name);
      await mkdir(dirname(link), { recursive: true });
      await symlink(join(repo, 'node_modules', name), link, 'dir');
    }
    const bin = join(project, 'node_modules', '.bin');
    await mkdir(bin, { recursive: true });
    for (const [command, target] of Object.entries(manifest.bin ?? {})) {
      // What npm's bin-links does on install: link the command and make its target executable.
      await chmod(join(installed, target), 0o755);
      await symlink(join('..', 'accuauth-kit', target), join(bin, command));
    }
  }, 180_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('type-checks a file that uses the types, the client and the mock with tsc', async () => {
    await writeFile(join(project, 'consumer.ts'), consumerSource);
    expect(await typeCheck(project, 'consumer.ts')).toBe('');
  });

  it('type-checks every documented group of each entry, and exports no test helper or internal', async () => {
    await writeFile(join(project, 'surface.ts'), surfaceSource);
    expect(await typeCheck(project, 'surface.ts')).toBe('');
    const files = internals.map((_line, index) => `internal-${index}.ts`);
    for (const [index, line] of internals.entries()) {
      await writeFile(join(project, files[index] ?? ''), `${line}\nexport {};\n`);
    }
    // One compiler run for all of them: each file must be refused for its import.
    const refusals = await typeCheck(project, ...files);
    for (const file of files)
      expect(refusals).toMatch(new RegExp(`${file}\\(1,\\d+\\): error TS\\d+: .*has no exported member`));
  }, 180_000);

  it('starts the mock from the installed package and the client gets its answers', async () => {
    const { makePng } = await import('../../src/image/sample-images.js');
    await writeFile(join(project, 'face.png'), makePng({ width: 200, height: 160 }));
    // Plain JavaScript of the same file, so Node runs it without a TypeScript loader.
    const javascript = consumerSource
      .replace(/, type PredictGenderResponse/, '')
      .replace(/^import type .*$/m, '')
      .replace(/: PredictGenderResponse|: PredictGenderResult|: ErrorStatus \| undefined/g, '');
    await writeFile(join(project, 'consumer.mjs'), javascript);
    const { stdout } = await run('node', ['consumer.mjs', 'face.png'], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({
      gender: expect.stringMatching(/^(Male|Female)$/),
      status: 'OUT_OF_QUOTA',
      handlers: 1,
    });
  });

  it("the README's `types` recipe runs as pasted and writes the two files it names", async () => {
    const line = readme.split('\n').find((text) => text.startsWith('npx --no-install accuauth-kit types '));
    expect(line).toBeDefined();
    const [command = '', comment = ''] = (line ?? '').split(/\s+#\s+/);
    // Offline: with --no-install npx runs the project's own bin and never asks a registry.
    const env = { ...process.env, npm_config_offline: 'true' };
    await run('bash', ['-e', '-c', command], { cwd: project, env });
    const out = /--out (\S+)/.exec(command)?.[1] ?? '';
    const named = [...comment.matchAll(/predict-gender\.\w+/g)].map((match) => match[0]);
    expect(named).toEqual(['predict-gender.ts', 'predict-gender.yaml']);
    for (const file of named) await expect(readFile(join(project, out, file), 'utf8')).resolves.not.toBe('');
  });

  it("the README's import lines for the types and the client type-check in the project", async () => {
    const block = /```ts\n(import \{ createClient, type[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toContain("from 'accuauth-kit/types'");
    await writeFile(
      join(project, 'types-recipe.ts'),
      `${block}\nexport type Used = [PredictGenderResult, ErrorStatus, components, paths, typeof createClient];\n`,
    );
    expect(await typeCheck(project, 'types-recipe.ts')).toBe('');
  });

  it('`accuauth-kit types --out` writes the generated types into the project', async () => {
    const bin = join(project, 'node_modules', '.bin', 'accuauth-kit');
    const { stdout } = await run(bin, ['types', '--out', 'src/accuauth/', '--with-spec'], { cwd: project });
    expect(stdout).toContain('predict-gender.ts');
    const written = await readFile(join(project, 'src', 'accuauth', 'predict-gender.ts'), 'utf8');
    expect(written).toBe(await readFile(join(repo, 'src', 'generated', 'predict-gender.ts'), 'utf8'));
    await expect(readFile(join(project, 'src', 'accuauth', 'predict-gender.yaml'), 'utf8')).resolves.toContain(
      'openapi: 3.1',
    );
  });

  it('ships the MIT LICENSE and no script a consumer npm would run or warn about', async () => {
    const installed = join(project, 'node_modules', 'accuauth-kit');
    expect(await readFile(join(installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
      license: string;
      scripts?: Record<string, string>;
    };
    expect(manifest.license).toBe('MIT');
    // npm 11.16+ warns about (and npm 12 blocks) these for a tarball or git dependency.
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect(manifest.scripts ?? {}, script).not.toHaveProperty(script);
    }
  });

  it("the README's vitest recipe runs as pasted (vitest.config.ts, setup file, config, a test)", async () => {
    const files = recipeFiles();
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        'vitest.config.ts',
        'test/setup-accuauth.ts',
        'test/accuauth-mock.yaml',
        'test/face.test.ts',
      ]),
    );
    for (const [path, content] of files) {
      await mkdir(join(project, dirname(path)), { recursive: true });
      await writeFile(join(project, path), content);
    }
    // The consumer's own dev dependency, linked from this repository's install like the package's dependencies.
    await symlink(join(repo, 'node_modules', 'vitest'), join(project, 'node_modules', 'vitest'), 'dir').catch(() => {});
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' };
    const vitest = join(project, 'node_modules', 'vitest', 'vitest.mjs');
    const result = await run('node', [vitest, 'run', '--reporter', 'verbose'], { cwd: project, env }).catch(
      (error: { stdout: string; stderr: string }) => error,
    );
    expect(`${result.stdout}\n${result.stderr}`).toMatch(/✓ .*gets a gender for a face/);
    expect(result.stdout).toMatch(/Tests\s+1 passed/);
  }, 120_000);

  it("the mock guide's recipe for another language's tests starts, waits for health, and stops the mock", async () => {
    const block = /```yaml\n(# \.github\/workflows\/test\.yml[\s\S]*?)```/.exec(mockGuide)?.[1];
    const steps = parse(block ?? '') as { run: string }[];
    expect(steps).toHaveLength(3);
    const [start, , stop] = steps;
    // The one change to what the guide shows: a free port instead of 4010, so parallel runs cannot collide.
    const port = await unusedPort();
    const onPort = (script: string) => script.replaceAll('4010', String(port));
    await writeFile(join(project, 'accuauth-mock.yaml'), recipeFiles().get('test/accuauth-mock.yaml') ?? '');
    // Each step in its own shell, as a CI runner does; the mock outlives the first.
    await run('bash', ['-e', '-c', onPort(start?.run ?? '')], { cwd: project });
    const health = await admin(`http://127.0.0.1:${port}`, 'GET', '/health');
    expect(health.body).toMatchObject({ status: 'up' });
    const pid = Number((await readFile(join(project, 'accuauth-mock.pid'), 'utf8')).trim());
    const { stdout } = await run('bash', ['-e', '-c', onPort(stop?.run ?? '')], { cwd: project });
    // Stopped cleanly: the process is gone, said why, and the port no longer answers.
    while (isRunning(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
    const log = await readFile(join(project, 'accuauth-mock.log'), 'utf8');
    expect(stdout).toContain(`accuauth-kit mock listening on http://127.0.0.1:${port}`);
    expect(log).toContain('SIGTERM, closing after in-flight requests');
    await expect(admin(`http://127.0.0.1:${port}`, 'GET', '/health')).rejects.toThrow();
  }, 120_000);
});

/** tsc's complaints about `file` in the consumer `project`, strict and as Node ESM resolves it ('' when none). */
async function typeCheck(project: string, ...files: string[]): Promise<string> {
  const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
  const types = ['--typeRoots', join(repo, 'node_modules', '@types'), '--types', 'node', ...files];
  const result = await run('node', [tsc, ...args, ...types], { cwd: project }).catch(
    (error: { stdout: string }) => error,
  );
  return result.stdout;
}
