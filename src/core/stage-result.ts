import type { Answer } from './answer.js';

/** What a pipeline stage returns: either the request goes on (with what the stage learnt) or it is answered. */
export type StageResult<T> = ({ ok: true } & T) | { ok: false; answer: Answer };

export function stop(answer: Answer): { ok: false; answer: Answer } {
  return { ok: false, answer };
}
