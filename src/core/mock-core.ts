import type { DecisionProfile } from '../generated/decisions.js';
import { imageSha256 } from '../image/predicted-face.js';
import { REDACTED } from '../secret-redaction.js';
import type { Answer } from './answer.js';
import { buildKeyRegistry, type KeyRegistry, type RegisteredKey } from './config/key-registry.js';
import type { ConfigCheck } from './config/load-mock-config.js';
import type { FaultConfig, KeyConfig, LatencyConfig, MockConfig, Scenario } from './config/mock-config.js';
import { MockConfigError } from './config/mock-config-error.js';
import { decidedImageConstraints, resolveDecisions } from './decision-profile.js';
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
import type { JournalListener, MockState, ReplaceableConfig, StateUsage } from './state/mock-state.js';
import { type JournalBody, type JournalPage, redactHeaders } from './state/request-journal.js';

const DEFAULT_JOURNAL_LIMIT = 1000;
const DEFAULT_SEED = 1;

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
   * The decisions in force (the config's `decisions:` over the spec's choices), fixed for the core's life. Adapters
   * derive their body limits from it (`bodyLimits(core.decisions)`), so they cut off where the image check refuses.
   */
  readonly decisions: DecisionProfile;
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
  /** Sequences restart. Rejects with MockConfigError (the admin API's message) for scenarios the schema refuses. */
  replaceScenarios(scenarios: readonly Scenario[]): Promise<void>;
  /**
   * `undefined`: accept any non-empty id/secret pair again. Forgets every key's counters. Rejects with
   * MockConfigError (the admin API's message) for keys the config schema refuses.
   */
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
  /**
   * Guards the initial config and every replacement with the config file's schema, so each entry point refuses
   * what the server refuses, with the same message. Adapters that accept a config pass it; `startMock` without a
   * config leaves it out (a cold start without ajv) and validates at its admin API instead.
   */
  checkConfig?: ConfigChecker;
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

/** The config file's schema check (`checkMockConfig`), handed in so the core does not load ajv by itself. */
export type ConfigChecker = (value: unknown) => ConfigCheck;

export function createMockCore(initial: MockConfig = {}, options: MockCoreOptions = {}): MockCore {
  const guard = (value: MockConfig): void => {
    const checked = options.checkConfig?.(value);
    if (checked && !checked.ok) throw new MockConfigError(checked.reason);
  };
  guard(initial);
  const {
    keys: initialKeys,
    scenarios: initialScenarios,
    latency: initialLatency,
    faults: initialFaults,
    ...fixed
  } = structuredClone(initial);
  const state =
    options.state ??
    createInMemoryState({
      keys: initialKeys,
      scenarios: initialScenarios,
      latency: initialLatency,
      faults: initialFaults,
      seed: fixed.seed ?? DEFAULT_SEED,
      journalLimit: fixed.journal?.limit ?? DEFAULT_JOURNAL_LIMIT,
    });
  const now = options.now ?? Date.now;
  // Decisions are fixed for the core's life (not replaceable at run time): the adapters' streaming limits are
  // derived from them once, when they start.
  const decisions = resolveDecisions(fixed.decisions);
  const constraints = decidedImageConstraints(decisions);
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
  async function judgeHeadStages(head: RequestHead): Promise<StageResult<{ ticket: BodyTicket }>> {
    const route = checkRoute(head, decisions['other-methods']);
    if (!route.ok) return route;
    const preferred = preferredAnswer(head.headers.prefer);
    if (preferred) return stop(preferred);

    const config = await currentConfig();
    const nowMs = now();
    const credentials = checkCredentials(head, config.keys, nowMs);
    if (!credentials.ok) return credentials;
    const rate = await checkRateLimit(credentials.key, state, nowMs);
    if (!rate.ok) return rate;
    return { ok: true, ticket: { head, keyId: credentials.keyId, key: credentials.key, compiled: config } };
  }

  // body -> image -> scenarios -> quota -> faults -> derived answer.
  async function judgeBodyStages(ticket: BodyTicket, body: RequestBody): Promise<BodyOutcome> {
    const read = readImageField(body, decisions, constraints.maxBytes);
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
    const image = checkImage(read.image, read.declaredType, constraints, decisions);
    if (!image.ok) return { answer: image.answer, journalBody };

    const context = { keyId: ticket.keyId, field: read.field, headers: ticket.head.headers, imageSha256: sha256 };
    const scripted = await ticket.compiled.scenarios.take(context, state);
    if (scripted?.answer) return { answer: scripted.answer, journalBody, scenario: scripted.scenario };

    const quota = await consumeQuota(ticket.key, state);
    const fault = quota.ok ? await injectFault(ticket.compiled.faults, state) : quota;
    const answer = fault.ok ? derivedAnswer(sha256, image, decisions['face-box']) : fault.answer;
    return scripted ? { answer, journalBody, scenario: scripted.scenario } : { answer, journalBody };
  }

  async function renderAndJournal(
    head: RequestHead,
    answer: Answer,
    journalBody: JournalBody,
    scenario: string | undefined,
  ): Promise<RenderedAnswer> {
    const latencyMs = await latencyOf((await currentConfig()).latency, state);
    const rendered = renderAnswer(latencyMs > 0 ? { ...answer, latencyMs } : answer);
    await state.appendJournal({
      at: new Date().toISOString(),
      method: head.method,
      path: head.path,
      headers: redactHeaders(head.headers),
      body: journalBody,
      status: rendered.status,
      httpCode: rendered.httpCode,
      ...(rendered.requestId === undefined ? {} : { requestId: rendered.requestId }),
      ...(scenario === undefined ? {} : { scenario }),
    });
    return rendered;
  }

  async function judgeHead(head: RequestHead): Promise<HeadVerdict> {
    const passed = await judgeHeadStages(head);
    if (passed.ok) return { kind: 'needs-body', ticket: passed.ticket };
    return { kind: 'answered', rendered: await renderAndJournal(head, passed.answer, { kind: 'unread' }, undefined) };
  }

  async function judgeBody(ticket: BodyTicket, body: RequestBody): Promise<RenderedAnswer> {
    const outcome = await judgeBodyStages(ticket, body);
    return renderAndJournal(ticket.head, outcome.answer, outcome.journalBody, outcome.scenario);
  }

  return {
    isEndpoint,
    decisions,
    judgeHead,
    judgeBody,
    async respond(request) {
      const { body, ...head } = request;
      const verdict = await judgeHead(head);
      return verdict.kind === 'answered' ? verdict.rendered : judgeBody(verdict.ticket, body);
    },
    reset: () => state.reset(),
    async replaceScenarios(next) {
      guard({ scenarios: next as Scenario[] });
      await state.replaceScenarios(structuredClone([...next]));
    },
    async replaceKeys(next) {
      if (next !== undefined) guard({ keys: next as KeyConfig[] });
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
        // Every decision, not only the configured ones: what the mock does is what an admin wants to see.
        decisions,
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
