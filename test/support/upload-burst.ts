import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { multipartContentType } from './multipart-body.js';

export interface BurstFigures {
  clients: number;
  /** Answers by HTTP code, plus `error: ...` for a client that got no answer (its transport error's message). */
  byStatus: Record<string, number>;
  /** Reasons of the answers that were not 200, counted (at most a few distinct ones). */
  reasons: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
}

/**
 * `clients` uploads of `body` (a multipart body) all started at once with Node's fetch, each on its own
 * connection, as a CI job's parallel workers would: how each was answered and how long each took.
 */
export async function uploadBurst(baseUrl: string, body: Buffer, clients: number): Promise<BurstFigures> {
  const bytes = new Uint8Array(body);
  const outcomes = await Promise.all(
    Array.from({ length: clients }, async () => {
      const started = performance.now();
      try {
        const response = await fetch(`${baseUrl}${PREDICT_GENDER_PATH}`, {
          method: 'POST',
          headers: {
            'x-df-api-id': 'burst-id',
            'x-df-api-secret': 'burst-secret',
            'content-type': multipartContentType(),
          },
          body: bytes,
        });
        const text = await response.text();
        const reason = response.status === 200 ? undefined : text.slice(0, 160);
        return { status: String(response.status), reason, ms: performance.now() - started };
      } catch (error) {
        const cause = (error as { cause?: { message?: string } }).cause?.message;
        return {
          status: `error: ${cause ?? (error as Error).message}`,
          reason: undefined,
          ms: performance.now() - started,
        };
      }
    }),
  );
  const byStatus: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  for (const { status, reason } of outcomes) {
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (reason !== undefined) reasons[reason] = (reasons[reason] ?? 0) + 1;
  }
  const times = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0);
  return { clients, byStatus, reasons, p50Ms: at(0.5), p99Ms: at(0.99) };
}
