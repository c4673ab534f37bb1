import { setupServer } from 'msw/node';
import { afterAll, describe, expect, it } from 'vitest';
import { createMswHandlers } from '../../mock/msw/index.js';
import { createClient } from '../../src/client/index.js';
import { makeJpeg } from '../../src/image/sample-images.js';

// A client made at module scope, before MSW patches the global fetch, must still be intercepted: it resolves the
// transport at call time. With the old behaviour (fetch captured at creation) this call went to the real vendor
// host and failed with ENOTFOUND (or, with network, a paid call). onUnhandledRequest 'error' keeps it offline.
const client = createClient({ apiId: 'team-key', apiSecret: 'team-secret' });
const mock = createMswHandlers({ config: { keys: [{ id: 'team-key', secret: 'team-secret' }] } });
const server = setupServer(...mock.handlers);

afterAll(() => server.close());

describe('a client created before MSW listens', () => {
  it('is intercepted by MSW and never leaves the process', async () => {
    server.listen({ onUnhandledRequest: 'error' });
    const answer = await client.predictGender({ file: makeJpeg({ width: 160, height: 160, seed: 1 }) });
    expect(answer.status).toBe('OK');
    expect((await mock.core.journal.list()).total).toBe(1);
  });
});
