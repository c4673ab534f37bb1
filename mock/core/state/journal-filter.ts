import { errorCatalogue, okHttpCode } from '../../../src/spec/error-catalogue.js';
import type { DecidingStage } from '../stage-result.js';
import type { JournalEntry } from './request-journal.js';

/** Which journal entries a reader wants; every field given must match (WireMock's request patterns, small). */
export interface JournalFilter {
  /** A status value (`OUT_OF_QUOTA`) or an HTTP code (`403`). */
  status?: string;
  keyId?: string;
  /** Entries recorded at or after this instant (epoch ms). */
  sinceMs?: number;
  decidedBy?: DecidingStage;
  scenario?: string;
}

const FIELDS = ['status', 'keyId', 'since', 'decidedBy', 'scenario'] as const;
const STAGES: readonly DecidingStage[] = [
  'route',
  'prefer',
  'credentials',
  'rate-limit',
  'body',
  'image',
  'scenario',
  'cassette',
  'proxy',
  'quota',
  'fault',
  'derived',
];

/**
 * Reads a filter from a query string or a JSON body: `{status?, keyId?, since?, decidedBy?, scenario?}`, strings
 * each (`since` an ISO 8601 instant; `status` may also be an HTTP code as a JSON number). The reason names the field and what was expected.
 */
export function parseJournalFilter(
  input: unknown,
): { ok: true; filter: JournalFilter } | { ok: false; reason: string } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, reason: `the filter must be a JSON object with any of ${FIELDS.join(', ')}` };
  }
  const filter: JournalFilter = {};
  for (const [name, value] of Object.entries(input)) {
    if (!(FIELDS as readonly string[]).includes(name)) {
      return { ok: false, reason: `unknown filter "${name}"; known: ${FIELDS.join(', ')}` };
    }
    // A JSON body may give the HTTP code as a number (`{"status": 403}`), as a query string gives it as text.
    const text = name === 'status' && Number.isInteger(value) ? `${value as number}` : value;
    if (typeof text !== 'string' || text === '') return { ok: false, reason: `${name} must be a non-empty string` };
    if (name === 'status') {
      const checked = parseStatus(text);
      if (!checked.ok) return checked;
      filter.status = checked.status;
    } else if (name === 'since') {
      const sinceMs = Date.parse(text);
      if (Number.isNaN(sinceMs)) return { ok: false, reason: `since must be an ISO 8601 instant, got "${text}"` };
      filter.sinceMs = sinceMs;
    } else if (name === 'decidedBy') {
      if (!(STAGES as readonly string[]).includes(text)) {
        return { ok: false, reason: `decidedBy must be one of ${STAGES.join(', ')}` };
      }
      filter.decidedBy = text as DecidingStage;
    } else if (name === 'keyId') filter.keyId = text;
    else filter.scenario = text;
  }
  return { ok: true, filter };
}

/** A status value (`OUT_OF_QUOTA`) or an HTTP code one of them uses (`403`), both read from the spec. */
function parseStatus(value: string): { ok: true; status: string } | { ok: false; reason: string } {
  const known = ['OK', ...errorCatalogue().keys()];
  const codes = new Set([`${okHttpCode()}`, ...[...errorCatalogue().values()].map((entry) => `${entry.httpCode}`)]);
  if (!known.includes(value) && !codes.has(value)) {
    return { ok: false, reason: `status must be a status value (${known.join(', ')}) or an HTTP code they use` };
  }
  return { ok: true, status: value };
}

export function matchesJournalFilter(entry: JournalEntry, filter: JournalFilter): boolean {
  if (filter.status !== undefined && entry.status !== filter.status && `${entry.httpCode}` !== filter.status) {
    return false;
  }
  if (filter.keyId !== undefined && entry.keyId !== filter.keyId) return false;
  if (filter.sinceMs !== undefined && Date.parse(entry.at) < filter.sinceMs) return false;
  if (filter.decidedBy !== undefined && entry.decidedBy !== filter.decidedBy) return false;
  if (filter.scenario !== undefined && entry.scenario !== filter.scenario) return false;
  return true;
}
