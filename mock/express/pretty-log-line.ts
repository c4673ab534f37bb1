export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/**
 * One log event as a line a person reads at a terminal:
 * `10:04:05.120 POST /face/predict_gender 200 OK 23.4 ms TIDc0ffee...` for a request,
 * `10:04:07.001 ERROR config reload refused ... reason=...` for anything else. Written here rather than with
 * pino-pretty: a dozen lines, and no transport thread to start.
 */
export function prettyLogLine(
  time: Date,
  level: Exclude<LogLevel, 'silent'>,
  fields: object,
  message: string | undefined,
): string {
  const clock = `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}.${pad(time.getMilliseconds(), 3)}`;
  const label = level === 'info' ? '' : ` ${level.toUpperCase()}`;
  const { method, path, httpCode, status, ms, request_id: requestId, ...rest } = fields as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof method === 'string' && typeof path === 'string') {
    parts.push(method, path, String(httpCode ?? ''), String(status ?? ''));
    if (typeof ms === 'number') parts.push(`${ms} ms`);
    if (typeof requestId === 'string') parts.push(requestId);
  } else {
    Object.assign(rest, { method, path, httpCode, status, ms, request_id: requestId });
  }
  if (message !== undefined) parts.push(message);
  for (const [name, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : JSON.stringify(value);
    parts.push(`${name}=${text}`);
  }
  return `${clock}${label} ${parts.filter((part) => part !== '').join(' ')}`;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}
