import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Recording } from '../../src/cassette/cassette.js';
import { imagePathOf, readCassetteFile } from '../../src/cassette/cassette-file.js';
import { sendUpload } from '../../src/cassette/cassette-recorder.js';
import { imageSha256 } from '../../src/image/predicted-face.js';
import type { DecisionChoice } from '../../src/spec/decision-catalogue.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import type { TargetAnswer } from '../conformance/judge-answer.js';
import { type BehaviourTolerance, compareBehaviour } from './compare-behaviour.js';
import type { ProbeDrift } from './drift-report-types.js';

/**
 * Behavioural drift: each cassette image is sent again to the target and today's answer compared with
 * the recorded one (`compareBehaviour`): a model update shows as a flipped gender, a moved confidence or face box.
 * Every recording is accounted for: a re-sent image is compared, an image that is missing or whose bytes changed
 * since the recording is a finding (never silently skipped), and images past the call cap are listed as not sent.
 */
export interface BehaviourDriftOptions {
  /** Cassette files; each recording's image is read from its path relative to its cassette. */
  cassettes: readonly string[];
  target: { baseUrl: string; apiId: string; apiSecret: string };
  tolerance: BehaviourTolerance;
  /** At most this many images are sent (each is a paid call). */
  maxCalls: number;
  timeoutMs: number;
  /** The most decoded bytes read of each answer (`--max-answer-bytes`). */
  maxAnswerBytes: number;
  /** The face-box decision in force, to read both boxes by; default the spec's. */
  faceBox?: DecisionChoice<'face-box'>;
}

/** What the JSON report and the summary say about the behaviour check besides its per-image findings. */
export interface BehaviourSummary {
  cassettes: string[];
  /** Recordings in the cassettes (an image in two cassettes counts once). */
  images: number;
  callsSpent: number;
  maxCalls: number;
  tolerance: BehaviourTolerance;
  /** Images not re-sent because the cap was reached. */
  notSent: string[];
}

export type BehaviourDriftResult =
  | { ok: true; drifts: ProbeDrift[]; summary: BehaviourSummary }
  /** A cassette that cannot be read: the check cannot say what was recorded. */
  | { ok: false; reason: string };

/** How a cassette image's entry in the reports is named (`cassette: ../faces/ana.jpg`); the HTML labels its reference. */
export const CASSETTE_PROBE_PREFIX = 'cassette: ';

const CHECKS = 'the same image gets the answer recorded in the cassette (behaviour: a model update shows here)';

export async function runBehaviourDrift(options: BehaviourDriftOptions): Promise<BehaviourDriftResult> {
  const recordings: { cassette: string; recording: Recording }[] = [];
  const seen = new Set<string>();
  for (const cassette of options.cassettes) {
    const read = await readCassetteFile(cassette);
    if (!read.ok) return { ok: false, reason: read.missing ? `cassette ${cassette} does not exist` : read.reason };
    for (const recording of read.cassette.recordings) {
      if (seen.has(recording.image.sha256)) continue;
      seen.add(recording.image.sha256);
      recordings.push({ cassette, recording });
    }
  }
  const drifts: ProbeDrift[] = [];
  const notSent: string[] = [];
  let callsSpent = 0;
  for (const { cassette, recording } of recordings) {
    const name = recording.image.path ?? recording.image.sha256;
    const before = recordedAnswer(recording);
    // Findings sit under the probe `cassette: <path>`, which names the image: they do not repeat it.
    const unusable = (finding: string, after: TargetAnswer): ProbeDrift =>
      behaviourDrift(name, recording, [finding], before, after);
    if (recording.image.path === undefined) {
      // Recorded by the proxy from a caller's upload: no file to send again. Said once per image, every night.
      drifts.push(
        unusable('recorded by the proxy without an image file; add the image beside the cassette and record it', {
          kind: 'no-answer',
          cause: 'network',
          message: 'not sent: no image file',
          durationMs: 0,
        }),
      );
      continue;
    }
    const file = imagePathOf(cassette, recording.image.path);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      drifts.push(
        unusable(
          `the image cannot be read from ${file} (${code}); restore it or record the cassette again`,
          notRead(code),
        ),
      );
      continue;
    }
    const sha256 = imageSha256(bytes);
    if (sha256 !== recording.image.sha256) {
      drifts.push(
        unusable(
          `the image's bytes changed since the recording (sha256 ${sha256}, recorded ${recording.image.sha256}); ` +
            'restore it or record the cassette again',
          notRead('changed'),
        ),
      );
      continue;
    }
    if (callsSpent >= options.maxCalls) {
      notSent.push(name);
      continue;
    }
    callsSpent += 1;
    const started = performance.now();
    const upload = { field: recording.field, bytes, filename: basename(file) };
    const bounds = { timeoutMs: options.timeoutMs, maxAnswerBytes: options.maxAnswerBytes };
    const sent = await sendUpload(options.target, upload, bounds);
    const durationMs = performance.now() - started;
    if (!sent.ok) {
      // A redirect or an answer past the bound is a finding in its own words; anything else has no JSON answer.
      drifts.push(
        unusable(sent.kind === 'unusable' ? `no JSON answer: ${sent.reason}` : sent.reason, {
          kind: 'no-answer',
          cause: 'network',
          message: sent.reason,
          durationMs,
        }),
      );
      continue;
    }
    const after: TargetAnswer = { ...asAnswered(sent.answer), durationMs };
    const changes = compareBehaviour(before, sent.answer, options.tolerance, options.faceBox);
    drifts.push(
      behaviourDrift(
        name,
        recording,
        changes.map((change) => change.detail),
        before,
        after,
      ),
    );
  }
  return {
    ok: true,
    drifts,
    summary: {
      cassettes: [...options.cassettes],
      images: recordings.length,
      callsSpent,
      maxCalls: options.maxCalls,
      tolerance: { ...options.tolerance },
      notSent,
    },
  };
}

function behaviourDrift(
  name: string,
  recording: Recording,
  findings: string[],
  before: TargetAnswer,
  after: TargetAnswer,
): ProbeDrift {
  const { bytes, format, width, height } = recording.image;
  const size = width !== undefined && height !== undefined ? `, ${width}x${height}` : '';
  return {
    probe: `${CASSETTE_PROBE_PREFIX}${name}`,
    checks: CHECKS,
    decisions: [],
    spendsQuota: true,
    findings,
    classedFindings: findings.map((finding) => ({ class: 'behaviour', finding })),
    request: {
      method: 'POST',
      path: PREDICT_GENDER_PATH,
      credentials: 'the key under test (X-DF-API-ID and X-DF-API-SECRET)',
      body: `multipart/form-data: ${recording.field} = "${name}" (${format ?? 'image'}, ${bytes.toLocaleString('en')} bytes${size})`,
    },
    latencyMs: after.kind === 'answered' ? after.durationMs : null,
    target: after,
    // The reference is the recording: "before", beside today's answer.
    mock: before,
    mockProblems: [],
  };
}

function recordedAnswer(recording: Recording): Extract<TargetAnswer, { kind: 'answered' }> {
  return { ...asAnswered(recording.answer), durationMs: 0 };
}

function asAnswered(answer: {
  httpCode: number;
  body: unknown;
}): Omit<Extract<TargetAnswer, { kind: 'answered' }>, 'durationMs'> {
  return {
    kind: 'answered',
    httpCode: answer.httpCode,
    contentType: 'application/json',
    body: answer.body,
    bodyIsJson: true,
  };
}

function notRead(why: string | undefined): TargetAnswer {
  return {
    kind: 'no-answer',
    cause: 'network',
    message: `not sent: the image file is ${why ?? 'unreadable'}`,
    durationMs: 0,
  };
}
