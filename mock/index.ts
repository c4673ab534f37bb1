export { ADMIN_PREFIX, ADMIN_TOKEN_ENV } from './admin/admin-prefix.js';
export type { Diagnosis, DiagnosisCode } from './core/client-diagnosis.js';
export type { ClientMistake, ClientMistakes } from './core/client-mistakes.js';
export type {
  FaultConfig,
  KeyConfig,
  LatencyConfig,
  MockConfig,
  Scenario,
  ScenarioMatch,
  ScenarioStep,
} from './core/config/mock-config.js';
export type { AuditFinding, AuditView, FindingKind } from './core/judge/client-audit.js';
export { FINDING_KINDS } from './core/judge/client-audit.js';
export { CoverageError } from './core/judge/client-judge.js';
export type { CoverageView } from './core/judge/outcome-coverage.js';
export type { RequiredOutcome } from './core/judge/required-outcomes.js';
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
