import { namedExamples } from '../../src/spec/named-examples.js';
import type { ErrorStatus, PredictGenderResult } from '../../src/types.js';

/**
 * Every outcome the core can choose, so adapters and tests switch on one type. `latencyMs` is how long the adapter
 * waits before sending it (configured latency); the adapter never decides anything else.
 */
export type Answer = (
  | { kind: 'ok'; result: PredictGenderResult }
  | { kind: 'error'; status: ErrorStatus; reason: string }
  /**
   * The vendor's own answer to these image bytes, from a cassette (replay) or just now (the recording proxy): sent
   * verbatim, even where it breaks the spec, since that is what the vendor said. `body` has no request_id; the
   * renderer adds `requestId` (the vendor's, when relayed live) or a fresh one (replay).
   */
  | { kind: 'recorded'; httpCode: number; body: Readonly<Record<string, unknown>>; requestId?: string }
  /** A request the mock cannot honour as asked (a `Prefer` naming no example): not a vendor answer at all. */
  | { kind: 'mock-problem'; title: string; detail: string; knownExamples: readonly string[] }
  /**
   * Another method on the endpoint's path under decision other-methods `method-not-allowed`: a framework's or
   * gateway's 405, not one of the vendor's documented answers, so it has no status value and no JSON body.
   */
  | { kind: 'method-not-allowed'; allow: string }
) & { latencyMs?: number };

export function errorAnswer(status: ErrorStatus, reason: string): Answer {
  return { kind: 'error', status, reason };
}

export function invalidArgument(reason: string): Answer {
  return errorAnswer('INVALID_ARGUMENT', reason);
}

/**
 * The vendor's reason for a body without an image, taken from the spec's INVALID_ARGUMENT example (the vendor
 * doc's own sample error) so that it is written in one place only.
 */
export function missingImageReason(): string {
  const body = namedExamples().get('INVALID_ARGUMENT')?.body as { reason?: unknown } | undefined;
  if (typeof body?.reason !== 'string') throw new Error('the spec has no INVALID_ARGUMENT example with a reason');
  return body.reason;
}

/** The reason the spec's example for a status value gives, used when a script names a status without a reason. */
export function exampleReason(status: ErrorStatus): string {
  const body = namedExamples().get(status)?.body as { reason?: unknown } | undefined;
  return typeof body?.reason === 'string' ? body.reason : status;
}
