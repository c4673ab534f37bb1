// The mock as MSW request handlers, and the control they share with the server's admin API (docs/mock.md).

export type { MockControl } from '../core/index.js';
// The config, its error, and what `assertCovered` throws.
export { CoverageError, type MockConfig, MockConfigError, type Scenario } from '../core/index.js';
export { createMswHandlers, type MswHandlersOptions, type MswMock, VENDOR_BASE_URL } from './msw-handlers.js';
