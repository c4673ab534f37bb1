import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const root = new URL('../', import.meta.url);
const scripts = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> })
  .scripts;

interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: { run?: string; uses?: string; env?: Record<string, string> }[] }>;
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
async function assertRunnable(command: string): Promise<void> {
  const words = command.split(/\s+/);
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
    const { stdout } = await run('node', ['dist/src/cli/main.js', subcommand, '--help'], { cwd: root });
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
    for (const command of commandsOf(workflow)) await assertRunnable(command);
  });

  it('no recipe in the README runs the bin through a bare npx', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    expect(readme.match(/npx accuauth-kit/g)).toBeNull();
    expect(readme).toContain('npx --no-install accuauth-kit drift');
  });
});
