import { describe, expect, it } from 'vitest';
import { driftHtml } from '../../contracts/drift/drift-html.js';
import type { DriftReport, ProbeDrift } from '../../contracts/drift/drift-report-types.js';

/** A hostile vendor: markup, quotes and a closing tag in every text it controls. */
const HOSTILE = `</pre><script>alert(1)</script><img src=x onerror="alert(2)">'"&`;

function probe(overrides: Partial<ProbeDrift>): ProbeDrift {
  return {
    probe: 'jpeg-file',
    checks: 'a JPEG as multipart file is accepted',
    decisions: [],
    spendsQuota: true,
    findings: [`status ${HOSTILE} is not a documented status value`],
    classedFindings: [{ class: 'contract', finding: `status ${HOSTILE} is not a documented status value` }],
    request: { method: 'POST', path: '/face/predict_gender', credentials: 'the key under test', body: '(no body)' },
    latencyMs: 12,
    target: {
      kind: 'answered',
      httpCode: 200,
      contentType: `text/html; ${HOSTILE}`,
      body: { status: HOSTILE, reason: HOSTILE, request_id: 'TID' },
      bodyIsJson: true,
      durationMs: 12,
    },
    mock: {
      kind: 'answered',
      httpCode: 503,
      contentType: 'text/html',
      body: HOSTILE,
      bodyIsJson: false,
      durationMs: 3,
    },
    mockProblems: [],
    ...overrides,
  };
}

const report: DriftReport = {
  checkedAt: '2025-01-02T03:17:00.000Z',
  target: `http://127.0.0.1:1/${HOSTILE}`,
  timeoutMs: 15000,
  exitCode: 1,
  verdict: 'drift found',
  message: `drift found in 1 of 2 probes (${HOSTILE})`,
  probes: [
    probe({}),
    probe({
      probe: 'no-image',
      findings: [],
      classedFindings: [],
      target: { kind: 'no-answer', cause: 'timeout', message: HOSTILE, durationMs: 15000 },
    }),
  ],
};

describe('drift-report.html', () => {
  const html = driftHtml(report);

  it('shows every text a vendor controls as text: no markup of its own reaches the page', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror="');
    expect(html).toContain(
      '&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;&#39;&quot;&amp;',
    );
    // One <pre> per answer panel: the hostile </pre> did not close one early.
    expect(html.split('<pre>').length).toBe(html.split('</pre>').length);
  });

  it('forbids scripts and every network fetch by its own policy', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
  });

  it('puts the verdict first, then the findings with their class, request and both answers', () => {
    const verdict = html.indexOf('id="verdict"');
    const findings = html.indexOf('id="findings"');
    expect(verdict).toBeGreaterThan(0);
    expect(findings).toBeGreaterThan(verdict);
    expect(html).toContain('<h1>AccuAuth drift check: drift found</h1>');
    expect(html).toContain('<li data-class="contract"><span class="class class-contract">contract</span>');
    expect(html).toContain('POST /face/predict_gender');
    expect(html).toContain('data-side="reference"');
    expect(html).toContain('data-side="target"');
    expect(html).toContain('<span class="code code-2xx">HTTP 200</span>');
    expect(html).toContain('<span class="code code-5xx">HTTP 503</span>');
    // Only drifted probes get a finding article; the probe table lists both.
    expect(html.match(/<article class="finding"/g)).toHaveLength(1);
    expect(html).toContain('<span class="code code-none">no answer</span>');
  });
});
