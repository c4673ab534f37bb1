import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkMockConfig, readMockConfigFile } from '../../mock/core/config/load-mock-config.js';
import { createClient, imageSha256, makeJpeg } from '../../src/index.js';
import { admin, useMock } from '../support/mock-server.js';

// Messages that once pointed the wrong way. Each now says what is wrong and what to do.
const mock = useMock();
const dir = mkdtempSync(join(tmpdir(), 'accuauth-messages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function reasonOf(value: unknown): string {
  const checked = checkMockConfig(value);
  if (checked.ok) throw new Error('expected the config to be refused');
  return checked.reason;
}

describe('config messages', () => {
  it('a scenario with both respond and sequence is told to keep one (not the latency rule)', () => {
    const reason = reasonOf({ scenarios: [{ respond: { status: 'OK' }, sequence: [{ status: 'OK' }] }] });
    expect(reason).toMatch(/^scenarios\[0\] has both "respond" and "sequence"; keep one/);
    expect(reason).not.toContain('ms');
  });

  it('a scenario with neither is told about both', () => {
    const reason = reasonOf({ scenarios: [{ name: 'empty' }] });
    expect(reason).toMatch(/^scenarios\[0\] needs "respond" .* or "sequence"/);
  });

  it('{ms, minMs} is told not to mix the forms (not that minMs is unknown)', () => {
    expect(reasonOf({ latency: { ms: 5, minMs: 1 } })).toBe(
      'latency must be {ms} or {minMs, maxMs}, not both: remove "ms" or the range',
    );
    expect(reasonOf({ latency: { minMs: 1 } })).toBe('latency must be {ms} or {minMs, maxMs}: "maxMs" is missing');
  });

  it('a YAML syntax error names the place and quotes the line (no dangling colon)', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'keys:\n  - id: k1\n    secret: s1\n  quota: [\n');
    const checked = readMockConfigFile(file);
    expect(checked.ok).toBe(false);
    const reason = checked.ok ? '' : checked.reason;
    expect(reason).toMatch(/at line 4, column 1 \(the line reads "quota: \["\)$/);
    expect(reason).not.toMatch(/:\s*$/);
  });

  it('duplicate key ids are refused, naming both (the last used to win silently)', () => {
    const keys = [
      { id: 'k1', secret: 's1' },
      { id: 'k1', secret: 's2' },
    ];
    expect(reasonOf({ keys })).toBe('keys[1].id "k1" repeats keys[0].id; each key id must be unique');
  });

  it("the mock guide's config example validates as pasted, and its scenario matches the README's face.jpg", () => {
    const guide = readFileSync(new URL('../../docs/mock.md', import.meta.url), 'utf8');
    const block = /```yaml\n(# yaml-language-server[\s\S]*?)```/.exec(guide)?.[1];
    expect(block).toBeDefined();
    const config = parse(block ?? '') as { scenarios: { match: { imageSha256?: string } }[] };
    expect(checkMockConfig(config)).toMatchObject({ ok: true });
    expect(guide).toContain('sha256sum');
    expect(guide).toContain('imageSha256(');
    // The README makes face.jpg with exactly this call; a hash of some other bytes would match nothing a reader has.
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('makeJpeg({ width: 320, height: 240 }))" > face.jpg');
    expect(config.scenarios[0]?.match.imageSha256).toBe(imageSha256(makeJpeg({ width: 320, height: 240 })));
  });
});

describe('admin API and client messages', () => {
  it('GET /__admin/reset is 405 and says to use POST', async () => {
    const answer = await admin(mock.url, 'GET', '/reset');
    expect(answer.httpCode).toBe(405);
    expect(answer.body).toEqual({ error: 'GET /__admin/reset is not a route; use POST /__admin/reset' });
    expect((await admin(mock.url, 'GET', '/nope')).httpCode).toBe(404);
  });

  it('retry: {retries: 3} works, with the delays defaulted; a missing retries says it is missing', () => {
    expect(() => createClient({ apiId: 'i', apiSecret: 's', retry: { retries: 3 } })).not.toThrow();
    const missing = { minDelayMs: 10 } as unknown as { retries: number };
    expect(() => createClient({ apiId: 'i', apiSecret: 's', retry: missing })).toThrow(/retry\.retries is missing/);
    expect(() => createClient({ apiId: 'i', apiSecret: 's', retry: { retries: -1 } })).toThrow(
      /retries must be an integer >= 0, got -1/,
    );
  });
});
