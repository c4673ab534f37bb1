import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../../src/secret-redaction.js';
import { unwritableDirectoryReason } from '../../src/writable-directory.js';
import type { TargetAnswer } from '../conformance/judge-answer.js';
import type { DriftHistory } from './drift-history.js';
import { driftHtml } from './drift-html.js';
import { driftJunit } from './drift-junit.js';
import type { DriftReport } from './drift-report-types.js';
import { driftSummary } from './drift-summary.js';

export const REPORT_FILES = {
  json: 'drift-report.json',
  summary: 'drift-summary.md',
  junit: 'drift-junit.xml',
  html: 'drift-report.html',
} as const;

/** Raw text bodies (HTML error pages) are kept only this long in a report. */
const TEXT_BODY_LIMIT = 2000;

/**
 * A JSON body longer than this (serialised) is kept as a text excerpt: an answer may be up to --max-answer-bytes,
 * and each of the four files holds it once per probe, so a verbose vendor would otherwise make reports of
 * hundreds of megabytes.
 */
const JSON_BODY_LIMIT = 16 * 1024;

/**
 * Writes the four reports into `outDir` (created if needed) and returns their paths; throws, naming the path, when
 * `outDir` cannot be written. The report is scrubbed of the secrets once more right here, the last step before
 * anything reaches the disk; so is the history, which comes from files anyone could have put in its directory.
 */
export function writeDriftReports(
  report: DriftReport,
  outDir: string,
  secrets: readonly (string | undefined)[],
  history?: DriftHistory,
): string[] {
  // Judged before mkdir, which under /proc loops instead of failing; the caller reports it as "could not check".
  const unwritable = unwritableDirectoryReason(outDir);
  if (unwritable) throw new Error(`${unwritable} (--out)`);
  // Redacted before shortening, so an excerpt never ends inside a secret that redaction would then miss.
  const safe = shortenTextBodies(redact(report, secrets));
  mkdirSync(outDir, { recursive: true });
  const files = [
    [REPORT_FILES.json, `${JSON.stringify(safe, null, 2)}\n`],
    [REPORT_FILES.summary, driftSummary(safe)],
    [REPORT_FILES.junit, driftJunit(safe)],
    [REPORT_FILES.html, driftHtml(safe, history && redact(history, secrets))],
  ] as const;
  return files.map(([name, content]) => {
    const path = join(outDir, name);
    writeFileSync(path, content);
    return path;
  });
}

function shortenTextBodies(report: DriftReport): DriftReport {
  const shorten = (answer: TargetAnswer | null): TargetAnswer | null => {
    if (answer?.kind !== 'answered') return answer;
    if (!answer.bodyIsJson) {
      const text = String(answer.body);
      return text.length > TEXT_BODY_LIMIT ? { ...answer, body: `${text.slice(0, TEXT_BODY_LIMIT)}...` } : answer;
    }
    const json = JSON.stringify(answer.body);
    if (json.length <= JSON_BODY_LIMIT) return answer;
    const excerpt = `${json.slice(0, TEXT_BODY_LIMIT)}... (${json.length} characters of JSON, shortened for the report)`;
    return { ...answer, body: excerpt, bodyIsJson: false };
  };
  return {
    ...report,
    probes: report.probes.map((probe) => ({
      ...probe,
      target: shorten(probe.target) as TargetAnswer,
      mock: shorten(probe.mock),
    })),
  };
}
