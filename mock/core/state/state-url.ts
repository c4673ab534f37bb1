/** The prefix of every Redis key and channel of the mock's state, unless `--state-prefix` says otherwise. */
export const DEFAULT_STATE_PREFIX = 'accuauth-kit:';

export type StateUrlCheck = { ok: true; url: string; shown: string } | { ok: false; reason: string };

/**
 * Checks a `--state` value: a `redis://` or `rediss://` URL (`redis://HOST:PORT/DB`, user and password allowed).
 * `shown` is the URL with its password (and user) replaced, the only form that goes into messages and the admin
 * API's config, since a Redis URL often carries the password.
 */
export function checkStateUrl(text: string): StateUrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return { ok: false, reason: `state must be a redis://HOST:PORT/DB URL, got "${redactedText(text)}"` };
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    return { ok: false, reason: `state must be a redis:// or rediss:// URL, got ${parsed.protocol}//...` };
  }
  const database = parsed.pathname.replace(/^\//, '');
  if (database !== '' && !/^\d+$/.test(database)) {
    return { ok: false, reason: `state: the database in redis://HOST:PORT/DB must be a number, got "${database}"` };
  }
  return { ok: true, url: text, shown: shownUrl(parsed) };
}

function shownUrl(parsed: URL): string {
  const shown = new URL(parsed.href);
  if (shown.password !== '') shown.password = '***';
  else if (shown.username !== '') shown.username = '***';
  return shown.href;
}

/** For a value that is not even a URL: anything between `//` and `@` may be credentials. */
function redactedText(text: string): string {
  return text.replace(/\/\/[^@/]*@/, '//***@');
}
