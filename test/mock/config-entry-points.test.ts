import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { MockConfig } from '../../mock/core/index.js';
import { MockConfigError, startMock } from '../../mock/index.js';
import { createMswHandlers } from '../../mock/msw/index.js';
import { specDecisionProfile } from '../../src/spec/decision-catalogue.js';
import { admin, useMock } from '../support/mock-server.js';

// One schema guards every way a config gets in: the server's config, the admin API, the MSW handlers, the running
// mock's handle and the core's replaceScenarios/replaceKeys. Each must refuse the same input with the same message;
// replacements are checked by the core alone, also in a mock started without a config (the validator then loads
// on first use).
const mock = useMock();
const dir = mkdtempSync(join(tmpdir(), 'accuauth-entry-points-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bad: [string, MockConfig, string][] = [
  ['rateLimit 0', { keys: [{ id: 'k1', secret: 's1', rateLimit: 0 }] }, 'keys[0].rateLimit must be >= 1'],
  ['quota -5', { keys: [{ id: 'k1', secret: 's1', quota: -5 }] }, 'keys[0].quota must be >= 0'],
  [
    'status NOPE',
    { scenarios: [{ respond: { status: 'NOPE' as 'OK' } }] },
    'scenarios[0].respond.status must be one of',
  ],
];

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MockConfigError);
    return (error as MockConfigError).reason;
  }
  throw new Error('expected a MockConfigError');
}

/** The same for the core's replace* calls, which reject rather than throw (the state behind them is async). */
async function rejectionReasonOf(run: () => Promise<unknown>): Promise<string> {
  const error = await run().then(
    () => new Error('expected a MockConfigError'),
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(MockConfigError);
  return (error as MockConfigError).reason;
}

describe.each(bad)('%s is refused with the same message everywhere', (_what, config, message) => {
  it('server, admin API, MSW handlers, startMock handle, core replace*, MSW config file', async () => {
    const server = await startMock({ port: 0, config }).then(
      () => 'started',
      (error: MockConfigError) => error.reason,
    );
    expect(server).toContain(message);

    const part = config.keys ? 'keys' : 'scenarios';
    const adminAnswer = await admin(mock.url, 'PUT', `/${part}`, { [part]: config[part] });
    expect(adminAnswer.httpCode).toBe(400);
    expect((adminAnswer.body as { error: string }).error).toBe(server);

    expect(reasonOf(() => createMswHandlers({ config }))).toBe(server);

    const running = await startMock({ port: 0 });
    try {
      const replaceRunning = () =>
        config.keys ? running.replaceKeys(config.keys) : running.replaceScenarios(config.scenarios ?? []);
      expect(await rejectionReasonOf(replaceRunning)).toBe(server);
    } finally {
      await running.close();
    }

    const { core } = createMswHandlers();
    const replace = () => (config.keys ? core.replaceKeys(config.keys) : core.replaceScenarios(config.scenarios ?? []));
    expect(await rejectionReasonOf(replace)).toBe(server);
    // Untouched: nothing but the decisions in force (every one, the spec's choices here).
    expect(await core.effectiveConfig()).toEqual({ decisions: specDecisionProfile() });

    const file = join(dir, `${part}-${message.length}.yaml`);
    writeFileSync(file, stringify(config));
    expect(reasonOf(() => createMswHandlers({ config: file }))).toBe(`${file}: ${server}`);
  });
});

describe('createMswHandlers takes a config file path like the server', () => {
  it('reads a valid YAML file', async () => {
    const file = join(dir, 'good.yaml');
    writeFileSync(file, 'keys:\n  - id: file-key\n    secret: file-secret\n    quota: 3\n');
    const { core } = createMswHandlers({ config: file });
    expect((await core.effectiveConfig()).keys).toEqual([{ id: 'file-key', secret: '[REDACTED]', quota: 3 }]);
  });
});
