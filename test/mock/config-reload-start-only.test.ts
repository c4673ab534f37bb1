import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMock } from '../../mock/index.js';

// The sections a reload cannot put in force (decisions size the body readers at start; cassettes, state and its
// prefix are opened at start) must be reported as needing a restart, never silently ignored.
const dir = mkdtempSync(join(tmpdir(), 'accuauth-reload-start-only-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a reload that changes a section read at start only', () => {
  it('reports decisions and statePrefix as needing a restart, and keeps the decisions in force', async () => {
    const path = join(dir, 'mock.yaml');
    writeFileSync(path, 'decisions: { both-fields: file }\n');
    const mock = await startMock({ config: path });
    try {
      writeFileSync(path, 'decisions: { both-fields: reject }\nstatePrefix: "other:"\n');
      expect(await mock.reloadConfig()).toEqual({
        ok: true,
        replaced: [],
        needRestart: ['decisions', 'statePrefix'],
      });
      const config = (await (await fetch(`${mock.url}/__admin/config`)).json()) as {
        decisions: Record<string, string>;
      };
      expect(config.decisions['both-fields']).toBe('file');
    } finally {
      await mock.close();
    }
  });
});
