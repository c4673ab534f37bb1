// The mock server: start it, its options and handle, and what `startMock` throws (docs/mock.md).

// The admin API's address and the environment variable of its token (docs/admin-and-dashboard.md).
export { ADMIN_PREFIX, ADMIN_TOKEN_ENV } from './admin/admin-prefix.js';
// The config file, as types (docs/mock.md).
export type {
  FaultConfig,
  KeyConfig,
  LatencyConfig,
  MockConfig,
  Scenario,
  ScenarioMatch,
  ScenarioStep,
} from './core/index.js';
// Judging the client: refusals diagnosed, outcomes covered, the audit (docs/judging-the-client.md).
export {
  type AuditFinding,
  type AuditView,
  type ClientMistake,
  type ClientMistakes,
  CoverageError,
  type CoverageView,
  type Diagnosis,
  type DiagnosisCode,
  FINDING_KINDS,
  type FindingKind,
  type RequiredOutcome,
} from './core/index.js';
export type { MockLogger } from './express/request-log.js';
export { JournalFileError } from './journal-file.js';
export {
  AdminExposureError,
  ClientMistakesError,
  DEFAULT_HOST,
  DEFAULT_PORT,
  MockConfigError,
  MockStateError,
  type RunningMock,
  type StartMockOptions,
  startMock,
} from './start-mock.js';
