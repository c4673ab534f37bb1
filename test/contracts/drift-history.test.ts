import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nightOf, nightsToPlot, readDriftHistory } from '../../contracts/drift/drift-history.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function historyDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'accuauth-drift-history-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const TARGET = 'https://cloudapi.accuauth.in';
const answered = (durationMs: number) => ({ kind: 'answered', httpCode: 200, durationMs });

/** A report as drift wrote it before findings had classes and latencies. */
const olderFormat = {
  checkedAt: '2025-01-01T03:17:00.000Z',
  target: TARGET,
  exitCode: 1,
  probes: [
    { probe: 'a', findings: ['x', 'y'], target: answered(40) },
    { probe: 'b', findings: [], target: answered(10) },
    { probe: 'c', findings: ['z'], target: { kind: 'no-answer', cause: 'timeout', durationMs: 15000 } },
  ],
};

const currentFormat = {
  checkedAt: '2025-01-02T03:17:00.000Z',
  target: TARGET,
  exitCode: 1,
  probes: [
    {
      probe: 'a',
      findings: ['x', 'y'],
      classedFindings: [
        { class: 'contract', finding: 'x' },
        { class: 'decision', finding: 'y' },
      ],
      latencyMs: 30,
      target: answered(30),
    },
    { probe: 'b', findings: [], classedFindings: [], latencyMs: 20, target: answered(20) },
  ],
};

describe('the drift history', () => {
  it('reads earlier reports oldest first, old and new format, skipping everything else with a note', () => {
    const dir = historyDir({
      'z-older.json': JSON.stringify(olderFormat),
      'a-current.json': JSON.stringify(currentFormat),
      'broken.json': '{"checkedAt": ',
      'package.json': JSON.stringify({ name: 'not-a-report', version: '1.0.0' }),
      'bad-class.json': JSON.stringify({
        ...currentFormat,
        probes: [{ ...currentFormat.probes[0], classedFindings: [{ class: 'vibes' }] }],
      }),
      'notes.txt': 'hello',
    });
    mkdirSync(join(dir, 'folder.json'));
    const history = readDriftHistory(dir);
    expect(history.nights.map((night) => night.source)).toEqual(['z-older.json', 'a-current.json']);
    expect(history.nights[0]).toMatchObject({
      findings: { contract: 3, decision: 0, behaviour: 0 },
      latencyP50Ms: 25,
      latencyMaxMs: 40,
    });
    expect(history.nights[1]).toMatchObject({
      findings: { contract: 1, decision: 1, behaviour: 0 },
      latencyP50Ms: 25,
      latencyMaxMs: 30,
    });
    expect(history.notes).toEqual([
      expect.stringMatching(
        /^skipped bad-class\.json: not a drift report \(\/probes\/0\/classedFindings\/0\/class must be equal to one of the allowed values\)/,
      ),
      'skipped broken.json: not valid JSON',
      'skipped folder.json: not a file',
      'skipped notes.txt: not a .json file',
      expect.stringMatching(/^skipped package\.json: not a drift report \(the document must have required property/),
    ]);
  });

  it('counts no findings on a night that could not check: the outage is not drift', () => {
    const history = readDriftHistory(historyDir({ 'down.json': JSON.stringify({ ...olderFormat, exitCode: 2 }) }));
    expect(history.nights[0]).toMatchObject({ exitCode: 2, findings: { contract: 0, decision: 0, behaviour: 0 } });
    expect(history.nights[0]?.latencyMaxMs).toBe(40);
  });

  it('a missing directory (the first night, before any cache) is a note, not an error', () => {
    const history = readDriftHistory(join(tmpdir(), 'accuauth-no-such-history-dir'));
    expect(history.nights).toEqual([]);
    expect(history.notes).toEqual([expect.stringMatching(/could not be read \(ENOENT\); no trend shown$/)]);
  });

  it('plots the nights of the same target and this night, leaving out other targets and a copy of this night', () => {
    const dir = historyDir({
      'one.json': JSON.stringify(olderFormat),
      'staging.json': JSON.stringify({
        ...olderFormat,
        checkedAt: '2025-01-01T12:00:00.000Z',
        target: 'http://staging',
      }),
      'copy.json': JSON.stringify(currentFormat),
    });
    const tonight = nightOf(currentFormat as Parameters<typeof nightOf>[0], 'this night');
    const { nights, notes } = nightsToPlot(readDriftHistory(dir), tonight);
    expect(nights.map((night) => night.source)).toEqual(['one.json', 'this night']);
    expect(notes).toEqual(['skipped staging.json: checked another target (http://staging)']);
  });
});
