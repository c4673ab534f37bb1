import { afterAll, beforeAll } from 'vitest';
import { type RunningMock, type StartMockOptions, startMock } from '../../mock/index.js';

/**
 * Starts one in-process mock on a free loopback port for the current test file and closes it afterwards.
 * `mock.url` is readable inside tests (after beforeAll ran).
 */
export function useMock(options: StartMockOptions = {}): { readonly url: string } {
  let running: RunningMock | undefined;
  beforeAll(async () => {
    running = await startMock({ port: 0, ...options });
  });
  afterAll(async () => {
    await running?.close();
  });
  return {
    get url() {
      if (!running) throw new Error('the mock is not started yet (use mock.url inside a test)');
      return running.url;
    },
  };
}

/** JSON call to the admin API. */
export async function admin(
  baseUrl: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<{ httpCode: number; contentType: string | null; body: unknown }> {
  const response = await fetch(`${baseUrl}/__admin${route}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { httpCode: response.status, contentType: response.headers.get('content-type'), body: await response.json() };
}
