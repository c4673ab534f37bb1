import type { ImageFormat } from '../../../src/spec/image-constraints.js';
import type { AnyResponse, StatusValue } from '../../../src/types.js';
import type { MockRequest } from '../mock-request.js';
import type {
  METHOD_NOT_ALLOWED_STATUS,
  MOCK_PROBLEM_STATUS,
  MockProblem,
  UNDOCUMENTED_STATUS,
} from '../rendered-answer.js';
import type { DecidingStage } from '../stage-result.js';

/** One request as the journal keeps it: plain JSON, no image bytes, no secrets. */
export interface JournalEntry {
  /** ISO instant the answer was chosen, on the mock's clock (`startMock({ now })` moves it; default the wall clock). */
  at: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: JournalBody;
  /**
   * The answer's status value, MOCK_PROBLEM when the mock answered a problem of its own (a bad Prefer),
   * UNDOCUMENTED for a recorded vendor answer whose status the spec does not document (a cassette or the recording proxy), or
   * METHOD_NOT_ALLOWED for a 405 under decision other-methods `method-not-allowed`.
   */
  status: StatusValue | typeof MOCK_PROBLEM_STATUS | typeof UNDOCUMENTED_STATUS | typeof METHOD_NOT_ALLOWED_STATUS;
  httpCode: number;
  /** Absent for a mock problem, which carries no request id. */
  requestId?: string;
  /** The `X-DF-API-ID` the request carried (an id, never the secret), if any. */
  keyId?: string;
  /** The stage that chose the answer. */
  decidedBy: DecidingStage;
  /** The configured latency the answer waited for, in ms. */
  latencyMs: number;
  /**
   * The answer's body, as sent: the vendor's JSON, the mock's own problem (a bad Prefer), a recorded answer
   * replayed verbatim (which may break the spec), or the text of a 405 (decision other-methods).
   */
  answer: AnyResponse | MockProblem | Readonly<Record<string, unknown>> | string;
  /** The scenario that answered, by name or index (`next answer` for an answer queued by `POST /__admin/next`), if one did. */
  scenario?: string;
  /**
   * Set when the stage `cassette` answered: the cassette file the recorded answer came from, or
   * `proxy <URL>` when the recording proxy relayed the vendor's answer live.
   */
  cassette?: string;
  /**
   * Why the request was refused, set on every answer refused for a mistake of the client (never on a scripted
   * answer, an account state or a limit): a stable `code`, the offending `value` (truncated, never a secret), the
   * `fix`, and the `closest` valid request. See mock/core/client-diagnosis.ts for the catalogue.
   */
  diagnosis?: { code: string; value?: string; fix: string; closest?: string };
  /**
   * ISO instant the request arrived (its head was judged), on the mock's clock like `at`: the call was in flight
   * from here until `at` plus `latencyMs`, which is how the client audit counts calls in flight per key. Absent in
   * entries written before it existed.
   */
  receivedAt?: string;
  /**
   * Whether the call spent quota, as the quota stage decides (it passed that stage): what the live API would bill.
   * Absent in entries written before it existed, which count as not billable.
   */
  billable?: boolean;
}

export interface JournalBody {
  /** `unread`: answered from the head alone (route, Prefer, credentials, rate limit); the body was not read. */
  kind: MockRequest['body']['kind'] | 'unread';
  contentType?: string;
  field?: 'file' | 'image_base64';
  imageBytes?: number;
  imageSha256?: string;
  /** Known once the image passed the format check: its format by content, and its sides in pixels. */
  imageFormat?: ImageFormat;
  width?: number;
  height?: number;
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
