import { computeOnce } from '../../src/compute-once.js';
import type { DecisionProfile } from '../../src/generated/decisions.js';
import { imageSha256 } from '../../src/image/predicted-face.js';
import { REDACTED, redact, redactHeaders } from '../../src/secret-redaction.js';
import { credentialHeaders } from '../../src/spec/credential-headers.js';
import type { ImageFormat } from '../../src/spec/image-constraints.js';
import { type Answer, errorAnswer, invalidArgument } from './answer.js';
import {
  DIAGNOSIS_HEADER,
  type Diagnosis,
  diagnosisHeaderValue,
  type UnparsedCause,
  unparsedRequestDiagnosis,
} from './client-diagnosis.js';
import { ClientMistakeLog, type ClientMistakes } from './client-mistakes.js';
import { buildKeyRegistry, type KeyRegistry, type RegisteredKey } from './config/key-registry.js';
import type {
  FaultConfig,
  KeyConfig,
  LatencyConfig,
  MockConfig,
  Scenario,
  ScenarioStep,
} from './config/mock-config.js';
import { MockConfigError } from './config/mock-config-error.js';
import { decidedImageConstraints, resolveDecisions } from './decision-profile.js';
import type { ImagePreviews } from './image-previews.js';
import type { AuditView } from './judge/client-audit.js';
import { ClientJudge, type ClientJudgement, coverageAssertion } from './judge/client-judge.js';
import type { CoverageView } from './judge/outcome-coverage.js';
import type { RequiredOutcome } from './judge/required-outcomes.js';
import type { MockRequest, RequestBody, RequestHead } from './mock-request.js';
import { type RenderedAnswer, renderAnswer } from './rendered-answer.js';
import type { DecidingStage, StageResult, Stopped } from './stage-result.js';
import { type CassetteSource, relayToVendor, replayFromCassette, type UploadForwarder } from './stages/cassette.js';
import { checkCredentials } from './stages/credentials.js';
import { derivedAnswer } from './stages/derived-answer.js';
import { injectFault, latencyOf } from './stages/faults.js';
import { checkImage, readImageFacts } from './stages/image-checks.js';
import { type ImageField, readImageField } from './stages/image-field.js';
import { checkPrefer } from './stages/prefer-header.js';
import { consumeQuota } from './stages/quota.js';
import { checkRateLimit } from './stages/rate-limit.js';
import { checkRoute, isEndpoint } from './stages/route.js';
import { ScenarioBook, type ScenarioContext, takeNextAnswer } from './stages/scenarios.js';
import { createInMemoryState } from './state/in-memory-state.js';
import { initialStateOf } from './state/initial-state.js';
import {
  type JournalListener,
  type MockState,
  type ReplaceableConfig,
  StateUnavailableError,
  type StateUsage,
} from './state/mock-state.js';
import type { JournalBody, JournalPage } from './state/request-journal.js';
import { type KeyView, keyViews, type ScenariosView, scenariosView } from './usage-views.js';

/**
 * The behaviour of the mock, free of any HTTP library: adapters (Express + multer, MSW) turn a request into a
 * `MockRequest`, call `judgeHead` then `judgeBody` (or `respond`), and send what they return. The stages
 * (`stages/`) decide; every piece of running state (quotas, rate windows, sequence positions, fault draws, the
 * journal, the keys and scenarios in force) lives behind one `MockState` (`state/`), so every adapter and the
 * admin API see the same mock, and a shared store can stand in for the in-memory one.
 */
export interface MockCore {
  /** What adapters use: a request in, the rendered answer out. */
  readonly requests: MockRequests;
  /** What the admin API, the SDK handles (`startMock`, MSW) and config reloads use: state, scripts, views. */
  readonly control: MockControl;
}

/**
 * The request-handling face, as WireMock and Prism keep matching apart from their admin API: adapters (Express,
 * MSW, the HTTP parser's refusals) see only this.
 */
export interface MockRequests {
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
  /**
   * A request the adapter's HTTP parser refused before there was a request to judge (headers over the size limit,
   * a broken request line, a body cut short, a request that timed out): the documented 400 INVALID_ARGUMENT with
   * `problem` as its reason, diagnosed and journaled like any refusal. `method` and `path` are what could be read
   * of the request line, if anything.
   */
  refuseUnparsedRequest(request: {
    method?: string;
    path?: string;
    cause: UnparsedCause;
    problem: string;
  }): Promise<RenderedAnswer>;
}

/**
 * The control face: reset, replace, queue, read the views and the judgement. Replacements are validated here, once,
 * with the config file's schema (a MockConfigError carries the admin API's message), whoever calls them.
 */
export interface MockControl {
  /**
   * The calls this mock refused for a mistake of the client since the last reset (scripted answers never count):
   * strict mode's evidence. Kept in this process, also when the state is shared.
   */
  clientMistakes(): ClientMistakes;
  /** Forgets calls used, rate windows, sequence positions, the fault sequence and the journal. */
  reset(): Promise<void>;
  /** Sequences restart. Rejects with MockConfigError (the admin API's message) for scenarios the schema refuses. */
  replaceScenarios(scenarios: readonly Scenario[]): Promise<void>;
  /**
   * `undefined`: accept any non-empty id/secret pair again. Forgets every key's counters. Rejects with
   * MockConfigError (the admin API's message) for keys the config schema refuses.
   */
  replaceKeys(keys: readonly KeyConfig[] | undefined): Promise<void>;
  /**
   * Queues a one-shot answer, taken by the next call that reaches the scenarios stage (after credentials and image
   * checks), ahead of the configured scenarios. Resolves to how many are queued.
   */
  queueNextAnswer(step: ScenarioStep): Promise<number>;
  /** Latency and faults change at run time; counters are kept. */
  replaceLatencyAndFaults(settings: {
    latency: LatencyConfig | undefined;
    faults: FaultConfig | undefined;
  }): Promise<void>;
  /** Each used key's counters and each sequence's position, now (the admin API's and the dashboard's view). */
  usage(): Promise<StateUsage>;
  /** Each configured key with its counters (never its secret), or the ids seen when any pair is accepted. */
  keys(): Promise<{ anyPairAccepted: boolean; keys: KeyView[] }>;
  /** Each scenario in force with where its sequence stands, and the queued next answers. */
  scenarios(): Promise<ScenariosView>;
  /** Every journal entry as it is recorded (by any mock sharing the state); returns the unsubscribe function. */
  subscribeJournal(listener: JournalListener): () => void;
  /** Releases the state's outside connections (a shared store); call once the server stopped. */
  close(): Promise<void>;
  /**
   * Which documented outcomes the client's calls met since the last reset (every call, not only the journal's
   * kept ones; with a shared store, every replica's calls heard since this one started). `require` defaults to
   * the config's `coverage.require`.
   */
  coverage(require?: readonly RequiredOutcome[]): CoverageView;
  /** What the client did since the last reset that would cost money or get its key throttled, per key. */
  audit(): AuditView;
  /** Both, with the instant counting started: what `accuauth-kit report --mock` reads. */
  judgement(require?: readonly RequiredOutcome[]): ClientJudgement;
  /**
   * Throws CoverageError naming each outcome never answered among `require` (default: the config's
   * `coverage.require`, else every documented status value).
   */
  assertCovered(...require: RequiredOutcome[]): void;
  /** Resolves once other replicas' calls (shared store) are heard, so coverage and audit count them. */
  listening(): Promise<void>;
  /** The config in force, secrets redacted, with every decision in force (not only the configured ones). */
  effectiveConfig(): Promise<MockConfig & { decisions: DecisionProfile }>;
  readonly journal: { list(): Promise<JournalPage>; clear(): Promise<number> };
}

export interface MockCoreOptions {
  /** Where the running state lives; default: in this process. */
  state?: MockState;
  /** The clock for key expiry and rate windows. */
  now?: () => number;
  /** Where the latest accepted images are kept for the dashboard; none by default (MSW, the admin API off). */
  previews?: ImagePreviews;
  /** The stage `cassette`: recorded vendor answers by image sha256. Loaded by the composition root. */
  cassettes?: CassetteSource;
  /**
   * The recording proxy: uploads in no cassette are relayed to the vendor by this forwarder instead of getting a
   * derived answer. The core does no network I/O itself; `startMock` wires it.
   */
  forwarder?: UploadForwarder;
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
  /** When the head was judged, on the core's clock: the journal's `receivedAt`. */
  readonly receivedAtMs: number;
}

export type HeadVerdict = { kind: 'answered'; rendered: RenderedAnswer } | { kind: 'needs-body'; ticket: BodyTicket };

/** What the body's stages decided, and what they learnt of the body for the journal. */
interface BodyOutcome {
  answer: Answer;
  decidedBy: DecidingStage;
  /** Why the request was refused, when it was refused for a mistake of the client. */
  diagnosis?: Diagnosis;
  journalBody: JournalBody;
  scenario?: string;
  /** The accepted image, for the previews. */
  image?: { bytes: Uint8Array; format: ImageFormat };
  /** The cassette (or `proxy <URL>`) whose recorded answer was sent. */
  cassette?: string;
  /** The call passed the quota stage: it spent quota, as the live API would bill it. */
  billable?: boolean;
}

/**
 * What judges an accepted upload, one value instead of several flags: its recording in a cassette (`replayed`), the
 * vendor live through the recording proxy (`relayed`), or the mock's own image checks, which read its size
 * (`checked`).
 */
type AnswerSource =
  | { ok: true; kind: 'replayed'; recording: { answer: Answer; cassette: string } }
  | { ok: true; kind: 'relayed'; forwarder: UploadForwarder }
  | { ok: true; kind: 'checked'; format: ImageFormat; width: number; height: number };

/** One version of the replaceable config, compiled for the stages. */
interface CompiledConfig {
  readonly version: number;
  readonly keys: KeyRegistry;
  readonly scenarios: ScenarioBook;
  readonly latency: LatencyConfig | undefined;
  readonly faults: FaultConfig | undefined;
}

/**
 * The core for a config already validated (`createMock` in mock/create-mock.ts resolves and checks it, once).
 * Replacements are checked here, with the validator loaded on first use: a mock started without a config never
 * loads ajv, yet every entry point (SDK, admin API, reload) refuses what the config file's schema refuses.
 */
export function createMockCore(initial: MockConfig = {}, options: MockCoreOptions = {}): MockCore {
  const guard = async (value: MockConfig): Promise<void> => {
    const { checkMockConfig } = await import('./config/load-mock-config.js');
    const checked = checkMockConfig(value);
    if (!checked.ok) throw new MockConfigError(checked.reason);
  };
  const copy = structuredClone(initial);
  // `state` is the store's URL, which may carry a password: the effective config shows the redacted form only.
  const { keys: _keys, scenarios: _scenarios, latency: _latency, faults: _faults, state: _url, ...fixed } = copy;
  const state = options.state ?? createInMemoryState(initialStateOf(copy));
  const now = options.now ?? Date.now;
  const apiIdHeader = credentialHeaders().apiIdLower;
  const apiSecretHeader = credentialHeaders().apiSecretLower;
  // Decisions are fixed for the core's life (not replaceable at run time): the adapters' streaming limits are
  // derived from them once, when they start.
  const decisions = resolveDecisions(fixed.decisions);
  const constraints = decidedImageConstraints(decisions);
  const diagnosisHeader = fixed.diagnosisHeader === true;
  const mistakes = new ClientMistakeLog();
  let compiled: CompiledConfig | undefined;
  // Fed from the journal's entry stream (this process's and, with a shared store, every replica's), so coverage and
  // audit cost the request path a few increments, and count every call, not only the entries the journal keeps.
  const judge = new ClientJudge({
    ...(fixed.coverage?.require ? { require: fixed.coverage.require } : {}),
    ...(fixed.audit ? { audit: fixed.audit } : {}),
  });
  state.subscribeJournal((entry) => judge.record(entry));
  state.subscribeResets(() => judge.reset());

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
    receivedAtMs: number,
  ): Promise<StageResult<{ ticket: BodyTicket }>> {
    const route = checkRoute(head, decisions);
    if (!route.ok) return route;
    const preferred = checkPrefer(head.headers.prefer);
    if (!preferred.ok) return preferred;

    const credentials = checkCredentials(head, config.keys, receivedAtMs, decisions);
    if (!credentials.ok) return credentials;
    const rate = await checkRateLimit(credentials.key, state, receivedAtMs);
    if (!rate.ok) return rate;
    const ticket = { head, keyId: credentials.keyId, key: credentials.key, compiled: config, receivedAtMs };
    return { ok: true, ticket };
  }

  // body -> image -> scenarios -> quota -> faults -> cassette (replay or proxy) or derived answer.
  async function judgeBodyStages(ticket: BodyTicket, body: RequestBody): Promise<BodyOutcome> {
    const read = readImageField(body, decisions, constraints, ticket.head.headers['content-type']);
    if (!read.ok) {
      return {
        answer: read.answer,
        decidedBy: read.decidedBy,
        journalBody: body.kind === 'form' ? { kind: body.kind, contentType: body.contentType } : { kind: body.kind },
        ...(read.diagnosis ? { diagnosis: read.diagnosis } : {}),
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
    // An image in a cassette (or one the recording proxy relays) is judged by the vendor, not by our reading of
    // its limits: the recorded answer to these very bytes is the vendor's word on them.
    const source = await sourceOf(read.image, read.declaredType, sha256);
    if (!source.ok) {
      return {
        answer: source.answer,
        decidedBy: source.decidedBy,
        journalBody,
        ...(source.diagnosis ? { diagnosis: source.diagnosis } : {}),
      };
    }
    const accepted: Pick<BodyOutcome, 'journalBody' | 'image'> =
      source.kind === 'checked'
        ? {
            journalBody: { ...journalBody, imageFormat: source.format, width: source.width, height: source.height },
            image: { bytes: read.image, format: source.format },
          }
        : { journalBody };

    const context: ScenarioContext = {
      keyId: ticket.keyId,
      field: read.field,
      headers: ticket.head.headers,
      imageSha256: sha256,
      imageBytes: read.image.byteLength,
      image: computeOnce(() =>
        source.kind === 'checked'
          ? { format: source.format, width: source.width, height: source.height }
          : readImageFacts(read.image),
      ),
    };
    const scripted = (await takeNextAnswer(state)) ?? (await ticket.compiled.scenarios.take(context, state));
    if (scripted?.answer) {
      return { ...accepted, answer: scripted.answer, decidedBy: 'scenario', scenario: scripted.scenario };
    }

    const quota = await consumeQuota(ticket.key, state);
    const fault = quota.ok ? await injectFault(ticket.compiled.faults, state) : quota;
    const billable = quota.ok ? { billable: true } : {};
    const decided: Pick<BodyOutcome, 'answer' | 'decidedBy' | 'cassette'> = fault.ok
      ? await answerFrom(source, { field: read.field, image: read.image, imageSha256: sha256, ticket })
      : { answer: fault.answer, decidedBy: fault.decidedBy };
    return scripted
      ? { ...accepted, ...decided, ...billable, scenario: scripted.scenario }
      : { ...accepted, ...decided, ...billable };
  }

  /**
   * Who has the last word on an upload that passed the body stage: a cassette's recording of these bytes, the
   * vendor itself through the recording proxy, or the mock's own image checks (which may refuse it here).
   */
  async function sourceOf(
    image: Uint8Array,
    declaredType: string | undefined,
    sha256: string,
  ): Promise<AnswerSource | Stopped> {
    const recording = replayFromCassette(options.cassettes, sha256);
    if (recording) return { ok: true, kind: 'replayed', recording };
    if (options.forwarder) return { ok: true, kind: 'relayed', forwarder: options.forwarder };
    const checked = await checkImage(image, declaredType, constraints, decisions);
    if (!checked.ok) return checked;
    return { ...checked, kind: 'checked' };
  }

  /** The answer of an upload that no scenario, quota or fault answered, from the source that judges it. */
  async function answerFrom(
    source: AnswerSource,
    upload: { field: ImageField; image: Uint8Array; imageSha256: string; ticket: BodyTicket },
  ): Promise<Pick<BodyOutcome, 'answer' | 'decidedBy' | 'cassette'>> {
    const { ticket, ...forwarded } = upload;
    switch (source.kind) {
      case 'replayed':
        return { ...redact(source.recording, secretsOf(ticket)), decidedBy: 'cassette' };
      case 'relayed': {
        // The vendor's words go to the caller, the journal, the dashboard and the log: none of them may hold a
        // secret the vendor echoed, the caller's own included.
        const relayed = await relayToVendor(source.forwarder, { ...forwarded, headers: ticket.head.headers });
        return { ...redact(relayed, secretsOf(ticket)), decidedBy: 'proxy' };
      }
      case 'checked':
        return { answer: derivedAnswer(upload.imageSha256, source, decisions['face-box']), decidedBy: 'derived' };
    }
  }

  /** The secrets a vendor's answer must not carry on: the call's own and every configured key's. */
  function secretsOf(ticket: BodyTicket): string[] {
    const configured = [...(ticket.compiled.keys?.values() ?? [])].map((key) => key.config.secret);
    return [ticket.head.headers[apiSecretHeader] ?? '', ...configured];
  }

  async function renderAndJournal(
    head: RequestHead,
    config: CompiledConfig,
    outcome: BodyOutcome,
    receivedAtMs: number,
  ): Promise<RenderedAnswer> {
    const { answer, journalBody, scenario, cassette, diagnosis } = outcome;
    const plain = renderAnswer(answer);
    // Drawn once the answer is known: a measured profile may give each status its own distribution.
    const latencyMs = await latencyOf(config.latency, state, plain.status);
    const rendered = withDiagnosisHeader(latencyMs > 0 ? { ...plain, latencyMs } : plain, diagnosis);
    // Before the journal entry goes out, so a dashboard that hears of it finds the picture.
    if (outcome.image && options.previews && rendered.requestId !== undefined) {
      options.previews.keep({ requestId: rendered.requestId, ...outcome.image });
    }
    const keyId = head.headers[apiIdHeader];
    if (diagnosis) {
      mistakes.record({
        method: head.method,
        path: head.path,
        httpCode: rendered.httpCode,
        status: rendered.status,
        ...(rendered.requestId === undefined ? {} : { requestId: rendered.requestId }),
        diagnosis,
      });
    }
    await state.appendJournal({
      // The core's clock, like `receivedAt`: a test that moves it sees the journal, key expiry and rate windows
      // agree, and the client audit measures waits on that clock.
      at: new Date(now()).toISOString(),
      receivedAt: new Date(receivedAtMs).toISOString(),
      method: head.method,
      path: head.path,
      headers: redactHeaders(head.headers),
      body: journalBody,
      status: rendered.status,
      httpCode: rendered.httpCode,
      ...(rendered.requestId === undefined ? {} : { requestId: rendered.requestId }),
      ...(keyId ? { keyId } : {}),
      decidedBy: outcome.decidedBy,
      latencyMs,
      answer: rendered.body,
      ...(scenario === undefined ? {} : { scenario }),
      ...(cassette === undefined ? {} : { cassette }),
      ...(diagnosis === undefined ? {} : { diagnosis }),
      billable: outcome.billable === true,
    });
    return rendered;
  }

  /** The header only when the config asks for it: by default the answer is exactly what the vendor sends. */
  function withDiagnosisHeader(rendered: RenderedAnswer, diagnosis: Diagnosis | undefined): RenderedAnswer {
    if (!diagnosisHeader || diagnosis === undefined) return rendered;
    return { ...rendered, headers: { ...rendered.headers, [DIAGNOSIS_HEADER]: diagnosisHeaderValue(diagnosis) } };
  }

  async function judgeHead(head: RequestHead): Promise<HeadVerdict> {
    return answerWhenStateFails(
      async () => {
        // Read once per request, even for answers that need no key (route, Prefer): latency applies to them too,
        // and with a shared store each read is a round trip.
        const receivedAtMs = now();
        const config = await currentConfig();
        const passed = await judgeHeadStages(head, config, receivedAtMs);
        if (passed.ok) return { kind: 'needs-body', ticket: passed.ticket };
        const outcome: BodyOutcome = {
          answer: passed.answer,
          decidedBy: passed.decidedBy,
          journalBody: { kind: 'unread' as const },
          ...(passed.diagnosis ? { diagnosis: passed.diagnosis } : {}),
        };
        return { kind: 'answered', rendered: await renderAndJournal(head, config, outcome, receivedAtMs) };
      },
      (rendered) => ({ kind: 'answered', rendered }),
    );
  }

  async function judgeBody(ticket: BodyTicket, body: RequestBody): Promise<RenderedAnswer> {
    return answerWhenStateFails(
      async () =>
        renderAndJournal(ticket.head, ticket.compiled, await judgeBodyStages(ticket, body), ticket.receivedAtMs),
      (rendered) => rendered,
    );
  }

  const requests: MockRequests = {
    isEndpoint,
    decisions,
    judgeHead,
    judgeBody,
    async respond(request) {
      const { body, ...head } = request;
      const verdict = await judgeHead(head);
      return verdict.kind === 'answered' ? verdict.rendered : judgeBody(verdict.ticket, body);
    },
    async refuseUnparsedRequest({ method, path, cause, problem }) {
      const head: RequestHead = { method: method ?? '', path: path ?? '', headers: {} };
      return answerWhenStateFails(
        async () =>
          renderAndJournal(
            head,
            await currentConfig(),
            {
              answer: invalidArgument(problem),
              decidedBy: 'body',
              journalBody: { kind: 'unread' },
              diagnosis: unparsedRequestDiagnosis(cause, problem, decisions),
            },
            now(),
          ),
        (rendered) => rendered,
      );
    },
  };
  const control: MockControl = {
    clientMistakes: () => mistakes.list(),
    async reset() {
      options.previews?.clear();
      mistakes.clear();
      await state.reset();
    },
    async queueNextAnswer(step) {
      return state.queueNextAnswer(structuredClone(step));
    },
    async replaceScenarios(next) {
      await guard({ scenarios: next as Scenario[] });
      await state.replaceScenarios(structuredClone([...next]));
    },
    async replaceKeys(next) {
      if (next !== undefined) await guard({ keys: next as KeyConfig[] });
      await state.replaceKeys(next === undefined ? undefined : structuredClone([...next]));
    },
    async replaceLatencyAndFaults(settings) {
      await state.replaceLatencyAndFaults(structuredClone(settings));
    },
    usage: () => state.readUsage(now()),
    async keys() {
      const nowMs = now();
      const [config, usage] = await Promise.all([state.readConfig(), state.readUsage(nowMs)]);
      return keyViews(config.keys, usage, nowMs);
    },
    async scenarios() {
      const [config, usage] = await Promise.all([state.readConfig(), state.readUsage(now())]);
      return scenariosView(config, usage);
    },
    subscribeJournal: (listener) => state.subscribeJournal(listener),
    coverage: (require) => judge.coverage(require),
    audit: () => judge.audit(),
    judgement: (require) => judge.judgement(require),
    assertCovered: coverageAssertion((require) => judge.coverage(require), fixed.coverage?.require),
    listening: () => state.listening(),
    close: () => state.close(),
    async effectiveConfig() {
      const { keys, scenarios, latency, faults } = await state.readConfig();
      const copy: MockConfig & { decisions: DecisionProfile } = structuredClone({
        ...fixed,
        ...(options.stateShown === undefined ? {} : { state: options.stateShown }),
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
  return { requests, control };
}
