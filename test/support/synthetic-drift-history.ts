import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One answered probe of a synthetic night: its latency and the status value it answered. */
export interface SyntheticAnswer {
  latencyMs: number;
  status: string;
  httpCode?: number;
}

export interface SyntheticNight {
  checkedAt: string;
  target: string;
  exitCode?: 0 | 1 | 2;
  answers: readonly SyntheticAnswer[];
}

/**
 * Writes a night as `drift --out` writes drift-report.json (the fields the history reads: each probe's latency and
 * its target answer with the status in its body), named after its date so a directory sorts by night.
 */
export function writeSyntheticNight(dir: string, night: SyntheticNight): string {
  const name = `drift-report-${night.checkedAt.replace(/[:.]/g, '-')}.json`;
  const report = {
    checkedAt: night.checkedAt,
    target: night.target,
    exitCode: night.exitCode ?? 0,
    probes: night.answers.map((answer, index) => ({
      probe: `probe-${index}`,
      findings: [],
      classedFindings: [],
      latencyMs: answer.latencyMs,
      target: {
        kind: 'answered',
        httpCode: answer.httpCode ?? (answer.status === 'OK' ? 200 : 400),
        contentType: 'application/json',
        body: { status: answer.status },
        bodyIsJson: true,
        durationMs: answer.latencyMs,
      },
    })),
  };
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(report));
  return path;
}

/** The ISO instant of night `index` after 2025-03-01 (03:17 UTC, a nightly job's hour). */
export function nightAt(index: number): string {
  return new Date(Date.UTC(2025, 2, 1 + index, 3, 17)).toISOString();
}
