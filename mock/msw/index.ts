export type { MockConfig, Scenario } from '../core/config/mock-config.js';
export { MockConfigError } from '../core/config/mock-config-error.js';
export { CoverageError } from '../core/judge/client-judge.js';
export type { MockCore } from '../core/mock-core.js';
export { createMswHandlers, type MswHandlersOptions, type MswMock, VENDOR_BASE_URL } from './msw-handlers.js';
