/**
 * What a failed `fetch` says: it throws only "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND, a TLS
 * error) is in its `cause`. `code` is the system error code when there is one; `message` the cause's message,
 * else the error's own.
 */
export function unwrapFetchFailure(error: unknown): { code: string | undefined; message: string } {
  if (!(error instanceof Error)) return { code: undefined, message: String(error) };
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = typeof cause?.message === 'string' ? cause.message : error.message;
  return { code, message };
}
