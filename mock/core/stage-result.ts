import type { Answer } from './answer.js';
import type { Diagnosis } from './client-diagnosis.js';

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

/**
 * An answer, with the stage that chose it naming itself, and why when the request was refused for a mistake of the
 * client (a scripted answer, an account state or a limit has no diagnosis).
 */
export interface Stopped {
  ok: false;
  answer: Answer;
  decidedBy: DecidingStage;
  diagnosis?: Diagnosis;
}

export function stop(answer: Answer, decidedBy: DecidingStage, diagnosis?: Diagnosis): Stopped {
  return diagnosis === undefined ? { ok: false, answer, decidedBy } : { ok: false, answer, decidedBy, diagnosis };
}
