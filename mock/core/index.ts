/**
 * The one way into the mock's core from outside `mock/core/` (adapters, the composition root, the Redis store, the
 * client report, the CLI). The core knows nothing of HTTP and does no network I/O; what it offers falls in two
 * faces, kept apart as WireMock and Prism keep matching apart from their admin API: request handling (what adapters
 * use) and control (what the admin API, the SDK handles and config reloads use). The config file's validator is
 * the one thing not here: it loads ajv, so it has its own entry, `config-checks.ts`, imported only when needed.
 */

export { errorAnswer } from './answer.js';
export { type BodyLimits, bodyLimits } from './body-limits.js';
export type { Diagnosis, DiagnosisCode, UnparsedCause } from './client-diagnosis.js';
export { type ClientMistake, type ClientMistakes, ClientMistakesError } from './client-mistakes.js';
export {
  CONFIG_SECTION_CHANGES,
  RESTART_SECTIONS,
  type ReloadSection,
  type RestartSection,
} from './config/config-sections.js';
// The config: its types, its error, which sections a reload may change, the decisions it resolves to.
export type {
  FaultConfig,
  KeyConfig,
  LatencyConfig,
  MockConfig,
  Scenario,
  ScenarioMatch,
  ScenarioStep,
} from './config/mock-config.js';
export { MockConfigError } from './config/mock-config-error.js';
export { resolveDecisions } from './decision-profile.js';
export { ImagePreviews } from './image-previews.js';
export {
  type AuditFinding,
  type AuditSettings,
  type AuditView,
  FINDING_KINDS,
  type FindingKind,
  parseFindingKinds,
} from './judge/client-audit.js';
export {
  ClientJudge,
  type ClientJudgement,
  CoverageError,
  type JudgeSettings,
  judgementVerdict,
} from './judge/client-judge.js';
export type { CoverageView } from './judge/outcome-coverage.js';
export { parseRequiredOutcomes, type RequiredOutcome } from './judge/required-outcomes.js';
// Request handling: a request in (head, then body), the rendered answer out.
// Control: reset, replace, queue, and what the mock saw (journal, mistakes, coverage, audit).
export type { BodyTicket, HeadVerdict, MockControl, MockRequests } from './mock-core.js';
// Composition: the core for a validated config, and what it is built from.
export { createMockCore, type MockCore, type MockCoreOptions } from './mock-core.js';
export { type MockRequest, otherFieldNames, type RequestBody, type RequestHead } from './mock-request.js';
export { type RenderedAnswer, renderAnswer, renderedBodyText } from './rendered-answer.js';
export type { CassetteSource, ForwardedUpload, ForwardResult, UploadForwarder } from './stages/cassette.js';
export { type InitialState, initialStateOf } from './state/initial-state.js';
export { matchesJournalFilter, parseJournalFilter } from './state/journal-filter.js';

// The state contract, for a store that stands in for the in-memory one (mock/redis).
export {
  type JournalListener,
  type MockState,
  RATE_WINDOW_MS,
  type ReplaceableConfig,
  StateUnavailableError,
  type StateUsage,
} from './state/mock-state.js';
export type { JournalBody, JournalEntry, JournalPage } from './state/request-journal.js';
export { seededIntegerAt } from './state/seeded-random.js';
export { checkStateUrl, DEFAULT_STATE_PREFIX } from './state/state-url.js';
export type { KeyView, ScenariosView, ScenarioView } from './usage-views.js';
