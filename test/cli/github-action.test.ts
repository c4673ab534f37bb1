import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeJpeg } from '../../src/image/sample-images.js';
import { unusedPort } from '../support/free-port.js';
import { callPredict } from '../support/predict-request.js';
import { isRunning } from '../support/process-alive.js';
import { scratchFolder } from '../support/scratch-folder.js';

// The repository's GitHub Action (action.yml), run as the runner runs it: node starts `runs.main`, then
// `runs.post`, with the inputs as INPUT_* variables and fresh GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV and
// GITHUB_STEP_SUMMARY files per step, the post step getting the main step's state as STATE_* variables.
const root = fileURLToPath(new URL('../../', import.meta.url));
const CLIENT = { id: 'ci-key', secret: 'ci-secret-8e41a7c2d9' };
const CREDENTIALS = { 'X-DF-API-ID': CLIENT.id, 'X-DF-API-SECRET': CLIENT.secret };
const REPORT_FILES = ['client-report.json', 'client-summary.md', 'client-junit.xml', 'client-report.html'];

interface ActionMetadata {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: unknown }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main?: string; post?: string; 'post-if'?: string; steps?: { run?: string; shell?: string }[] };
  branding?: { icon: string; color: string };
}

function readAction(path: string): ActionMetadata {
  return parse(readFileSync(join(root, path), 'utf8')) as ActionMetadata;
}

const action = readAction('action.yml');

interface StepResult {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  env: Record<string, string>;
  summary: string;
}

/** `key=value` lines, as the runner reads GITHUB_OUTPUT, GITHUB_STATE and GITHUB_ENV. */
function keyValues(file: string): Record<string, string> {
  const pairs = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return Object.fromEntries(pairs);
}

/** A job's workspace and runner files; `step` runs one step of it in a separate process, as the runner does. */
function job(workspace = scratchFolder('action-ws')) {
  const runnerTemp = scratchFolder('action-runner');
  let steps = 0;
  async function step(command: { file: string; args: string[] }, env: NodeJS.ProcessEnv): Promise<StepResult> {
    const dir = join(runnerTemp, `step-${++steps}`);
    mkdirSync(dir);
    const files = { GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_ENV: 'env', GITHUB_STEP_SUMMARY: 'summary' };
    const paths = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, join(dir, file)]));
    for (const path of Object.values(paths)) writeFileSync(path, '');
    const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        command.file,
        command.args,
        {
          cwd: workspace,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '',
            RUNNER_TEMP: runnerTemp,
            ...paths,
            ...env,
          },
          timeout: 60_000,
        },
        // The step ends only when its output closes: a mock left holding it would time this out.
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: stdout + stderr }),
      );
    });
    return {
      ...result,
      outputs: keyValues(paths.GITHUB_OUTPUT ?? ''),
      state: keyValues(paths.GITHUB_STATE ?? ''),
      env: keyValues(paths.GITHUB_ENV ?? ''),
      summary: readFileSync(paths.GITHUB_STEP_SUMMARY ?? '', 'utf8'),
    };
  }
  /** The runner passes every declared input, its default when the workflow gave none. */
  function inputEnv(inputs: Record<string, string>): NodeJS.ProcessEnv {
    for (const name of Object.keys(inputs)) expect(action.inputs, `input ${name}`).toHaveProperty(name);
    return Object.fromEntries(
      Object.entries(action.inputs).map(([name, input]) => [
        `INPUT_${name.toUpperCase()}`,
        inputs[name] ?? String(input.default ?? ''),
      ]),
    );
  }
  return {
    workspace,
    main: (inputs: Record<string, string>) =>
      step({ file: process.execPath, args: [join(root, action.runs.main ?? '')] }, inputEnv(inputs)),
    post: (inputs: Record<string, string>, main: StepResult) =>
      step(
        { file: process.execPath, args: [join(root, action.runs.post ?? '')] },
        {
          ...inputEnv(inputs),
          ...Object.fromEntries(Object.entries(main.state).map(([name, value]) => [`STATE_${name}`, value])),
        },
      ),
    /** The action/stop step: its one bash step, with the job's env from the main step's GITHUB_ENV. */
    stop: (main: StepResult) => {
      const stop = readAction('action/stop/action.yml');
      return step(
        { file: 'bash', args: ['-e', '-c', stop.runs.steps?.[0]?.run ?? ''] },
        { ...main.env, GITHUB_ACTION_PATH: join(root, 'action', 'stop') },
      );
    },
  };
}

function writeConfig(workspace: string): void {
  writeFileSync(join(workspace, 'accuauth-mock.yaml'), `keys:\n  - { id: ${CLIENT.id}, secret: ${CLIENT.secret} }\n`);
}

function mockPid(main: StepResult): number {
  return Number(readFileSync(join(main.state.session ?? '', 'pid'), 'utf8').trim());
}

async function health(url: string): Promise<unknown> {
  return (await fetch(`${url}/__admin/health`)).json();
}

describe('the GitHub Action (action.yml)', () => {
  it('declares what GitHub requires: name, description, described inputs and outputs, a node runtime with a post step', () => {
    expect(action.name).toEqual(expect.any(String));
    expect(action.description).toEqual(expect.any(String));
    const id = /^[A-Za-z_][A-Za-z0-9_-]*$/;
    const start = readFileSync(join(root, 'action', 'start.sh'), 'utf8');
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(name).toMatch(id);
      expect(input.description, name).toEqual(expect.any(String));
      // The runner hands a default over as text: a YAML number or boolean here would be a type the schema refuses.
      expect(typeof input.default, name).toBe('string');
      // Each declared input is read by the script (the node wrapper turns its hyphens into underscores).
      expect(start, name).toContain(`INPUT_${name.toUpperCase().replaceAll('-', '_')}`);
    }
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['config', 'port', 'cassettes', 'state', 'require', 'fail-on']),
    );
    for (const [name, output] of Object.entries(action.outputs)) {
      expect(name).toMatch(id);
      expect(output.description, name).toEqual(expect.any(String));
    }
    expect(Object.keys(action.outputs)).toEqual(['url', 'report-dir']);
    expect(['node20', 'node24']).toContain(action.runs.using);
    // A post step that runs whatever the job did: the reason this is not a composite action.
    expect(action.runs['post-if']).toBe('always()');
    for (const script of [action.runs.main, action.runs.post]) expect(existsSync(join(root, script ?? ''))).toBe(true);
    expect(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']).toContain(
      action.branding?.color,
    );

    const stop = readAction('action/stop/action.yml');
    expect(stop.name).toEqual(expect.any(String));
    expect(stop.description).toEqual(expect.any(String));
    expect(stop.runs.using).toBe('composite');
    for (const step of stop.runs.steps ?? []) if (step.run !== undefined) expect(step.shell).toBe('bash');
  });

  it('starts the mock, outputs its url, and its post step reports, stops it and passes a met requirement', async () => {
    const { workspace, main, post } = job();
    writeConfig(workspace);
    const port = await unusedPort();
    const inputs = {
      config: 'accuauth-mock.yaml',
      port: String(port),
      'journal-file': 'journal.ndjson',
      require: 'OK,OUT_OF_QUOTA',
    };
    const started = await main(inputs);
    expect(started.code, started.stdout).toBe(0);
    const url = `http://127.0.0.1:${port}`;
    expect(started.outputs.url).toBe(url);
    expect(await health(url)).toMatchObject({ status: 'up' });
    expect(started.env.ACCUAUTH_KIT_MOCK_SESSION).toBe(started.state.session);
    const pid = mockPid(started);
    expect(isRunning(pid)).toBe(true);

    // The job's tests: one prediction and one scripted refusal, with the config's key.
    const image = makeJpeg({ width: 320, height: 240 });
    expect((await callPredict(url, { file: image, credentials: CREDENTIALS })).httpCode).toBe(200);
    const quota = await callPredict(url, {
      file: image,
      credentials: CREDENTIALS,
      headers: { Prefer: 'example=OUT_OF_QUOTA' },
    });
    expect(quota.httpCode).toBe(403);

    const stopped = await post(inputs, started);
    expect(stopped.code, stopped.stdout).toBe(0);
    const reportDir = started.outputs['report-dir'] ?? '';
    for (const file of REPORT_FILES) expect(existsSync(join(reportDir, file)), file).toBe(true);
    expect(stopped.summary).toBe(readFileSync(join(reportDir, 'client-summary.md'), 'utf8'));
    expect(stopped.summary).toContain('## AccuAuth client report: passed');
    const report = JSON.parse(readFileSync(join(reportDir, 'client-report.json'), 'utf8'));
    expect(report.coverage.seen).toMatchObject({ OK: 1, OUT_OF_QUOTA: 1 });
    // No process left behind, and the port no longer answers.
    expect(isRunning(pid)).toBe(false);
    await expect(health(url)).rejects.toThrow();
    expect(stopped.stdout).toContain('SIGTERM, closing after in-flight requests');
    const journal = readFileSync(join(workspace, 'journal.ndjson'), 'utf8');
    expect(journal.trim().split('\n')).toHaveLength(2);
    for (const text of [journal, stopped.stdout, stopped.summary]) expect(text).not.toContain(CLIENT.secret);
  }, 90_000);

  it('fails the post step on an unmet require, still writing the summary and stopping the installed bin', async () => {
    const { workspace, main, post } = job();
    writeConfig(workspace);
    // A consumer's project: the package's bin in node_modules/.bin, found before this repository's build.
    mkdirSync(join(workspace, 'node_modules', '.bin'), { recursive: true });
    const bin = join(workspace, 'node_modules', '.bin', 'accuauth-kit');
    writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${join(root, 'dist', 'cli', 'main.js')}" "$@"\n`);
    chmodSync(bin, 0o755);
    const inputs = { config: 'accuauth-mock.yaml', port: '0', require: 'all' };
    const started = await main(inputs);
    expect(started.code, started.stdout).toBe(0);
    const url = started.outputs.url ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    const settings = readFileSync(join(started.state.session ?? '', 'settings.sh'), 'utf8');
    expect(settings).toContain(bin);
    const pid = mockPid(started);
    await callPredict(url, { file: makeJpeg({ width: 320, height: 240 }), credentials: CREDENTIALS });

    const stopped = await post(inputs, started);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain('::error title=accuauth-kit client report::the client report failed (exit 1)');
    expect(stopped.summary).toContain('## AccuAuth client report: failed');
    expect(stopped.summary).toContain('Never answered');
    for (const file of REPORT_FILES)
      expect(existsSync(join(started.outputs['report-dir'] ?? '', file)), file).toBe(true);
    expect(isRunning(pid)).toBe(false);
  }, 90_000);

  it('action/stop writes the report for an upload step and fails a strict run; the post step then does nothing', async () => {
    const { workspace, main, stop, post } = job();
    writeConfig(workspace);
    const inputs = { config: 'accuauth-mock.yaml', port: '0', strict: 'true' };
    const started = await main(inputs);
    expect(started.code, started.stdout).toBe(0);
    const url = started.outputs.url ?? '';
    const pid = mockPid(started);
    // A client mistake the test did not script: a JSON body.
    const mistake = await callPredict(url, {
      body: JSON.stringify({ image_base64: 'aGVsbG8=' }),
      headers: { 'Content-Type': 'application/json' },
      credentials: CREDENTIALS,
    });
    expect(mistake.httpCode).toBe(400);

    const early = await stop(started);
    // strict: the mock exits 1 at the stop and says why; no require or fail-on, so the report alone gates nothing.
    expect(early.code).toBe(1);
    expect(early.stdout).toContain('::error title=accuauth-kit mock::the mock exited with 1');
    expect(early.stdout).toContain('json-body');
    expect(isRunning(pid)).toBe(false);
    // Written before the job's later steps, so an upload step finds the files.
    for (const file of REPORT_FILES)
      expect(existsSync(join(started.outputs['report-dir'] ?? '', file)), file).toBe(true);
    expect(early.summary).toContain('client-mistake');

    const late = await post(inputs, started);
    expect(late.code).toBe(0);
    expect(late.stdout).toContain('already stopped and reported by an earlier step');
    expect(late.summary).toBe('');
  }, 90_000);

  it('fails the main step with the mock log when the mock cannot start (a bad config, a missing cassette)', async () => {
    const { workspace, main, post } = job();
    writeFileSync(join(workspace, 'accuauth-mock.yaml'), 'keys: not-a-list\n');
    const inputs = { config: 'accuauth-mock.yaml', port: '0' };
    const started = await main(inputs);
    expect(started.code).toBe(1);
    expect(started.stdout).toMatch(/::error title=accuauth-kit mock::the mock exited with 2 before it was ready/);
    expect(started.stdout).toContain('keys');
    expect(started.outputs).toEqual({});
    const stopped = await post(inputs, started);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('no mock was started by this action');

    // The cassettes input reaches the mock as --cassette, one per line.
    writeConfig(workspace);
    const withCassettes = await main({ ...inputs, cassettes: 'cassettes/missing.yaml\ncassettes/other.yaml\n' });
    expect(withCassettes.code).toBe(1);
    expect(withCassettes.stdout).toContain(`cassette ${join(workspace, 'cassettes', 'missing.yaml')} does not exist`);
  }, 90_000);

  it('mock-example.yml uses the action with declared inputs, stops it before uploading the report', () => {
    interface Step {
      id?: string;
      uses?: string;
      if?: string;
      with?: Record<string, string>;
    }
    const workflow = parse(readFileSync(join(root, '.github', 'workflows', 'mock-example.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Step[] }>;
    };
    const steps = Object.values(workflow.jobs).flatMap((found) => found.steps);
    const at = (uses: string) => steps.findIndex((step) => step.uses?.startsWith(uses));
    const start = steps[at('./')];
    expect(start?.uses).toBe('./');
    for (const name of Object.keys(start?.with ?? {})) expect(action.inputs).toHaveProperty(name);
    const stop = at('./action/stop');
    const upload = at('actions/upload-artifact@');
    expect(at('./')).toBeLessThan(stop);
    expect(stop).toBeLessThan(upload);
    for (const index of [stop, upload]) expect(steps[index]?.if).toBe('always()');
    const reportDir = ['$', `{{ steps.${start?.id}.outputs.report-dir }}`].join('');
    expect(steps[upload]?.with?.path).toBe(reportDir);
  });
});
