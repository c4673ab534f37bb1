import type { DecisionProfile } from '../../generated/decisions.js';
import type { PredictGenderResult, StatusValue } from '../../types.js';

/**
 * The mock's configuration, as `mock-config.schema.json` (next to this file) describes it; the loader validates
 * every input against that schema before the core sees it. Written once here, by hand, to mirror the schema: the
 * test `mock-config.test.ts` checks that the status values of the schema are the spec's.
 */
export interface MockConfig {
  $schema?: string;
  keys?: KeyConfig[];
  scenarios?: Scenario[];
  latency?: LatencyConfig;
  faults?: FaultConfig;
  /** Cassette files to replay, relative to the config file (issue 10). */
  cassettes?: string[];
  seed?: number;
  journal?: { limit?: number };
  /** `redis://HOST:PORT/DB`: keep the running state in Redis, shared by every mock pointed at it. */
  state?: string;
  /** Prefix of the state's Redis keys and channel; default `accuauth-kit:`. */
  statePrefix?: string;
  /** CORS for browser callers; default true. Read by the HTTP server only (MSW needs none). */
  cors?: boolean;
  /**
   * Where the vendor documentation is silent, which of the spec's alternatives the mock takes; each absent one is
   * the spec's choice. Its schema is generated from the spec's `x-decisions` by `npm run generate`.
   */
  decisions?: Partial<DecisionProfile>;
}

export interface KeyConfig {
  id: string;
  secret: string;
  /** RFC 3339 instant from which the key is KEY_EXPIRED. */
  expiresAt?: string;
  /** false -> NO_PERMISSION. Default true. */
  permission?: boolean;
  /** Total calls allowed; the next is OUT_OF_QUOTA. */
  quota?: number;
  /** Accepted calls per sliding second; more are RATE_LIMIT_EXCEEDED. */
  rateLimit?: number;
}

export interface Scenario {
  name?: string;
  match?: ScenarioMatch;
  respond?: ScenarioStep;
  sequence?: ScenarioStep[];
  loop?: boolean;
}

export interface ScenarioMatch {
  keyId?: string;
  imageSha256?: string;
  field?: 'file' | 'image_base64';
  header?: Record<string, string>;
}

export interface ScenarioStep {
  status: StatusValue;
  reason?: string;
  result?: PredictGenderResult;
}

export type LatencyConfig = { ms: number } | { minMs: number; maxMs: number };

export interface FaultConfig {
  internalErrorRate: number;
}
