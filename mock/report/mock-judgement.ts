import type { AuditView, ClientJudgement, CoverageView, RequiredOutcome } from '../core/index.js';

const READ_TIMEOUT_MS = 10_000;

export type MockJudgementRead = { ok: true; judgement: ClientJudgement } | { ok: false; reason: string };

/**
 * Reads a running mock's coverage and audit (`GET /__admin/coverage`, `GET /__admin/audit`). A mock that does not
 * answer, refuses the token, or answers something else is a reason saying so: the report must not read an
 * unreachable mock as "nothing covered".
 */
export async function readMockJudgement(
  mockUrl: string,
  options: { adminPrefix: string; require?: readonly RequiredOutcome[]; adminToken?: string },
): Promise<MockJudgementRead> {
  if (!URL.canParse(mockUrl) || !/^https?:/.test(mockUrl)) {
    return { ok: false, reason: `${JSON.stringify(mockUrl)} is not an http(s) URL (--mock)` };
  }
  const base = mockUrl.replace(/\/+$/, '');
  const admin = `${base}${options.adminPrefix}`;
  const headers: Record<string, string> = options.adminToken ? { authorization: `Bearer ${options.adminToken}` } : {};
  const query = options.require?.length ? `?require=${encodeURIComponent(options.require.join(','))}` : '';
  const coverage = await readJson<CoverageView & { since: string }>(`${admin}/coverage${query}`, headers);
  if (!coverage.ok) return coverage;
  const audit = await readJson<AuditView & { since: string }>(`${admin}/audit`, headers);
  if (!audit.ok) return audit;
  const { since, ...coverageView } = coverage.value;
  const { since: _same, ...auditView } = audit.value;
  if (!Array.isArray(coverageView.missing) || !Array.isArray(auditView.findings)) {
    return {
      ok: false,
      reason: `${base} answered its admin API without coverage or audit: is it an accuauth-kit mock?`,
    };
  }
  return { ok: true, judgement: { since, coverage: coverageView, audit: auditView } };
}

async function readJson<T>(
  url: string,
  headers: Record<string, string>,
): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(READ_TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, reason: `cannot read ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}` };
  }
  const text = await response.text();
  if (response.status === 401) {
    return { ok: false, reason: `${url} refused the admin token: pass the mock's token (--admin-token)` };
  }
  if (!response.ok) return { ok: false, reason: `${url} answered HTTP ${response.status}: ${text.slice(0, 200)}` };
  try {
    return { ok: true, value: JSON.parse(text) as T };
  } catch {
    return { ok: false, reason: `${url} answered a body that is not JSON: is it an accuauth-kit mock?` };
  }
}
