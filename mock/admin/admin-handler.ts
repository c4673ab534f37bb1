import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { MockCore } from '../../src/core/mock-core.js';
import { StateUnavailableError } from '../../src/core/state/mock-state.js';
import { ADMIN_PREFIX } from './admin-prefix.js';

/**
 * WireMock-style control of a running mock, JSON in and out, so tests and Pact provider states can put it in
 * any state. Inputs are validated with the config file's schema; a bad one is a 400 naming the path and leaves
 * the running state untouched.
 */
export function adminRouter(core: MockCore, startedAt: number): Router {
  const router = Router();
  router.use(express.json({ limit: '1mb', strict: false, type: () => true }));

  router.get('/health', async (_req, res) => {
    res.json({ status: 'up', uptimeMs: Date.now() - startedAt, requests: (await core.journal.list()).total });
  });
  router.post('/reset', async (_req, res) => {
    await core.reset();
    res.json({ reset: true });
  });
  router.get('/requests', async (_req, res) => {
    res.json(await core.journal.list());
  });
  router.delete('/requests', async (_req, res) => {
    res.json({ cleared: await core.journal.clear() });
  });
  router.get('/config', async (_req, res) => {
    res.json(await core.effectiveConfig());
  });
  router.put('/scenarios', async (req, res) => {
    const checked = await checkPart(req.body, 'scenarios');
    if (!checked.ok) return adminError(res, 400, checked.reason);
    await core.replaceScenarios(checked.config.scenarios ?? []);
    res.json({ scenarios: (await core.effectiveConfig()).scenarios ?? [] });
  });
  router.put('/keys', async (req, res) => {
    const checked = await checkPart(req.body, 'keys');
    if (!checked.ok) return adminError(res, 400, checked.reason);
    await core.replaceKeys(checked.config.keys);
    res.json({ keys: (await core.effectiveConfig()).keys ?? null });
  });
  router.use((req, res) => adminError(res, 404, `no admin route ${req.method} ${ADMIN_PREFIX}${req.path}`));
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // A shared state store that is away: the admin call changed nothing; 503 says "try again", not "your fault".
    if (error instanceof StateUnavailableError) return adminError(res, 503, error.reason);
    const message = error instanceof Error ? error.message : 'unreadable body';
    adminError(res, 400, `the body must be JSON: ${message}`);
  });
  return router;
}

/**
 * A body `{ "<part>": ... }` validated as a config holding only that part. `{"keys": null}` (or `{}`) for keys
 * means "accept any non-empty pair again".
 */
async function checkPart(body: unknown, part: 'scenarios' | 'keys') {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false as const, reason: `the body must be a JSON object {"${part}": [...]}` };
  }
  const extra = Object.keys(body).filter((name) => name !== part);
  if (extra.length > 0) return { ok: false as const, reason: `the body has an unknown property "${extra[0]}"` };
  const value = (body as Record<string, unknown>)[part];
  if (part === 'scenarios' && value === undefined) {
    return { ok: false as const, reason: 'the body must have the property "scenarios"' };
  }
  // Loaded on first use, like start-mock does, so a mock without config never loads ajv.
  const { checkMockConfig } = await import('../../src/core/config/load-mock-config.js');
  return checkMockConfig(value === null || value === undefined ? {} : { [part]: value });
}

function adminError(res: Response, httpCode: number, reason: string): void {
  res.status(httpCode).json({ error: reason });
}
