import { imageSha256, predictFromImage } from '../image/predicted-face.js';
import { REDACTED } from '../secret-redaction.js';
import { PREDICT_GENDER_PATH } from '../spec/spec-document.js';
import { type Answer, errorAnswer, exampleReason } from './answer.js';
import type { KeyConfig, MockConfig, Scenario, ScenarioStep } from './config/mock-config.js';
import { checkCredentials } from './credentials.js';
import { injectFault, latencyOf } from './faults.js';
import { checkImage } from './image-check.js';
import { buildKeyRegistry, type KeyRegistry, resetKeyRegistry } from './key-registry.js';
import type { MockRequest } from './mock-request.js';
import { preferredAnswer } from './prefer-header.js';
import { consumeQuota } from './quota.js';
import { checkRateLimit } from './rate-limit.js';
import { type RenderedAnswer, renderAnswer } from './rendered-answer.js';
import { readImageField } from './request-body.js';
import { type JournalBody, RequestJournal, redactHeaders } from './request-journal.js';
import { ScenarioBook } from './scenario-book.js';
import { SeededRandom } from './seeded-random.js';

const DEFAULT_JOURNAL_LIMIT = 1000;
const DEFAULT_SEED = 1;

/**
 * The behaviour of the mock, free of any HTTP library: adapters (Express + multer, MSW) turn a request into a
 * `MockRequest`, call `respond`, and send what it returns. All running state (quotas, rate windows, sequences,
 * journal) lives here, so every adapter and the admin API see the same mock.
 */
export interface MockCore {
  /** Whether a request is for the endpoint, so an adapter knows whether its body is worth reading. */
  isEndpoint(method: string, path: string): boolean;
  /** Chooses the answer (and advances counters and sequences), without journaling it. */
  decide(request: MockRequest): Answer;
  /** Chooses, renders and journals the answer: what adapters call. */
  respond(request: MockRequest): RenderedAnswer;
  /** Forgets calls used, rate windows, sequence positions, the fault sequence and the journal. */
  reset(): void;
  replaceScenarios(scenarios: readonly Scenario[]): void;
  /** `undefined`: accept any non-empty id/secret pair again. Forgets the replaced keys' counters. */
  replaceKeys(keys: readonly KeyConfig[] | undefined): void;
  /** The config in force, secrets redacted. */
  effectiveConfig(): MockConfig;
  readonly journal: RequestJournal;
}

interface Trace {
  body: JournalBody;
  scenario?: string;
}

export function createMockCore(initial: MockConfig = {}, now: () => number = Date.now): MockCore {
  let config: MockConfig = structuredClone(initial);
  let keys: KeyRegistry = buildKeyRegistry(config.keys);
  let scenarios = new ScenarioBook(config.scenarios ?? []);
  const random = new SeededRandom(config.seed ?? DEFAULT_SEED);
  const journal = new RequestJournal(config.journal?.limit ?? DEFAULT_JOURNAL_LIMIT);

  const isEndpoint = (method: string, path: string) => method === 'POST' && path === PREDICT_GENDER_PATH;

  function decide(request: MockRequest, trace: Trace = { body: { kind: request.body.kind } }): Answer {
    const answer = choose(request, trace);
    const latencyMs = latencyOf(config.latency, random);
    return latencyMs > 0 ? { ...answer, latencyMs } : answer;
  }

  // The pipeline: route -> Prefer -> credentials -> rate limit -> body -> image -> scenarios -> quota -> faults.
  function choose(request: MockRequest, trace: Trace): Answer {
    if (!isEndpoint(request.method, request.path)) return errorAnswer('NOT_FOUND', exampleReason('NOT_FOUND'));
    const preferred = preferredAnswer(request.headers.prefer);
    if (preferred) return preferred;

    const nowMs = now();
    const credentials = checkCredentials(request, keys, nowMs);
    if (!credentials.ok) return credentials.answer;
    const rate = checkRateLimit(credentials.key, nowMs);
    if (!rate.ok) return rate.answer;

    if (request.body.kind === 'form') trace.body.contentType = request.body.contentType;
    const field = readImageField(request.body);
    if (!field.ok) return field.answer;
    let sha256: string | undefined;
    const hashOnce = (): string => {
      sha256 ??= imageSha256(field.image);
      return sha256;
    };
    trace.body.field = field.field;
    trace.body.imageBytes = field.image.byteLength;
    trace.body.imageSha256 = hashOnce();
    const image = checkImage(field.image);
    if (!image.ok) return image.answer;

    const scripted = scenarios.take({
      keyId: credentials.keyId,
      field: field.field,
      headers: request.headers,
      imageSha256: hashOnce,
    });
    if (scripted) {
      trace.scenario = scripted.scenario.name ?? `#${config.scenarios?.indexOf(scripted.scenario) ?? '?'}`;
      const answer = scriptedAnswer(scripted.step);
      if (answer) return answer;
    }

    const quota = consumeQuota(credentials.key);
    if (!quota.ok) return quota.answer;
    const fault = injectFault(config.faults, random);
    if (!fault.ok) return fault.answer;
    return { kind: 'ok', result: predictFromImage(hashOnce(), image) };
  }

  return {
    isEndpoint,
    decide: (request) => decide(request),
    respond(request) {
      const trace: Trace = { body: { kind: request.body.kind } };
      const rendered = renderAnswer(decide(request, trace));
      journal.record({
        at: new Date().toISOString(),
        method: request.method,
        path: request.path,
        headers: redactHeaders(request.headers),
        body: trace.body,
        status: rendered.body.status,
        httpCode: rendered.httpCode,
        requestId: rendered.body.request_id,
        ...(trace.scenario === undefined ? {} : { scenario: trace.scenario }),
      });
      return rendered;
    },
    reset() {
      resetKeyRegistry(keys);
      scenarios.reset();
      random.reset();
      journal.clear();
    },
    replaceScenarios(next) {
      config = { ...config, scenarios: structuredClone([...next]) };
      scenarios = new ScenarioBook(config.scenarios ?? []);
    },
    replaceKeys(next) {
      const { keys: _replaced, ...rest } = config;
      config = next === undefined ? rest : { ...rest, keys: structuredClone([...next]) };
      keys = buildKeyRegistry(config.keys);
    },
    effectiveConfig() {
      const copy = structuredClone(config);
      for (const key of copy.keys ?? []) key.secret = REDACTED;
      return copy;
    },
    journal,
  };
}

/** A scenario step as an answer; `undefined` for OK without a result, which means "carry on as usual". */
function scriptedAnswer(step: ScenarioStep): Answer | undefined {
  if (step.status === 'OK') return step.result ? { kind: 'ok', result: step.result } : undefined;
  return errorAnswer(step.status, step.reason ?? exampleReason(step.status));
}
