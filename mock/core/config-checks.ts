/**
 * The core's second entry, for the config file's validator alone: it loads ajv and compiles the schema, a large
 * share of a cold start, so callers import it when a config is given (statically where they must answer
 * synchronously, as the MSW handlers do; with `import()` elsewhere) and a mock started without one never pays.
 */
export {
  type ConfigCheck,
  checkMockConfig,
  parseMockConfigText,
  readConfigText,
  readMockConfigFile,
} from './config/load-mock-config.js';
