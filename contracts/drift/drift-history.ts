import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { DriftExitCode } from './drift-report-types.js';
import { FINDING_CLASSES, type FindingClass } from './finding-class.js';

/** One earlier night, reduced to what the plots show. */
export interface Night {
  checkedAt: string;
  target: string;
  exitCode: DriftExitCode;
  findings: Record<FindingClass, number>;
  /** The median and the largest of the target's per-probe latencies that night; null when nothing was answered. */
  latencyP50Ms: number | null;
  latencyMaxMs: number | null;
  /** The 95th percentile of the same latencies: what the `latency` finding compares night to night. */
  latencyP95Ms: number | null;
  /** Each answered probe's latency and the status value it answered (null when the body had none): fitted by
   * `accuauth-kit latency-profile`. */
  answers: ProbeLatency[];
  /** The file it was read from. */
  source: string;
}

export interface ProbeLatency {
  latencyMs: number;
  status: string | null;
}

export interface DriftHistory {
  /** The nights read, oldest first. */
  nights: Night[];
  /** Every file or directory that was skipped, and why: shown in the report, never thrown. */
  notes: string[];
}

/** Files over this size are not drift reports of ours (one is a few hundred kilobytes at most). */
const MAX_REPORT_BYTES = 20 * 1024 * 1024;

/**
 * The part of a drift-report.json the plots read, as a JSON Schema: files written before findings had classes or
 * latencies (which count as contract findings, and take the target's durationMs) still validate.
 */
const NIGHT_SCHEMA = {
  type: 'object',
  required: ['checkedAt', 'target', 'exitCode', 'probes'],
  properties: {
    checkedAt: { type: 'string', format: 'date-time' },
    target: { type: 'string' },
    exitCode: { enum: [0, 1, 2] },
    probes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['probe', 'findings', 'target'],
        properties: {
          probe: { type: 'string' },
          findings: { type: 'array', items: { type: 'string' } },
          classedFindings: {
            type: 'array',
            items: {
              type: 'object',
              required: ['class'],
              properties: { class: { enum: [...FINDING_CLASSES] } },
            },
          },
          latencyMs: { type: ['number', 'null'], minimum: 0 },
          target: {
            type: 'object',
            required: ['kind'],
            properties: { kind: { type: 'string' }, durationMs: { type: 'number', minimum: 0 } },
          },
        },
      },
    },
  },
} as const;

interface StoredProbe {
  findings: string[];
  classedFindings?: { class: FindingClass }[];
  latencyMs?: number | null;
  target: { kind: string; durationMs?: number; body?: unknown };
}

interface StoredReport {
  checkedAt: string;
  target: string;
  exitCode: DriftExitCode;
  probes: StoredProbe[];
}

let validator: ValidateFunction<StoredReport> | undefined;

function validateStoredReport(value: unknown): value is StoredReport {
  if (!validator) {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: false, allowUnionTypes: true });
    ajv.addFormat('date-time', (text: string) => /^\d{4}-\d\d-\d\dT/.test(text) && !Number.isNaN(Date.parse(text)));
    validator = ajv.compile<StoredReport>(NIGHT_SCHEMA);
  }
  return validator(value);
}

/**
 * Reads every `*.json` file directly in `dir` as an earlier night's drift report. A history is whatever a CI cache
 * or a person left in a directory, so nothing in it may stop the night's check: a missing directory, a file that is
 * not JSON, JSON that is not a drift report, and anything else is skipped with a note saying which and why.
 */
export function readDriftHistory(dir: string): DriftHistory {
  const notes: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (error) {
    return { nights: [], notes: [`history directory ${dir} could not be read (${errorCode(error)}); no trend shown`] };
  }
  const nights: Night[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const skip = (why: string) => notes.push(`skipped ${name}: ${why}`);
    if (!name.endsWith('.json')) {
      skip('not a .json file');
      continue;
    }
    let text: string;
    try {
      const stats = statSync(path);
      if (!stats.isFile()) {
        skip('not a file');
        continue;
      }
      if (stats.size > MAX_REPORT_BYTES) {
        skip(`${stats.size} bytes, too large for a drift report`);
        continue;
      }
      text = readFileSync(path, 'utf8');
    } catch (error) {
      skip(`could not be read (${errorCode(error)})`);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      skip('not valid JSON');
      continue;
    }
    if (!validateStoredReport(value)) {
      const first = validator?.errors?.[0];
      skip(`not a drift report (${first ? `${first.instancePath || 'the document'} ${first.message}` : 'unknown'})`);
      continue;
    }
    nights.push(nightOf(value, name));
  }
  nights.sort((a, b) => Date.parse(a.checkedAt) - Date.parse(b.checkedAt));
  return { nights, notes };
}

/** A report (this night's, or one read back) reduced to a point of the plots. */
export function nightOf(report: StoredReport, source: string): Night {
  const findings = Object.fromEntries(FINDING_CLASSES.map((kind) => [kind, 0])) as Record<FindingClass, number>;
  const answers: ProbeLatency[] = [];
  for (const probe of report.probes) {
    // A night that could not check (vendor down, key refused) compared nothing: its probes' complaints are the
    // outage's, not drift, and the plot shows that night as "could not check" instead.
    const classes =
      report.exitCode === 2
        ? []
        : (probe.classedFindings?.map((finding) => finding.class) ?? probe.findings.map(() => 'contract'));
    for (const kind of classes) findings[kind as FindingClass] += 1;
    const latency =
      probe.latencyMs !== undefined
        ? probe.latencyMs
        : probe.target.kind === 'answered'
          ? (probe.target.durationMs ?? null)
          : null;
    if (latency !== null) answers.push({ latencyMs: latency, status: bodyStatus(probe.target.body) });
  }
  const latencies = answers.map((answer) => answer.latencyMs).sort((a, b) => a - b);
  return {
    checkedAt: report.checkedAt,
    target: report.target,
    exitCode: report.exitCode,
    findings,
    latencyP50Ms: median(latencies),
    latencyMaxMs: latencies.at(-1) ?? null,
    latencyP95Ms: latencies.length === 0 ? null : quantileOf(latencies, 0.95),
    answers,
    source,
  };
}

/**
 * The nights to plot: the history's nights of the same target, then this one. A night checked against another
 * target (a manual run against a staging host) would mix two services in one line, so it is left out with a note;
 * so is the previous copy of this very report, when the history directory is the output directory.
 */
export function nightsToPlot(history: DriftHistory, tonight: Night): { nights: Night[]; notes: string[] } {
  const notes = [...history.notes];
  const nights: Night[] = [];
  for (const night of history.nights) {
    if (night.target !== tonight.target) {
      notes.push(`skipped ${night.source}: checked another target (${night.target})`);
    } else if (night.checkedAt !== tonight.checkedAt) {
      nights.push(night);
    }
  }
  nights.push(tonight);
  return { nights, notes };
}

/**
 * The `fraction` quantile of sorted values, linear between the closest ranks (the common "type 7" definition, as
 * numpy and spreadsheets compute it), so a profile's p95 matches what a person computes from the same numbers.
 */
export function quantileOf(sorted: readonly number[], fraction: number): number {
  const position = (sorted.length - 1) * fraction;
  const below = Math.floor(position);
  const low = sorted[below] as number;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return low + (position - below) * (high - low);
}

function bodyStatus(body: unknown): string | null {
  const status = typeof body === 'object' && body !== null ? (body as { status?: unknown }).status : undefined;
  return typeof status === 'string' ? status : null;
}

export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(error);
}
