import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { errorCatalogue, okHttpCode } from '../../src/spec/error-catalogue.js';
import { imageMediaTypes } from '../../src/spec/image-constraints.js';
import {
  type ImagePreviews,
  type KeyConfig,
  MockConfigError,
  type MockControl,
  matchesJournalFilter,
  parseJournalFilter,
  parseRequiredOutcomes,
  type Scenario,
  StateUnavailableError,
} from '../core/index.js';
import type { AuditAnswer, ConfigAnswer, CoverageAnswer, StatusesAnswer } from './admin-answers.js';
import { ADMIN_PREFIX } from './admin-prefix.js';
import { requireAdminToken } from './admin-token.js';
import { serveDashboardFile } from './dashboard/dashboard-files.js';
import { journalEvents } from './journal-events.js';
import { journalAsHar } from './journal-har.js';
import { type SameOriginOptions, sameOriginGuard } from './same-origin-guard.js';

export interface AdminOptions {
  startedAt: number;
  /** The latest accepted images, for `GET /__admin/previews/:requestId`. */
  previews: ImagePreviews | undefined;
  /** When set, every admin route but the page's static files needs `Authorization: Bearer TOKEN`. */
  token: string | undefined;
  /** The names the admin API answers under when there is no token: see same-origin-guard.ts. */
  hosts: SameOriginOptions;
}

export interface AdminApi {
  router: Router;
  /** Ends the open event streams; call when the server closes. */
  close(): void;
}

/**
 * WireMock-style control of a running mock, JSON in and out, so tests, Pact provider states and the dashboard can
 * put it in any state and see what it saw. Inputs are validated with the config file's schema; a bad one is a 400
 * naming the path and leaves the running state untouched.
 */
export function adminRouter(core: MockControl, options: AdminOptions): AdminApi {
  const router = Router();
  const events = journalEvents(core);
  // The page's files carry no data and are the same for everyone; the browser cannot send a token when it
  // navigates, so they are served without one, and the page asks for the token before it reads anything.
  // Without a token the host and origin checks guard everything under the prefix, the page's files included; with
  // one, a caller without it hears 401 before anything else is said about its request.
  const guard = sameOriginGuard(options.token === undefined ? options.hosts : undefined);
  if (options.token === undefined) router.use(guard);
  router.get(['/ui', '/ui/', '/ui/:file'], serveDashboardFile);
  if (options.token !== undefined) router.use(requireAdminToken(options.token), guard);
  router.use(express.json({ limit: '1mb', strict: false, type: () => true }));

  router.get('/health', async (_req, res) => {
    res.json({ status: 'up', uptimeMs: Date.now() - options.startedAt, requests: (await core.journal.list()).total });
  });
  router.post('/reset', async (_req, res) => {
    await core.reset();
    res.json({ reset: true });
  });
  router.get('/requests', async (req, res) => {
    const filter = parseJournalFilter(req.query);
    if (!filter.ok) return adminError(res, 400, filter.reason);
    const page = await core.journal.list();
    res.json({ ...page, requests: page.requests.filter((entry) => matchesJournalFilter(entry, filter.filter)) });
  });
  // The journal as HAR 1.2, with the same filters: a bug report's attachment, opened by devtools.
  router.get('/requests.har', async (req, res) => {
    const filter = parseJournalFilter(req.query);
    if (!filter.ok) return adminError(res, 400, filter.reason);
    const { requests } = await core.journal.list();
    const kept = requests.filter((entry) => matchesJournalFilter(entry, filter.filter));
    res.set('content-disposition', 'attachment; filename="accuauth-mock-requests.har"');
    const origin = `${req.protocol}://${req.get('host') ?? ''}`;
    res.json(journalAsHar(kept, URL.canParse(origin) ? origin : 'http://localhost'));
  });
  router.post('/requests/count', async (req, res) => {
    const filter = parseJournalFilter(req.body ?? {});
    if (!filter.ok) return adminError(res, 400, filter.reason);
    const { requests } = await core.journal.list();
    res.json({ count: requests.filter((entry) => matchesJournalFilter(entry, filter.filter)).length });
  });
  router.delete('/requests', async (_req, res) => {
    res.json({ cleared: await core.journal.clear() });
  });
  router.get('/events', (req, res) => events.handle(req, res));
  // `?require=all` or `?require=OK,KEY_EXPIRED` judges against another requirement than the config's.
  router.get('/coverage', (req, res) => {
    const require = req.query.require;
    if (require === undefined) {
      const { since, coverage } = core.judgement();
      return res.json({ since, ...coverage } satisfies CoverageAnswer);
    }
    const parsed = typeof require === 'string' ? parseRequiredOutcomes(require) : undefined;
    if (!parsed?.ok) {
      return adminError(res, 400, `require: ${parsed?.reason ?? 'give it once, as all or STATUS,STATUS'}`);
    }
    const { since, coverage } = core.judgement(parsed.required);
    res.json({ since, ...coverage } satisfies CoverageAnswer);
  });
  router.get('/audit', (_req, res) => {
    const { since, audit } = core.judgement();
    res.json({ since, ...audit } satisfies AuditAnswer);
  });
  router.get('/previews/:requestId', (req, res) => {
    const preview = options.previews?.get(req.params.requestId ?? '');
    if (!preview) {
      return adminError(res, 404, `no preview of ${req.params.requestId}: only the latest accepted images are kept`);
    }
    res.status(200).set({ 'content-type': imageMediaTypes()[preview.format], 'cache-control': 'no-store' });
    res.end(preview.bytes);
  });
  router.get('/statuses', (_req, res) => {
    const answer: StatusesAnswer = {
      ok: { status: 'OK', httpCode: okHttpCode() },
      errors: [...errorCatalogue().values()],
    };
    res.json(answer);
  });
  router.get('/config', async (_req, res) => {
    // Every decision in force, typed so: the dashboard reads face-box here to draw the box an answer means.
    const answer: ConfigAnswer = await core.effectiveConfig();
    res.json(answer);
  });
  router.get('/keys', async (_req, res) => {
    res.json(await core.keys());
  });
  router.put('/keys', async (req, res) => {
    const checked = partOf(req.body, 'keys');
    if (!checked.ok) return adminError(res, 400, checked.reason);
    await core.replaceKeys(checked.value as KeyConfig[] | undefined);
    res.json({ keys: (await core.effectiveConfig()).keys ?? null });
  });
  router.get('/scenarios', async (_req, res) => {
    res.json(await core.scenarios());
  });
  router.put('/scenarios', async (req, res) => {
    const checked = partOf(req.body, 'scenarios');
    if (!checked.ok) return adminError(res, 400, checked.reason);
    await core.replaceScenarios(checked.value as Scenario[]);
    res.json({ scenarios: (await core.effectiveConfig()).scenarios ?? [] });
  });
  router.post('/next', async (req, res) => {
    const checked = await checkNextStep(req.body);
    if (!checked.ok) return adminError(res, 400, checked.reason);
    res.json({ queued: await core.queueNextAnswer(checked.step) });
  });
  router.get('/settings', async (_req, res) => {
    const { latency, faults } = await core.effectiveConfig();
    res.json({ latency: latency ?? null, faults: faults ?? null });
  });
  router.put('/settings', async (req, res) => {
    const checked = await checkSettings(req.body, await core.effectiveConfig());
    if (!checked.ok) return adminError(res, 400, checked.reason);
    await core.replaceLatencyAndFaults(checked.settings);
    res.json({ latency: checked.settings.latency ?? null, faults: checked.settings.faults ?? null });
  });
  router.use((req, res) => {
    // A known route with another method (`GET /__admin/reset`) says which method it takes, as HTTP's 405 does.
    const allowed = methodsOf(router, req.path);
    if (allowed.length > 0) {
      res.setHeader('allow', allowed.join(', '));
      const use = allowed.map((method) => `${method} ${ADMIN_PREFIX}${req.path}`).join(' or ');
      return adminError(res, 405, `${req.method} ${ADMIN_PREFIX}${req.path} is not a route; use ${use}`);
    }
    adminError(res, 404, `no admin route ${req.method} ${ADMIN_PREFIX}${req.path}`);
  });
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    // A shared state store that is away: the admin call changed nothing; 503 says "try again", not "your fault".
    if (error instanceof StateUnavailableError) return adminError(res, 503, error.reason);
    // The core's one check of a replacement (keys, scenarios): the caller's mistake, the running state untouched.
    if (error instanceof MockConfigError) return adminError(res, 400, error.reason);
    // Only the body parser's own refusals are the caller's mistake; anything else thrown is a bug of ours, and a
    // 400 would send the caller hunting for a mistake they did not make.
    if (isBodyParserRefusal(error)) return adminError(res, 400, `the body must be JSON: ${error.message}`);
    const message = error instanceof Error ? error.message : String(error);
    adminError(
      res,
      500,
      `the mock failed on ${req.method} ${ADMIN_PREFIX}${req.path}: ${message}; this is a bug in the mock, ` +
        'not a mistake in the request, and the mock keeps serving',
    );
  });
  return { router, close: () => events.closeAll() };
}

/**
 * body-parser fails with an http-errors error: a 4xx `status` with `expose` set, and a `type` such as
 * `entity.parse.failed` or `entity.too.large`. Anything else that reaches the error handler is not the caller's.
 */
function isBodyParserRefusal(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const { status, expose, type } = error as Error & { status?: unknown; expose?: unknown; type?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true && typeof type === 'string';
}

function isObject(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/** The methods the router serves on `path`, read from its own routes so the hint never disagrees with them. */
function methodsOf(router: Router, path: string): string[] {
  const methods = router.stack.flatMap((layer) => {
    const route = layer.route as { path?: unknown; methods?: Record<string, boolean> } | undefined;
    return route?.path === path ? Object.keys(route.methods ?? {}).map((method) => method.toUpperCase()) : [];
  });
  return [...new Set(methods)];
}

/**
 * A body `{ "<part>": ... }`, its shape checked here and its value by the core's replacement (the config file's
 * schema, once). `{"keys": null}` (or `{}`) for keys means "accept any non-empty pair again".
 */
function partOf(body: unknown, part: 'scenarios' | 'keys') {
  if (!isObject(body)) return { ok: false as const, reason: `the body must be a JSON object {"${part}": [...]}` };
  const extra = Object.keys(body).filter((name) => name !== part);
  if (extra.length > 0) return { ok: false as const, reason: `the body has an unknown property "${extra[0]}"` };
  const value = body[part];
  if (part === 'scenarios' && value === undefined) {
    return { ok: false as const, reason: 'the body must have the property "scenarios"' };
  }
  return { ok: true as const, value: value === null ? undefined : value };
}

/** `{status, reason?, result?}`: a scenario step, checked as the config checks a `respond`. */
async function checkNextStep(body: unknown) {
  if (!isObject(body)) return { ok: false as const, reason: 'the body must be a JSON object {"status": "..."}' };
  const { checkMockConfig } = await import('../core/config-checks.js');
  const checked = checkMockConfig({ scenarios: [{ respond: body }] });
  if (!checked.ok) {
    const reason = checked.reason.replace('scenarios[0].respond.', '').replace('scenarios[0].respond', 'the body');
    return { ok: false as const, reason };
  }
  const step = checked.config.scenarios?.[0]?.respond;
  return step
    ? { ok: true as const, step }
    : { ok: false as const, reason: 'the body must have the property "status"' };
}

/**
 * `{latency?, faults?}`: each property given replaces that setting (`null` removes it); one left out is kept.
 * Checked with the config file's schema.
 */
async function checkSettings(body: unknown, current: { latency?: unknown; faults?: unknown }) {
  if (!isObject(body)) return { ok: false as const, reason: 'the body must be a JSON object {"latency"?, "faults"?}' };
  const extra = Object.keys(body).filter((name) => name !== 'latency' && name !== 'faults');
  if (extra.length > 0) return { ok: false as const, reason: `the body has an unknown property "${extra[0]}"` };
  const pick = (name: 'latency' | 'faults') => (name in body ? body[name] : current[name]);
  const candidate: Record<string, unknown> = {};
  for (const name of ['latency', 'faults'] as const) {
    const value = pick(name);
    if (value !== null && value !== undefined) candidate[name] = value;
  }
  const { checkMockConfig } = await import('../core/config-checks.js');
  const checked = checkMockConfig(candidate);
  if (!checked.ok) return checked;
  return { ok: true as const, settings: { latency: checked.config.latency, faults: checked.config.faults } };
}

function adminError(res: Response, httpCode: number, reason: string): void {
  res.status(httpCode).json({ error: reason });
}
