// @ts-check
import { askForToken, savedToken } from './token-prompt.js';

/**
 * The dashboard's calls to its own mock's admin API (the same routes tests use), typed by what each route answers
 * (mock/admin/admin-answers.ts). Nothing else is fetched.
 * @typedef {import('../../admin-answers.js').AdminRefusal} AdminRefusal
 * @typedef {import('../../admin-answers.js').AuditAnswer} AuditAnswer
 * @typedef {import('../../admin-answers.js').ConfigAnswer} ConfigAnswer
 * @typedef {import('../../admin-answers.js').CoverageAnswer} CoverageAnswer
 * @typedef {import('../../admin-answers.js').JournalPage} JournalPage
 * @typedef {import('../../admin-answers.js').KeysAnswer} KeysAnswer
 * @typedef {import('../../admin-answers.js').ScenariosAnswer} ScenariosAnswer
 * @typedef {import('../../admin-answers.js').StatusesAnswer} StatusesAnswer
 * @typedef {import('../../../../src/types.js').ErrorStatus} ErrorStatus
 */

const ADMIN = '/__admin';

/** Thrown when the admin API wants a token the page has not got (the form is shown by then). */
export class TokenNeededError extends Error {
  constructor() {
    super('the admin token is needed');
    this.name = 'TokenNeededError';
  }
}

/**
 * Every call of the page goes through here: the token (if any) as a Bearer header. A 401 forgets the token and
 * asks for one.
 * @param {'GET' | 'POST'} method
 * @param {string} route under /__admin
 * @param {unknown} [body] sent as JSON
 * @returns {Promise<Response>}
 */
export async function adminFetch(method, route, body) {
  /** @type {Record<string, string>} */
  const headers = {};
  const token = savedToken();
  if (token) headers.authorization = `Bearer ${token}`;
  // Every write says JSON, a body or not: the admin API refuses any other write, so a form on another site cannot make one.
  if (method !== 'GET') headers['content-type'] = 'application/json';
  const response = await fetch(ADMIN + route, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401) {
    askForToken(token ? 'That token was refused.' : '');
    throw new TokenNeededError();
  }
  return response;
}

/**
 * A call whose answer is JSON of a known shape; a refusal throws with the admin API's own reason.
 * @template T
 * @param {'GET' | 'POST'} method
 * @param {string} route
 * @param {unknown} [body]
 * @returns {Promise<T>}
 */
async function adminJson(method, route, body) {
  const response = await adminFetch(method, route, body);
  const parsed = await response.json();
  if (!response.ok) throw new Error(/** @type {Partial<AdminRefusal>} */ (parsed).error || `HTTP ${response.status}`);
  return parsed;
}

/** @returns {Promise<JournalPage>} */
export const readJournal = () => adminJson('GET', '/requests');
/** @returns {Promise<KeysAnswer>} */
export const readKeys = () => adminJson('GET', '/keys');
/** @returns {Promise<ScenariosAnswer>} */
export const readScenarios = () => adminJson('GET', '/scenarios');
/** @returns {Promise<StatusesAnswer>} */
export const readStatuses = () => adminJson('GET', '/statuses');
/** The effective config: the page reads the decisions in force from it. @returns {Promise<ConfigAnswer>} */
export const readConfig = () => adminJson('GET', '/config');
/** Which documented outcomes the client's calls met since the last reset. @returns {Promise<CoverageAnswer>} */
export const readCoverage = () => adminJson('GET', '/coverage');
/** The client-behaviour audit since the last reset. @returns {Promise<AuditAnswer>} */
export const readAudit = () => adminJson('GET', '/audit');
/** Queues `status` as the answer to the next call. */
export const queueNextAnswer = (/** @type {ErrorStatus} */ status) => adminJson('POST', '/next', { status });
/** Empties the journal and resets the counters. */
export const resetMock = () => adminJson('POST', '/reset');
/** The picture of an accepted upload, if the mock kept it (a 404 when it is over the preview cap). */
export const fetchPreview = (/** @type {string} */ requestId) =>
  adminFetch('GET', `/previews/${encodeURIComponent(requestId)}`);
/** The journal's live stream (server-sent events). */
export const openEventStream = () => adminFetch('GET', '/events');
