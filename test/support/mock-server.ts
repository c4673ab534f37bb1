import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { ADMIN_PREFIX, type RunningMock, type StartMockOptions, startMock } from '../../mock/index.js';

/**
 * Starts a fresh in-process mock on a free loopback port before each test of the file and closes it after, so every
 * test starts from the configured state (quotas, windows, sequences, journal, keys and scenarios) whatever the tests
 * before it did. A start costs about a millisecond. `mock.url` and `mock.running` are readable inside tests.
 *
 * `shared: true` starts one mock for the whole file instead, for tests that run concurrently (a mock per test would
 * be replaced under a running test) and only read from it, never count on its state.
 */
export function useMock(
  options: StartMockOptions = {},
  { shared = false }: { shared?: boolean } = {},
): { readonly url: string; readonly running: RunningMock } {
  let running: RunningMock | undefined;
  (shared ? beforeAll : beforeEach)(async () => {
    running = await startMock({ port: 0, ...options });
  });
  (shared ? afterAll : afterEach)(async () => {
    await running?.close();
    running = undefined;
  });
  const current = () => {
    if (!running) throw new Error('the mock is not started (use mock.url inside a test)');
    return running;
  };
  return {
    get url() {
      return current().url;
    },
    get running() {
      return current();
    },
  };
}

export interface AdminAnswer {
  httpCode: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON (every admin answer but the dashboard's files is JSON). */
  body: unknown;
}

/**
 * One call of the admin API. `body` is sent as JSON, except a string, which is sent as it is (with a JSON
 * content-type) so a test can send a body that is not JSON. Every write says `Content-Type: application/json`, body
 * or not, as the admin API requires; `headers` may override it. Throws when the answer is not JSON.
 */
export async function admin(
  baseUrl: string,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<AdminAnswer> {
  const response = await fetch(`${baseUrl}${ADMIN_PREFIX}${route}`, {
    method,
    headers: { ...(body === undefined && method === 'GET' ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const answerHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    answerHeaders[name] = value;
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(
      `admin ${method} ${route} answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`,
    );
  }
  return { httpCode: response.status, headers: answerHeaders, text, body: parsed };
}

/** The rate window of the configured key `id`, as `GET /__admin/keys` reports it (never typed again in a test). */
export async function rateWindowMs(baseUrl: string, id: string): Promise<number> {
  const { keys } = (await admin(baseUrl, 'GET', '/keys')).body as { keys: { id: string; rateWindowMs?: number }[] };
  const windowMs = keys.find((key) => key.id === id)?.rateWindowMs;
  if (windowMs === undefined) throw new Error(`key ${id} has no rate window`);
  return windowMs;
}
