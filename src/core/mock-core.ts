import { imageSha256, predictFromImage } from '../image/predicted-face.js';
import { REDACTED } from '../secret-redaction.js';
import { PREDICT_GENDER_PATH } from '../spec/spec-document.js';
import { type Answer, errorAnswer, exampleReason } from './answer.js';
import type { ConfigCheck } from './config/load-mock-config.js';
import type { KeyConfig, MockConfig, Scenario, ScenarioStep } from './config/mock-config.js';
import { MockConfigError } from './config/mock-config-error.js';
import { checkCredentials } from './credentials.js';
import { injectFault, latencyOf } from './faults.js';
import { checkImage } from './image-check.js';
import { buildKeyRegistry, type KeyRegistry, type KeyState, resetKeyRegistry } from './key-registry.js';
import type { MockRequest, RequestBody, RequestHead } from './mock-request.js';
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
  /**
   * The stages that need no body (route, Prefer, credentials, rate limit): either the answer, rendered and
   * journaled, or a ticket to finish the request with its body. Adapters that stream bodies call this first, so a
   * request that is refused anyway is answered without reading (or buffering) its body.
   */
  judgeHead(head: RequestHead): HeadVerdict;
  /** The stages that need the body (body, image, scenarios, quota, faults): the answer, rendered and journaled. */
  judgeBody(ticket: BodyTicket, body: RequestBody): RenderedAnswer;
  /** Both, for adapters that have the whole body at hand (MSW). */
  respond(request: MockRequest): RenderedAnswer;
  /** Forgets calls used, rate windows, sequence positions, the fault sequence and the journal. */
  reset(): void;
  /** Throws MockConfigError (the admin API's message) for scenarios the config schema refuses. */
  replaceScenarios(scenarios: readonly Scenario[]): void;
  /**
   * `undefined`: accept any non-empty id/secret pair again. Forgets the replaced keys' counters. Throws
   * MockConfigError (the admin API's message) for keys the config schema refuses.
   */
  replaceKeys(keys: readonly KeyConfig[] | undefined): void;
  /** The config in force, secrets redacted. */
  effectiveConfig(): MockConfig;
  readonly journal: RequestJournal;
}

/** What the head's stages learnt, handed to the body's stages; opaque to adapters. */
export interface BodyTicket {
  readonly head: RequestHead;
  readonly keyId: string;
  readonly key: KeyState | undefined;
}

export type HeadVerdict = { kind: 'answered'; rendered: RenderedAnswer } | { kind: 'needs-body'; ticket: BodyTicket };

interface Trace {
  body: JournalBody;
  scenario?: string;
}

/** The config file's schema check (`checkMockConfig`), handed in so the core does not load ajv by itself. */
export type ConfigChecker = (value: unknown) => ConfigCheck;

export interface MockCoreOptions {
  /**
   * Guards the initial config and every replacement with the config file's schema, so each entry point refuses
   * what the server refuses, with the same message. Adapters that accept a config pass it; `startMock` without a
   * config leaves it out (a cold start without ajv) and validates at its admin API instead.
   */
  checkConfig?: ConfigChecker;
  /** The clock, for tests of time windows. */
  now?: () => number;
}

export function createMockCore(initial: MockConfig = {}, options: MockCoreOptions = {}): MockCore {
  const now = options.now ?? Date.now;
  const guard = (value: MockConfig): void => {
    const checked = options.checkConfig?.(value);
    if (checked && !checked.ok) throw new MockConfigError(checked.reason);
  };
  guard(initial);
  let config: MockConfig = structuredClone(initial);
  let keys: KeyRegistry = buildKeyRegistry(config.keys);
  let scenarios = new ScenarioBook(config.scenarios ?? []);
  const random = new SeededRandom(config.seed ?? DEFAULT_SEED);
  const journal = new RequestJournal(config.journal?.limit ?? DEFAULT_JOURNAL_LIMIT);

  const isEndpoint = (method: string, path: string) => method === 'POST' && path === PREDICT_GENDER_PATH;

  function withLatency(answer: Answer): Answer {
    const latencyMs = latencyOf(config.latency, random);
    return latencyMs > 0 ? { ...answer, latencyMs } : answer;
  }

  // The pipeline: route -> Prefer -> credentials -> rate limit | body -> image -> scenarios -> quota -> faults.
  function chooseForHead(head: RequestHead): Answer | BodyTicket {
    if (!isEndpoint(head.method, head.path)) return errorAnswer('NOT_FOUND', exampleReason('NOT_FOUND'));
    const preferred = preferredAnswer(head.headers.prefer);
    if (preferred) return preferred;

    const nowMs = now();
    const credentials = checkCredentials(head, keys, nowMs);
    if (!credentials.ok) return credentials.answer;
    const rate = checkRateLimit(credentials.key, nowMs);
    if (!rate.ok) return rate.answer;
    return { head, keyId: credentials.keyId, key: credentials.key };
  }

  function chooseForBody(ticket: BodyTicket, body: RequestBody, trace: Trace): Answer {
    if (body.kind === 'form') trace.body.contentType = body.contentType;
    const field = readImageField(body);
    if (!field.ok) return field.answer;
    // Hashed once here: the journal, the scenario book and the derived result all use this digest.
    const sha256 = imageSha256(field.image);
    trace.body.field = field.field;
    trace.body.imageBytes = field.image.byteLength;
    trace.body.imageSha256 = sha256;
    const image = checkImage(field.image);
    if (!image.ok) return image.answer;

    const scripted = scenarios.take({
      keyId: ticket.keyId,
      field: field.field,
      headers: ticket.head.headers,
      imageSha256: sha256,
    });
    if (scripted) {
      trace.scenario = scripted.scenario.name ?? `#${config.scenarios?.indexOf(scripted.scenario) ?? '?'}`;
      const answer = scriptedAnswer(scripted.step);
      if (answer) return answer;
    }

    const quota = consumeQuota(ticket.key);
    if (!quota.ok) return quota.answer;
    const fault = injectFault(config.faults, random);
    if (!fault.ok) return fault.answer;
    return { kind: 'ok', result: predictFromImage(sha256, image) };
  }

  function renderAndJournal(head: RequestHead, answer: Answer, trace: Trace): RenderedAnswer {
    const rendered = renderAnswer(withLatency(answer));
    journal.record({
      at: new Date().toISOString(),
      method: head.method,
      path: head.path,
      headers: redactHeaders(head.headers),
      body: trace.body,
      status: rendered.status,
      httpCode: rendered.httpCode,
      ...(rendered.requestId === undefined ? {} : { requestId: rendered.requestId }),
      ...(trace.scenario === undefined ? {} : { scenario: trace.scenario }),
    });
    return rendered;
  }

  function judgeHead(head: RequestHead): HeadVerdict {
    const chosen = chooseForHead(head);
    if ('kind' in chosen) {
      return { kind: 'answered', rendered: renderAndJournal(head, chosen, { body: { kind: 'unread' } }) };
    }
    return { kind: 'needs-body', ticket: chosen };
  }

  function judgeBody(ticket: BodyTicket, body: RequestBody): RenderedAnswer {
    const trace: Trace = { body: { kind: body.kind } };
    return renderAndJournal(ticket.head, chooseForBody(ticket, body, trace), trace);
  }

  return {
    isEndpoint,
    judgeHead,
    judgeBody,
    respond(request) {
      const { body, ...head } = request;
      const verdict = judgeHead(head);
      return verdict.kind === 'answered' ? verdict.rendered : judgeBody(verdict.ticket, body);
    },
    reset() {
      resetKeyRegistry(keys);
      scenarios.reset();
      random.reset();
      journal.clear();
    },
    replaceScenarios(next) {
      guard({ scenarios: next as Scenario[] });
      config = { ...config, scenarios: structuredClone([...next]) };
      scenarios = new ScenarioBook(config.scenarios ?? []);
    },
    replaceKeys(next) {
      if (next !== undefined) guard({ keys: next as KeyConfig[] });
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
