import type { Answer } from './answer.js';

/**
 * The stage that chose an answer, as the journal and the dashboard name it. `cassette`: a recorded answer replayed;
 * `proxy`: the vendor's answer relayed live by the recording proxy (recorded as it passed).
 */
export type DecidingStage =
  | 'route'
  | 'prefer'
  | 'credentials'
  | 'rate-limit'
  | 'body'
  | 'image'
  | 'scenario'
  | 'cassette'
  | 'proxy'
  | 'quota'
  | 'fault'
  | 'derived';

/** What a pipeline stage returns: either the request goes on (with what the stage learnt) or it is answered. */
export type StageResult<T> = ({ ok: true } & T) | Stopped;

/** An answer, with the stage that chose it naming itself. */
export interface Stopped {
  ok: false;
  answer: Answer;
  decidedBy: DecidingStage;
}

export function stop(answer: Answer, decidedBy: DecidingStage): Stopped {
  return { ok: false, answer, decidedBy };
}
