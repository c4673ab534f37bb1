import { imageSha256 } from '../image/predicted-face.js';
import { REDACTED } from '../secret-redaction.js';
import { type Answer, errorAnswer } from './answer.js';
import { buildKeyRegistry, type KeyRegistry, type RegisteredKey } from './config/key-registry.js';
import type { FaultConfig, KeyConfig, LatencyConfig, MockConfig, Scenario } from './config/mock-config.js';
import type { MockRequest, RequestBody, RequestHead } from './mock-request.js';
import { type RenderedAnswer, renderAnswer } from './rendered-answer.js';
import { type StageResult, stop } from './stage-result.js';
import { checkCredentials } from './stages/credentials.js';
import { derivedAnswer } from './stages/derived-answer.js';
import { injectFault, latencyOf } from './stages/faults.js';
import { checkImage } from './stages/image-checks.js';
import { readImageField } from './stages/image-field.js';
import { preferredAnswer } from './stages/prefer-header.js';
import { consumeQuota } from './stages/quota.js';
import { checkRateLimit } from './stages/rate-limit.js';
import { checkRoute, isEndpoint } from './stages/route.js';
import { ScenarioBook } from './stages/scenarios.js';
import { createInMemoryState } from './state/in-memory-state.js';
import { initialStateOf } from './state/initial-state.js';
import {
  type JournalListener,
  type MockState,
  type ReplaceableConfig,
  StateUnavailableError,
  type StateUsage,
} from './state/mock-state.js';
import { type JournalBody, type JournalPage, redactHeaders } from './state/request-journal.js';

/**
 * The behaviour of the mock, free of any HTTP library: adapters (Express + multer, MSW) turn a request into a
 * `MockRequest`, call `judgeHead` then `judgeBody` (or `respond`), and send what they return. The stages
 * (`stages/`) decide; every piece of running state (quotas, rate windows, sequence positions, fault draws, the
 * journal, the keys and scenarios in force) lives behind one `MockState` (`state/`), so every adapter and the
 * admin API see the same mock, and a shared store can stand in for the in-memory one.
 */
export interface MockCore {
  /** Whether a request is for the endpoint, so an adapter knows whether its body is worth reading. */
  isEndpoint(method: string, path: string): boolean;
  /**
   * The stages that need no body (route, Prefer, credentials, rate limit): either the answer, rendered and
   * journaled, or a ticket to finish the request with its body. Adapters that stream bodies call this first, so a
   * request that is refused anyway is answered without reading (or buffering) its body.
   */
  judgeHead(head: RequestHead): Promise<HeadVerdict>;
  /** The stages that need the body (body, image, scenarios, quota, faults, derived answer), rendered and journaled. */
  judgeBody(ticket: BodyTicket, body: RequestBody): Promise<RenderedAnswer>;
  /** Both, for adapters that have the whole body at hand (MSW). */
  respond(request: MockRequest): Promise<RenderedAnswer>;
  /** Forgets calls used, rate windows, sequence positions, the fault sequence and the journal. */
  reset(): Promise<void>;
  /** Sequences restart. */
  replaceScenarios(scenarios: readonly Scenario[]): Promise<void>;
  /** `undefined`: accept any non-empty id/secret pair again. Forgets every key's counters. */
  replaceKeys(keys: readonly KeyConfig[] | undefined): Promise<void>;
  /** Latency and faults change at run time; counters are kept. */
  replaceLatencyAndFaults(settings: {
    latency: LatencyConfig | undefined;
    faults: FaultConfig | undefined;
  }): Promise<void>;
  /** Each used key's counters and each sequence's position, now (the admin API's and the dashboard's view). */
  usage(): Promise<StateUsage>;
  /** Every journal entry as it is recorded (by any mock sharing the state); returns the unsubscribe function. */
  subscribeJournal(listener: JournalListener): () => void;
  /** Releases the state's outside connections (a shared store); call once the server stopped. */
  close(): Promise<void>;
  /** The config in force, secrets redacted. */
  effectiveConfig(): Promise<MockConfig>;
  readonly journal: { list(): Promise<JournalPage>; clear(): Promise<number> };
}

export interface MockCoreOptions {
  /** Where the running state lives; default: in this process. */
  state?: MockState;
  /** The clock for key expiry and rate windows. */
  now?: () => number;
  /** The shared store's URL with its credentials redacted, for the effective config. */
  stateShown?: string;
}

/**
 * The one place where a shared store's outage becomes an answer: the stages never see it, a request that needs
 * state is answered the documented `500 INTERNAL_ERROR` saying the state store is unavailable (not journaled: the
 * journal is in that store), and the next request tries the store again.
 */
async function answerWhenStateFails<T>(judge: () => Promise<T>, answered: (rendered: RenderedAnswer) => T): Promise<T> {
  try {
    return await judge();
  } catch (error) {
    if (!(error instanceof StateUnavailableError)) throw error;
    return answered(renderAnswer(errorAnswer('INTERNAL_ERROR', error.reason)));
  }
}

/** What the head's stages learnt, handed to the body's stages; opaque to adapters. */
export interface BodyTicket {
  readonly head: RequestHead;
  readonly keyId: string;
  readonly key: RegisteredKey | undefined;
  readonly compiled: CompiledConfig;
}

export type HeadVerdict = { kind: 'answered'; rendered: RenderedAnswer } | { kind: 'needs-body'; ticket: BodyTicket };

/** What the body's stages decided, and what they learnt of the body for the journal. */
interface BodyOutcome {
  answer: Answer;
  journalBody: JournalBody;
  scenario?: string;
}

/** One version of the replaceable config, compiled for the stages. */
interface CompiledConfig {
  readonly version: number;
  readonly keys: KeyRegistry;
  readonly scenarios: ScenarioBook;
  readonly latency: LatencyConfig | undefined;
  readonly faults: FaultConfig | undefined;
}

export function createMockCore(initial: MockConfig = {}, options: MockCoreOptions = {}): MockCore {
  const copy = structuredClone(initial);
  // `state` is the store's URL, which may carry a password: the effective config shows the redacted form only.
  const { keys: _keys, scenarios: _scenarios, latency: _latency, faults: _faults, state: _url, ...fixed } = copy;
  const state = options.state ?? createInMemoryState(initialStateOf(copy));
  const now = options.now ?? Date.now;
  let compiled: CompiledConfig | undefined;

  /** The stages' view of the keys and scenarios in force, compiled again only when their version changed. */
  async function currentConfig(): Promise<CompiledConfig> {
    const replaceable: ReplaceableConfig = await state.readConfig();
    if (compiled?.version !== replaceable.version) {
      compiled = {
        version: replaceable.version,
        keys: buildKeyRegistry(replaceable.keys),
        scenarios: new ScenarioBook(replaceable.scenarios, replaceable.version),
        latency: replaceable.latency,
        faults: replaceable.faults,
      };
    }
    return compiled;
  }

  // route -> Prefer -> credentials -> rate limit; each stage answers or lets the request pass.
  async function judgeHeadStages(
    head: RequestHead,
    config: CompiledConfig,
  ): Promise<StageResult<{ ticket: BodyTicket }>> {
    const route = checkRoute(head);
    if (!route.ok) return route;
    const preferred = preferredAnswer(head.headers.prefer);
    if (preferred) return stop(preferred);

    const nowMs = now();
    const credentials = checkCredentials(head, config.keys, nowMs);
    if (!credentials.ok) return credentials;
    const rate = await checkRateLimit(credentials.key, state, nowMs);
    if (!rate.ok) return rate;
    return { ok: true, ticket: { head, keyId: credentials.keyId, key: credentials.key, compiled: config } };
  }

  // body -> image -> scenarios -> quota -> faults -> derived answer.
  async function judgeBodyStages(ticket: BodyTicket, body: RequestBody): Promise<BodyOutcome> {
    const read = readImageField(body);
    if (!read.ok) {
      return {
        answer: read.answer,
        journalBody: body.kind === 'form' ? { kind: body.kind, contentType: body.contentType } : { kind: body.kind },
      };
    }
    // Hashed once here: the journal, the scenario book and the derived answer all use this digest.
    const sha256 = imageSha256(read.image);
    const journalBody: JournalBody = {
      kind: body.kind,
      ...(body.kind === 'form' ? { contentType: body.contentType } : {}),
      field: read.field,
      imageBytes: read.image.byteLength,
      imageSha256: sha256,
    };
    const image = checkImage(read.image);
    if (!image.ok) return { answer: image.answer, journalBody };

    const context = { keyId: ticket.keyId, field: read.field, headers: ticket.head.headers, imageSha256: sha256 };
    const scripted = await ticket.compiled.scenarios.take(context, state);
    if (scripted?.answer) return { answer: scripted.answer, journalBody, scenario: scripted.scenario };

    const quota = await consumeQuota(ticket.key, state);
    const fault = quota.ok ? await injectFault(ticket.compiled.faults, state) : quota;
    const answer = fault.ok ? derivedAnswer(sha256, image) : fault.answer;
    return scripted ? { answer, journalBody, scenario: scripted.scenario } : { answer, journalBody };
  }

  async function renderAndJournal(
    head: RequestHead,
    config: CompiledConfig,
    answer: Answer,
    journalBody: JournalBody,
    scenario: string | undefined,
  ): Promise<RenderedAnswer> {
    const latencyMs = await latencyOf(config.latency, state);
    const rendered = renderAnswer(latencyMs > 0 ? { ...answer, latencyMs } : answer);
    await state.appendJournal({
      at: new Date().toISOString(),
      method: head.method,
      path: head.path,
      headers: redactHeaders(head.headers),
      body: journalBody,
      status: rendered.body.status,
      httpCode: rendered.httpCode,
      requestId: rendered.body.request_id,
      ...(scenario === undefined ? {} : { scenario }),
    });
    return rendered;
  }

  async function judgeHead(head: RequestHead): Promise<HeadVerdict> {
    return answerWhenStateFails(
      async () => {
        // Read once per request, even for answers that need no key (route, Prefer): latency applies to them too,
        // and with a shared store each read is a round trip.
        const config = await currentConfig();
        const passed = await judgeHeadStages(head, config);
        if (passed.ok) return { kind: 'needs-body', ticket: passed.ticket };
        const rendered = await renderAndJournal(head, config, passed.answer, { kind: 'unread' }, undefined);
        return { kind: 'answered', rendered };
      },
      (rendered) => ({ kind: 'answered', rendered }),
    );
  }

  async function judgeBody(ticket: BodyTicket, body: RequestBody): Promise<RenderedAnswer> {
    return answerWhenStateFails(
      async () => {
        const outcome = await judgeBodyStages(ticket, body);
        return renderAndJournal(ticket.head, ticket.compiled, outcome.answer, outcome.journalBody, outcome.scenario);
      },
      (rendered) => rendered,
    );
  }

  return {
    isEndpoint,
    judgeHead,
    judgeBody,
    async respond(request) {
      const { body, ...head } = request;
      const verdict = await judgeHead(head);
      return verdict.kind === 'answered' ? verdict.rendered : judgeBody(verdict.ticket, body);
    },
    reset: () => state.reset(),
    async replaceScenarios(next) {
      await state.replaceScenarios(structuredClone([...next]));
    },
    async replaceKeys(next) {
      await state.replaceKeys(next === undefined ? undefined : structuredClone([...next]));
    },
    async replaceLatencyAndFaults(settings) {
      await state.replaceLatencyAndFaults(structuredClone(settings));
    },
    usage: () => state.readUsage(now()),
    subscribeJournal: (listener) => state.subscribeJournal(listener),
    close: () => state.close(),
    async effectiveConfig() {
      const { keys, scenarios, latency, faults } = await state.readConfig();
      const copy: MockConfig = structuredClone({
        ...fixed,
        ...(options.stateShown === undefined ? {} : { state: options.stateShown }),
        ...(keys === undefined ? {} : { keys: [...keys] }),
        ...(scenarios === undefined ? {} : { scenarios: [...scenarios] }),
        ...(latency === undefined ? {} : { latency }),
        ...(faults === undefined ? {} : { faults }),
      });
      for (const key of copy.keys ?? []) key.secret = REDACTED;
      return copy;
    },
    journal: { list: () => state.listJournal(), clear: () => state.clearJournal() },
  };
}
