import { REDACTED } from '../../secret-redaction.js';
import { credentialHeaders } from '../../spec/credential-headers.js';
import type { StatusValue } from '../../types.js';
import type { MockRequest } from '../mock-request.js';
import type { METHOD_NOT_ALLOWED_STATUS, MOCK_PROBLEM_STATUS } from '../rendered-answer.js';

/** One request as the journal keeps it: plain JSON, no image bytes, no secrets. */
export interface JournalEntry {
  /** ISO instant the answer was chosen. */
  at: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: JournalBody;
  /**
   * The answer's status value, MOCK_PROBLEM when the mock answered a problem of its own (a bad Prefer), or
   * METHOD_NOT_ALLOWED for a 405 under decision other-methods `method-not-allowed`.
   */
  status: StatusValue | typeof MOCK_PROBLEM_STATUS | typeof METHOD_NOT_ALLOWED_STATUS;
  httpCode: number;
  /** Absent for a mock problem, which carries no request id. */
  requestId?: string;
  /** The scenario that answered, by name or index, if one did. */
  scenario?: string;
}

export interface JournalBody {
  /** `unread`: answered from the head alone (route, Prefer, credentials, rate limit); the body was not read. */
  kind: MockRequest['body']['kind'] | 'unread';
  contentType?: string;
  field?: 'file' | 'image_base64';
  imageBytes?: number;
  imageSha256?: string;
}

/** Headers whose values are secrets: never kept, logged or shown. */
const SECRET_HEADERS = new Set([credentialHeaders().apiSecretLower, 'authorization', 'cookie', 'proxy-authorization']);

export function redactHeaders(headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    kept[name] = SECRET_HEADERS.has(name) ? REDACTED : value;
  }
  return kept;
}

/** What `GET /__admin/requests` answers: the kept entries, oldest first, and how many were ever recorded. */
export interface JournalPage {
  requests: JournalEntry[];
  total: number;
  limit: number;
}

/**
 * The in-memory journal: the last `limit` requests, oldest first; older ones are dropped, so memory stays bounded
 * under load.
 */
export class RequestJournal {
  private entries: JournalEntry[] = [];
  private dropped = 0;

  constructor(readonly limit: number) {}

  record(entry: JournalEntry): void {
    if (this.limit === 0) return;
    this.entries.push(entry);
    if (this.entries.length > this.limit) {
      // Drop in chunks so a full journal does not shift the array on every request.
      const excess = this.entries.length - this.limit;
      if (excess >= Math.max(1, this.limit >> 3) || this.limit < 8) {
        this.entries = this.entries.slice(excess);
        this.dropped += excess;
      }
    }
  }

  list(): JournalPage {
    const excess = Math.max(0, this.entries.length - this.limit);
    return { requests: this.entries.slice(excess), total: this.dropped + this.entries.length, limit: this.limit };
  }

  clear(): number {
    const cleared = Math.min(this.entries.length, this.limit);
    this.entries = [];
    this.dropped = 0;
    return cleared;
  }
}
