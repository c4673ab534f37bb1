import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPORT_FILES } from '../../contracts/drift/drift-report.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);
const scripts = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> })
  .scripts;

interface Step {
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: Step[] }>;
}

function readWorkflow(name: string): Workflow {
  return parse(readFileSync(new URL(`.github/workflows/${name}`, root), 'utf8')) as Workflow;
}

/** Every shell command a workflow runs, split at `&&` and `||`, without the fallbacks that only print. */
function commandsOf(workflow: Workflow): string[] {
  return Object.values(workflow.jobs)
    .flatMap((job) => job.steps.map((step) => step.run ?? ''))
    .flatMap((script) => script.split(/&&|\|\||\n/))
    .map((command) => command.trim())
    .filter((command) => command !== '' && !command.startsWith('cat ') && !command.startsWith('echo '));
}

/** Checks that a command names something that exists: an npm script, or a subcommand of the package's own CLI. */
async function assertRunnable(command: string, history?: { reportsDir: string; historyDir: string }): Promise<void> {
  const words = command.split(/\s+/);
  // The drift workflow's own file handling: keep tonight's JSON report in the history directory it reads.
  if (history && words[0] === 'mkdir' && words[1] === '-p' && words.length === 3) {
    expect(words[2], command).toBe(history.historyDir);
    return;
  }
  if (history && words[0] === 'cp' && words.length === 3) {
    expect(words[1], command).toBe(`${history.reportsDir}/${REPORT_FILES.json}`);
    expect(words[2]?.replaceAll('"', ''), command).toMatch(new RegExp(`^${history.historyDir}/[^/]+\\.json$`));
    return;
  }
  if (words[0] === 'npm' && (words[1] === 'ci' || words[1] === 'test')) {
    if (words[1] === 'test') expect(scripts.test).toBeDefined();
    return;
  }
  if (words[0] === 'npm' && words[1] === 'run') {
    expect(scripts[words[2] ?? ''], command).toBeDefined();
    return;
  }
  if (words[0] === 'npx') {
    // Never a bare `npx accuauth-kit`: without the dependency npx would install whatever is published under that
    // name and run it with the secrets in its environment.
    expect(words[1], `${command}: npx must be told --no-install`).toBe('--no-install');
    expect(words[2], command).toBe('accuauth-kit');
    const subcommand = words[3] ?? '';
    const { stdout } = await run('node', ['dist/cli/main.js', subcommand, '--help'], { cwd: root });
    for (const flag of words.slice(4).filter((word) => word.startsWith('--'))) {
      expect(stdout, `${command}: ${flag} is not an option of accuauth-kit ${subcommand}`).toContain(flag);
    }
    return;
  }
  throw new Error(`the workflow runs a command this test does not know how to check: ${command}`);
}

describe('GitHub workflows', () => {
  it('ci.yml runs the README test command on push', async () => {
    const workflow = readWorkflow('ci.yml');
    expect(Object.keys(workflow.on)).toContain('push');
    const commands = commandsOf(workflow);
    expect(commands).toEqual(['npm ci', 'npm test']);
    const job = Object.values(workflow.jobs)[0] as unknown as { strategy?: { matrix?: Record<string, unknown> } };
    expect(job.strategy?.matrix?.['node-version']).toEqual([20, 22, 24]);
    const engines = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } })
      .engines.node;
    expect(engines).toBe('>=20.19');
    expect(readFileSync(new URL('README.md', root), 'utf8')).toContain('npm ci && npm test');
    for (const command of commands) await assertRunnable(command);
  });

  it('drift.yml runs the drift check nightly and on demand with the two secrets, and keeps its reports', async () => {
    const workflow = readWorkflow('drift.yml');
    expect(workflow.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \* \* \*$/) }]);
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const driftStep = steps.find((step) => step.run?.includes('accuauth-kit drift'));
    // GitHub's expression syntax, not a template string.
    const secret = (name: string) => ['$', '{{ secrets.', name, ' }}'].join('');
    expect(driftStep?.env).toMatchObject({
      ACCUAUTH_API_ID: secret('ACCUAUTH_API_ID'),
      ACCUAUTH_API_SECRET: secret('ACCUAUTH_API_SECRET'),
    });
    expect(steps.some((step) => step.run?.includes('$GITHUB_STEP_SUMMARY'))).toBe(true);
    expect(steps.some((step) => step.uses?.startsWith('actions/upload-artifact'))).toBe(true);
    const reportsDir = driftStep?.run?.match(/--out (\S+)/)?.[1];
    const historyDir = driftStep?.run?.match(/--history (\S+)/)?.[1];
    expect(reportsDir).toBeDefined();
    expect(historyDir).toBeDefined();
    for (const command of commandsOf(workflow)) {
      await assertRunnable(command, { reportsDir: reportsDir ?? '', historyDir: historyDir ?? '' });
    }
  });

  it('drift.yml carries the history from night to night and uploads the HTML report', () => {
    const steps = Object.values(readWorkflow('drift.yml').jobs).flatMap((job) => job.steps);
    const index = (found: (step: Step) => boolean) => steps.findIndex(found);
    const drift = index((step) => step.run?.includes('accuauth-kit drift') ?? false);
    const historyDir = steps[drift]?.run?.match(/--history (\S+)/)?.[1];
    const restore = index((step) => step.uses?.startsWith('actions/cache/restore@') ?? false);
    const keep = index((step) => step.run?.includes(`cp `) ?? false);
    const save = index((step) => step.uses?.startsWith('actions/cache/save@') ?? false);
    const upload = index((step) => step.uses?.startsWith('actions/upload-artifact') ?? false);
    // Restored before the check reads it; tonight's report added and saved after, even when the check exits 1 or 2.
    expect([restore, drift, keep, save].every((at) => at >= 0)).toBe(true);
    expect(restore).toBeLessThan(drift);
    expect(drift).toBeLessThan(keep);
    expect(keep).toBeLessThan(save);
    expect(steps[restore]?.with?.path).toBe(historyDir);
    expect(steps[save]?.with?.path).toBe(historyDir);
    // A cache key is written once: each run saves under its own, the next restores the newest by prefix.
    const runKey = ['$', '{{ github.run_id }}'].join('');
    expect(steps[save]?.with?.key).toContain(runKey);
    expect(steps[restore]?.with?.key).toBe(steps[save]?.with?.key);
    expect(steps[save]?.with?.key?.startsWith(steps[restore]?.with?.['restore-keys'] ?? '(none)')).toBe(true);
    for (const at of [keep, save, upload]) expect(steps[at]?.if, `step ${at}`).toBe('always()');
    const reportsDir = steps[drift]?.run?.match(/--out (\S+)/)?.[1];
    expect(steps[upload]?.with?.path?.replace(/\/$/, '')).toBe(reportsDir);
    expect(REPORT_FILES.html).toBe('drift-report.html');
  });

  it('no recipe in the README or the guides runs the bin through a bare npx', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    expect(readme).toContain('npx --no-install accuauth-kit drift');
    const guides = readdirSync(new URL('docs/', root)).filter((name) => name.endsWith('.md'));
    expect(guides).toContain('mock.md');
    for (const name of guides) {
      const text = readFileSync(new URL(`docs/${name}`, root), 'utf8');
      expect(text.match(/npx accuauth-kit/g), name).toBeNull();
    }
    expect(readme.match(/npx accuauth-kit/g)).toBeNull();
  });
});
