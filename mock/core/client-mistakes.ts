import type { Diagnosis } from './client-diagnosis.js';

/** One call refused for a mistake of the client, as strict mode prints it. */
export interface ClientMistake {
  method: string;
  path: string;
  httpCode: number;
  /** The answer's status value (NOT_FOUND, UNAUTHORIZED, INVALID_ARGUMENT, or METHOD_NOT_ALLOWED for a 405). */
  status: string;
  requestId?: string;
  diagnosis: Diagnosis;
}

/** What `clientMistakes()` answers: how many since the last reset, and the first few of them. */
export interface ClientMistakes {
  count: number;
  examples: ClientMistake[];
}

/** Enough examples to show every kind of mistake a suite makes; the count goes on past them. */
const MAX_EXAMPLES = 50;

/**
 * The refusals this mock gave for mistakes of the client since the last reset, for strict mode. Kept beside the
 * journal rather than read from it: the journal is capped (or off), and a shared store's journal also holds other
 * replicas' calls, where strict mode judges the calls its own test made.
 */
export class ClientMistakeLog {
  private count = 0;
  private examples: ClientMistake[] = [];

  record(mistake: ClientMistake): void {
    this.count += 1;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(mistake);
  }

  list(): ClientMistakes {
    return { count: this.count, examples: [...this.examples] };
  }

  clear(): void {
    this.count = 0;
    this.examples = [];
  }
}

/**
 * The mistakes as a test failure's message: each diagnosis with its value and fix, and the closest valid request
 * once (it is the same sentence for every mistake of one mock).
 */
export function describeClientMistakes(mistakes: ClientMistakes): string {
  const lines = mistakes.examples.map((mistake, index) => {
    const { code, value, fix } = mistake.diagnosis;
    const shown = value === undefined ? '' : ` (${JSON.stringify(value)})`;
    const id = mistake.requestId === undefined ? '' : ` ${mistake.requestId}`;
    return (
      `  ${index + 1}. ${mistake.method} ${mistake.path} -> ${mistake.httpCode} ${mistake.status}${id}\n` +
      `     ${code}${shown}: ${fix}`
    );
  });
  const more = mistakes.count > mistakes.examples.length ? [`  ... and ${mistakes.count - lines.length} more`] : [];
  const closest = mistakes.examples[0]?.diagnosis.closest;
  return [
    `${mistakes.count} call${mistakes.count === 1 ? ' was' : 's were'} refused for a mistake of the client ` +
      '(not scripted by Prefer, a scenario or a queued answer):',
    ...lines,
    ...more,
    ...(closest === undefined ? [] : [`Closest valid request: ${closest}`]),
  ].join('\n');
}

/**
 * Strict mode's failure: thrown by `assertNoClientMistakes()`, and by `close()`/`reset()` of a mock started with
 * `strict: true`, so the test (or its afterEach/afterAll) fails with each diagnosis in its message.
 */
export class ClientMistakesError extends Error {
  constructor(readonly mistakes: ClientMistakes) {
    super(describeClientMistakes(mistakes));
    this.name = 'ClientMistakesError';
  }
}
