import { retriableStatuses } from '../../../src/spec/retriable-statuses.js';
import type { ErrorStatus } from '../../../src/types.js';
import { RATE_WINDOW_MS } from '../state/mock-state.js';
import type { JournalEntry } from '../state/request-journal.js';
import { documentedOutcomes } from './required-outcomes.js';

/** The kinds of finding, stable names a CI gate (`report --fail-on`) can name. */
export const FINDING_KINDS = [
  'retried-non-retriable',
  'retry-too-soon',
  'duplicate-image',
  'over-concurrency',
  'client-mistake',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** `KIND,KIND` (the report's `--fail-on`), or a reason naming the kinds that exist. */
export function parseFindingKinds(text: string): { ok: true; kinds: FindingKind[] } | { ok: false; reason: string } {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const known = new Set<string>(FINDING_KINDS);
  const unknown = parts.filter((part) => !known.has(part));
  if (unknown.length > 0 || parts.length === 0) {
    const problem = unknown.length > 0 ? `unknown finding kind ${unknown.join(', ')}` : 'no kind named';
    return { ok: false, reason: `${problem}: use ${FINDING_KINDS.join(', ')}` };
  }
  return { ok: true, kinds: parts as FindingKind[] };
}

/** The config's `audit:` block. */
export interface AuditSettings {
  /** More calls than this in flight at once for one key is a finding; absent: not judged. */
  maxConcurrency?: number;
  /** The price of one billable call against the live API: the audit estimates the spend. */
  pricePerCall?: number;
  /** The least wait before sending a request again after INTERNAL_ERROR (default 100 ms). */
  minRetryDelayMs?: number;
}

export const DEFAULT_MIN_RETRY_DELAY_MS = 100;

/** One kind of behaviour, for one key: how often, the first time it happened, and what to do instead. */
export interface AuditFinding {
  kind: FindingKind;
  /** The `X-DF-API-ID` of the calls, `(none)` when they carried none. */
  keyId: string;
  /** The journal file the calls came from, when several were merged (each is judged on its own). */
  source?: string;
  /** For `client-mistake`: the diagnosis code. */
  code?: string;
  count: number;
  /** The first example: the request ids involved (the earlier answer first), and what happened. */
  example: { requestIds: string[]; detail: string };
  fix: string;
}

/** The client-behaviour audit of the calls since the last reset (`GET /__admin/audit`, `audit()`). */
export interface AuditView {
  calls: number;
  /** Calls that spent quota, as the quota stage decides: what the live API would bill. */
  billableCalls: number;
  /** `billableCalls` times the config's `audit.pricePerCall`, when it sets one. */
  estimatedSpend?: number;
  pricePerCall?: number;
  /** Kind -> how many calls had it, over every key (every kind listed, 0 included). */
  counts: Record<FindingKind, number>;
  findings: AuditFinding[];
  /** Set when some keys were not audited because the per-key state was full (see MAX_AUDITED_KEYS). */
  unauditedKeys?: number;
}

/**
 * Bounds that keep the audit's memory flat however many calls the mock serves (a benchmark sends millions): keys
 * audited, images remembered per key, and in-flight calls remembered per key. Past a bound the oldest is
 * forgotten (a repeat of a forgotten image is then not recognised) or, for keys, new keys go unaudited and counted.
 */
export const MAX_AUDITED_KEYS = 10_000;
export const MAX_IMAGES_PER_KEY = 10_000;
const MAX_IN_FLIGHT_PER_KEY = 1_024;
/** In-flight ends older than this before a call's arrival cannot overlap any call still to be journaled. */
const IN_FLIGHT_SLACK_MS = 60_000;

/** What the audit remembers of one key. */
interface KeyTrack {
  /** Image sha256 -> the non-retriable error it was last answered, and its request id. */
  refused: Map<string, { status: string; requestId: string }>;
  /** Image sha256 -> the request id of its first OK answer. */
  answeredOk: Map<string, string>;
  /** The rate window reopens (at the latest) at `untilMs`, one window after the first refusal of a run. */
  rateRefusal?: { untilMs: number; requestId: string };
  /** When the client got the latest INTERNAL_ERROR, and for which image. */
  internalError?: { atMs: number; sha256: string | undefined; requestId: string };
  /** When each call in flight recently ended (answer chosen plus latency). */
  inFlightEnds: number[];
}

const NO_KEY = '(none)';

/**
 * The client-behaviour audit: per key, what the client did that would cost money or get its key throttled on the
 * live API. Fed one journal entry at a time in journal order, with small per-key state and a few map operations
 * per call, never a scan of the journal.
 */
export class ClientAudit {
  private calls = 0;
  private billable = 0;
  private unaudited = new Set<string>();
  private readonly tracks = new Map<string, KeyTrack>();
  private readonly findings = new Map<string, AuditFinding>();
  private readonly counts = Object.fromEntries(FINDING_KINDS.map((kind) => [kind, 0])) as Record<FindingKind, number>;
  private readonly minRetryDelayMs: number;
  private readonly nonRetriable: ReadonlySet<string>;

  constructor(private readonly settings: AuditSettings = {}) {
    this.minRetryDelayMs = settings.minRetryDelayMs ?? DEFAULT_MIN_RETRY_DELAY_MS;
    const retriable = retriableStatuses();
    this.nonRetriable = new Set(
      documentedOutcomes().filter((status) => status !== 'OK' && !retriable.has(status as ErrorStatus)),
    );
  }

  /** `source` names the journal file the entry came from, when files are merged: each is its own client run. */
  record(entry: JournalEntry, source?: string): void {
    this.calls += 1;
    if (entry.billable === true) this.billable += 1;
    const keyId = entry.keyId ?? NO_KEY;
    const at = { keyId, ...(source === undefined ? {} : { source }) };
    const requestId = entry.requestId ?? '(none)';
    if (entry.diagnosis) {
      this.find('client-mistake', at, [requestId], `${entry.diagnosis.code}${shownValue(entry.diagnosis.value)}`, {
        code: entry.diagnosis.code,
        fix: entry.diagnosis.fix,
      });
    }
    const track = this.trackOf(source === undefined ? keyId : `${source}\u0000${keyId}`);
    if (!track) return;

    const answeredMs = Date.parse(entry.at) + entry.latencyMs;
    const receivedMs = entry.receivedAt === undefined ? Date.parse(entry.at) : Date.parse(entry.receivedAt);
    const sha256 = entry.body.imageSha256;
    this.judgeRetry(track, entry, at, requestId, receivedMs, sha256);
    this.judgeConcurrency(track, at, requestId, receivedMs, answeredMs);

    if (entry.status === 'OK' && sha256 !== undefined) {
      const first = track.answeredOk.get(sha256);
      if (first !== undefined) {
        this.find('duplicate-image', at, [first, requestId], `image ${sha256.slice(0, 12)}… answered OK again`);
      } else remember(track.answeredOk, sha256, requestId, MAX_IMAGES_PER_KEY);
    }
    if (entry.status === 'RATE_LIMIT_EXCEEDED') {
      if (track.rateRefusal === undefined || receivedMs >= track.rateRefusal.untilMs) {
        track.rateRefusal = { untilMs: answeredMs + RATE_WINDOW_MS, requestId };
      }
    }
    if (entry.status === 'INTERNAL_ERROR') track.internalError = { atMs: answeredMs, sha256, requestId };
  }

  private judgeRetry(
    track: KeyTrack,
    entry: JournalEntry,
    at: Pick<AuditFinding, 'keyId' | 'source'>,
    requestId: string,
    receivedMs: number,
    sha256: string | undefined,
  ): void {
    if (sha256 !== undefined) {
      const refused = track.refused.get(sha256);
      if (refused) {
        this.find(
          'retried-non-retriable',
          at,
          [refused.requestId, requestId],
          `image ${sha256.slice(0, 12)}… sent again after ${refused.status}`,
        );
      }
      if (this.nonRetriable.has(entry.status)) {
        remember(track.refused, sha256, { status: entry.status, requestId }, MAX_IMAGES_PER_KEY);
      } else track.refused.delete(sha256);
    }
    const rate = track.rateRefusal;
    if (rate && receivedMs < rate.untilMs) {
      this.find(
        'retry-too-soon',
        at,
        [rate.requestId, requestId],
        `called ${rate.untilMs - receivedMs} ms before the rate window reopened after RATE_LIMIT_EXCEEDED`,
      );
    }
    const failed = track.internalError;
    // A retry of the failed request: the same image, or a call whose image is unknown on either side (answered
    // before its body was read), which may be that retry.
    if (failed && (failed.sha256 === undefined || sha256 === undefined || failed.sha256 === sha256)) {
      delete track.internalError;
      const waited = receivedMs - failed.atMs;
      if (waited < this.minRetryDelayMs) {
        this.find(
          'retry-too-soon',
          at,
          [failed.requestId, requestId],
          `sent again ${Math.max(0, waited)} ms after INTERNAL_ERROR (less than ${this.minRetryDelayMs} ms)`,
        );
      }
    }
  }

  private judgeConcurrency(
    track: KeyTrack,
    at: Pick<AuditFinding, 'keyId' | 'source'>,
    requestId: string,
    receivedMs: number,
    answeredMs: number,
  ): void {
    const max = this.settings.maxConcurrency;
    if (max === undefined) return;
    // Entries come in the order their answers were chosen: a call still in flight when this one arrived is one
    // journaled earlier whose answer went out after this one arrived. Ends are kept sorted (they arrive nearly in
    // order, so placing one is a step or two from the back), so counting them is a binary search.
    const ends = track.inFlightEnds;
    let place = ends.length;
    while (place > 0 && (ends[place - 1] as number) > answeredMs) place -= 1;
    const inFlight = ends.length - firstAbove(ends, receivedMs) + 1;
    ends.splice(place, 0, answeredMs);
    // Ends long past cannot overlap any call still to be journaled; the bound keeps a flood of calls flat.
    const stale = firstAbove(ends, receivedMs - IN_FLIGHT_SLACK_MS);
    const excess = Math.max(stale, ends.length - MAX_IN_FLIGHT_PER_KEY);
    if (excess > 0) ends.splice(0, excess);
    if (inFlight > max) {
      this.find('over-concurrency', at, [requestId], `${inFlight} calls in flight at once (at most ${max})`);
    }
  }

  private trackOf(id: string): KeyTrack | undefined {
    const known = this.tracks.get(id);
    if (known) return known;
    if (this.tracks.size >= MAX_AUDITED_KEYS) {
      this.unaudited.add(id);
      if (this.unaudited.size > MAX_AUDITED_KEYS) this.unaudited.clear();
      return undefined;
    }
    const track: KeyTrack = { refused: new Map(), answeredOk: new Map(), inFlightEnds: [] };
    this.tracks.set(id, track);
    return track;
  }

  private find(
    kind: FindingKind,
    at: Pick<AuditFinding, 'keyId' | 'source'>,
    requestIds: string[],
    detail: string,
    mistake?: { code: string; fix: string },
  ): void {
    this.counts[kind] += 1;
    const id = `${kind}\u0000${at.source ?? ''}\u0000${at.keyId}\u0000${mistake?.code ?? ''}`;
    const known = this.findings.get(id);
    if (known) {
      known.count += 1;
      return;
    }
    this.findings.set(id, {
      kind,
      ...at,
      ...(mistake ? { code: mistake.code } : {}),
      count: 1,
      example: { requestIds, detail },
      fix: mistake?.fix ?? this.fixOf(kind),
    });
  }

  private fixOf(kind: FindingKind): string {
    switch (kind) {
      case 'client-mistake':
        return 'Fix the request as its diagnosis says.';
      case 'retried-non-retriable':
        return (
          'Do not send the same image again after a status that retrying cannot fix: fix the request or the key ' +
          `first. Only ${[...retriableStatuses().keys()].join(' and ')} are worth retrying (spec: x-retriable).`
        );
      case 'retry-too-soon':
        return (
          `After RATE_LIMIT_EXCEEDED wait until the rate window reopens (${RATE_WINDOW_MS} ms) before calling with ` +
          `that key again; after INTERNAL_ERROR back off (at least ${this.minRetryDelayMs} ms, longer each retry).`
        );
      case 'duplicate-image':
        return 'Cache answers by the image SHA-256: this image was answered OK before, and each call is billed.';
      case 'over-concurrency':
        return (
          `Keep at most ${this.settings.maxConcurrency} calls in flight per key (a request pool such as p-limit), ` +
          'or the live API throttles the key.'
        );
    }
  }

  view(): AuditView {
    const price = this.settings.pricePerCall;
    return {
      calls: this.calls,
      billableCalls: this.billable,
      ...(price === undefined ? {} : { pricePerCall: price, estimatedSpend: roundMoney(this.billable * price) }),
      counts: { ...this.counts },
      findings: [...this.findings.values()].map((finding) => structuredClone(finding)),
      ...(this.unaudited.size > 0 ? { unauditedKeys: this.unaudited.size } : {}),
    };
  }
}

function shownValue(value: string | undefined): string {
  return value === undefined ? '' : `: ${value}`;
}

/** The index of the first of the sorted `values` above `bound` (`values.length` when none is). */
function firstAbove(values: readonly number[], bound: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) > bound) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Keeps at most `limit` entries, forgetting the oldest (a Map iterates in insertion order). */
function remember<V>(map: Map<string, V>, key: string, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}

/** Money to a millionth, so 0.1 x 3 reads 0.3. */
function roundMoney(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}
