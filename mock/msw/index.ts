export type { MockConfig, Scenario } from '../../src/core/config/mock-config.js';
export { MockConfigError } from '../../src/core/config/mock-config-error.js';
export { CoverageError } from '../../src/core/judge/client-judge.js';
export type { MockCore } from '../../src/core/mock-core.js';
export { createMswHandlers, type MswHandlersOptions, type MswMock, VENDOR_BASE_URL } from './msw-handlers.js';
