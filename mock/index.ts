export type {
  FaultConfig,
  KeyConfig,
  LatencyConfig,
  MockConfig,
  Scenario,
  ScenarioMatch,
  ScenarioStep,
} from '../src/core/config/mock-config.js';
export type { AuditFinding, AuditView, FindingKind } from '../src/core/judge/client-audit.js';
export { FINDING_KINDS } from '../src/core/judge/client-audit.js';
export { CoverageError } from '../src/core/judge/client-judge.js';
export type { CoverageView } from '../src/core/judge/outcome-coverage.js';
export type { RequiredOutcome } from '../src/core/judge/required-outcomes.js';
export { ADMIN_PREFIX, ADMIN_TOKEN_ENV } from './admin/admin-prefix.js';
export type { MockLogger } from './express/request-log.js';
export { JournalFileError } from './journal-file.js';
export {
  AdminExposureError,
  DEFAULT_HOST,
  DEFAULT_PORT,
  MockConfigError,
  MockStateError,
  type RunningMock,
  type StartMockOptions,
  startMock,
} from './start-mock.js';
