import { unwrapFetchFailure } from '../../src/fetch-failure.js';
import { redact } from '../../src/secret-redaction.js';
import { credentialHeaders as specCredentialHeaders } from '../../src/spec/credential-headers.js';
import {
  answerTooLargeMessage,
  DEFAULT_MAX_ANSWER_BYTES,
  redirectTarget,
  sendToVendor,
} from '../../src/vendor/vendor-request.js';
import { VENDOR_TIMEOUT_MS } from '../../src/vendor-timeouts.js';
import { FAKE_CREDENTIALS, type Probe, type ProbeBody, type ProbeRequest } from '../probes/probe-catalogue.js';
import {
  type Answered,
  expectationProblems,
  type FaceBoxReading,
  meetsUndocumented,
  seenOutcome,
  specProblems,
  type TargetAnswer,
} from './judge-answer.js';

export interface ProbeTarget {
  baseUrl: string;
  apiId?: string | undefined;
  apiSecret?: string | undefined;
  /** How long to wait for each answer, headers and body; 10 s when not given. */
  timeoutMs?: number;
  /** The most decoded bytes read of each answer; DEFAULT_MAX_ANSWER_BYTES when not given. */
  maxAnswerBytes?: number;
}

export interface ProbeOutcome {
  probe: Probe;
  /** Method and URL as sent (the URL carries no credentials: they travel in headers). */
  sent: { method: string; url: string };
  answer: TargetAnswer;
  /** What the spec forbids in the answer, whatever was asked. */
  specProblems: string[];
  /** How the answer differs from the ones the probe allows. */
  expectationProblems: string[];
  passed: boolean;
}

const DEFAULT_TIMEOUT_MS = VENDOR_TIMEOUT_MS.probe;

export interface RunProbeOptions {
  /**
   * Scrub the target's secrets from the recorded answer and problems (default true). The drift check turns it off
   * to compare the raw answers, and scrubs its whole report instead: comparing scrubbed bodies would report a
   * difference wherever a short secret happens to occur in a vendor's text.
   */
  redactSecrets?: boolean;
  /** How to read face_box (decision face-box): the reference mock's alternative, or `any`; default `ltrb`. */
  faceBox?: FaceBoxReading;
  /**
   * A `Date.now()` instant by which the whole run ends: each probe waits at most what is left of it, and the probes
   * not sent by then are recorded unanswered. Bounds a run against a target that never answers.
   */
  deadline?: number;
}

/**
 * Sends each probe to the target over real HTTP, one after another (a live run must stay gentle and bounded), and
 * judges each answer against the spec and the probe's expectation. Never throws for a target that fails: a timeout
 * or a refused connection is an outcome like any other.
 */
export async function runProbes(
  target: ProbeTarget,
  probes: readonly Probe[],
  options: RunProbeOptions = {},
): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = [];
  for (const probe of probes) {
    const left = options.deadline === undefined ? Number.POSITIVE_INFINITY : options.deadline - Date.now();
    if (left <= 0) {
      outcomes.push(notSent(target, probe));
      continue;
    }
    const timeoutMs = Math.min(target.timeoutMs ?? DEFAULT_TIMEOUT_MS, Math.ceil(left));
    outcomes.push(await runProbe({ ...target, timeoutMs }, probe, options));
  }
  return outcomes;
}

/** A probe the run's deadline left no time for: unanswered, like a timeout, and saying why. */
function notSent(target: ProbeTarget, probe: Probe): ProbeOutcome {
  const message = "not sent: the run's deadline had passed";
  return {
    probe,
    sent: { method: probe.request.method, url: new URL(probe.request.path, target.baseUrl).toString() },
    answer: { kind: 'no-answer', cause: 'timeout', message, durationMs: 0 },
    specProblems: [message],
    expectationProblems: [],
    passed: false,
  };
}

export async function runProbe(
  target: ProbeTarget,
  probe: Probe,
  options: RunProbeOptions = {},
): Promise<ProbeOutcome> {
  const url = new URL(probe.request.path, target.baseUrl).toString();
  const answer = await send(url, probe.request, target);
  const judged = judge(answer, probe, target.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.faceBox ?? 'ltrb');
  const passed = judged.specProblems.length === 0 && judged.expectationProblems.length === 0;
  const recorded = { answer, ...judged };
  // The probe itself is catalogue data without credentials; only what came back from the target needs scrubbing.
  const safe = options.redactSecrets === false ? recorded : redact(recorded, [target.apiId, target.apiSecret]);
  return { probe, sent: { method: probe.request.method, url }, ...safe, passed };
}

function judge(
  answer: TargetAnswer,
  probe: Probe,
  timeoutMs: number,
  faceBox: FaceBoxReading,
): Pick<ProbeOutcome, 'specProblems' | 'expectationProblems'> {
  if (answer.kind === 'no-answer') {
    const problem = answer.cause === 'timeout' ? `no answer within ${timeoutMs} ms` : `no answer: ${answer.message}`;
    return { specProblems: [problem], expectationProblems: [] };
  }
  const seen = seenOutcome(answer);
  return {
    // An answer a decision's alternative predicts outside the vendor's document (the 405 of other-methods) is not
    // held to the spec's content type and body.
    specProblems: meetsUndocumented(seen, probe.expected) ? [] : specProblems(answer, faceBox),
    expectationProblems: expectationProblems(seen, probe.expected),
  };
}

async function send(url: string, request: ProbeRequest, target: ProbeTarget): Promise<TargetAnswer> {
  const timeoutMs = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { body, contentType } = encodeBody(request.body);
  const headers: Record<string, string> = { ...credentialHeaders(request, target) };
  if (contentType) headers['content-type'] = contentType;
  const sent = await sendToVendor({
    configuredBaseUrl: target.baseUrl,
    url,
    method: request.method,
    headers,
    body,
    timeoutMs,
    maxAnswerBytes: target.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES,
  });
  const { httpCode, contentType: answeredType, durationMs } = sent.kind === 'no-answer' ? EMPTY_HEAD : sent;
  switch (sent.kind) {
    case 'no-answer':
      return sent.cause === 'timeout'
        ? {
            kind: 'no-answer',
            cause: 'timeout',
            message: `no answer within ${timeoutMs} ms`,
            durationMs: sent.durationMs,
          }
        : { kind: 'no-answer', cause: 'network', message: networkMessage(sent.error), durationMs: sent.durationMs };
    case 'redirected': {
      // A 3xx is the target's answer to the probe: judged (a finding), never followed with the key.
      const unread = `HTTP ${httpCode} ${redirectTarget(sent.location, url)}, not followed`;
      return { kind: 'answered', httpCode, contentType: answeredType, body: '', bodyIsJson: false, durationMs, unread };
    }
    case 'too-large': {
      const unread = answerTooLargeMessage(sent.limit);
      const excerpt = `${sent.excerpt}...`;
      return {
        kind: 'answered',
        httpCode,
        contentType: answeredType,
        body: excerpt,
        bodyIsJson: false,
        durationMs,
        unread,
      };
    }
    case 'answered': {
      const parsed = parseJson(sent.text);
      const answer: Answered = {
        kind: 'answered',
        httpCode,
        contentType: answeredType,
        body: parsed.ok ? parsed.value : sent.text,
        bodyIsJson: parsed.ok,
        durationMs,
      };
      return answer;
    }
  }
}

const EMPTY_HEAD = { httpCode: 0, contentType: '', durationMs: 0 };

/** The header names come from the spec's security schemes, so a renamed header is changed in one place. */
function credentialHeaders(request: ProbeRequest, target: ProbeTarget): Record<string, string> {
  const { apiId: idHeader, apiSecret: secretHeader } = specCredentialHeaders();
  const pair = (apiId: string | undefined, apiSecret: string | undefined): Record<string, string> => ({
    ...(apiId ? { [idHeader]: apiId } : {}),
    ...(apiSecret ? { [secretHeader]: apiSecret } : {}),
  });
  switch (request.credentials) {
    case 'target':
      return pair(target.apiId, target.apiSecret);
    case 'fake':
      return pair(FAKE_CREDENTIALS.apiId, FAKE_CREDENTIALS.apiSecret);
    case 'id-only':
      return pair(target.apiId ?? FAKE_CREDENTIALS.apiId, undefined);
    case 'none':
      return {};
  }
}

/** The fetch body and its content type; FormData sets its own multipart boundary. */
function encodeBody(body: ProbeBody): { body: BodyInit | undefined; contentType: string | undefined } {
  switch (body.kind) {
    case 'none':
      return { body: undefined, contentType: undefined };
    case 'json':
      return { body: JSON.stringify(body.value), contentType: 'application/json' };
    case 'urlencoded':
      return { body: new URLSearchParams(body.fields), contentType: undefined };
    case 'multipart': {
      const form = new FormData();
      for (const part of body.parts) {
        if ('value' in part) form.append(part.name, part.value);
        else
          form.append(
            part.name,
            new Blob([part.data as Uint8Array<ArrayBuffer>], { type: part.contentType }),
            part.filename,
          );
      }
      return { body: form, contentType: undefined };
    }
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** undici reports every failure as "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND, ...) is its cause. */
function networkMessage(error: unknown): string {
  const { code, message } = unwrapFetchFailure(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
