import { escapeHtml } from '../../src/escape-html.js';
import { REPORT_PAGE_STYLE } from '../../src/report-page-style.js';
import type { ClientReport } from './client-report.js';

/**
 * The report as one self-contained HTML page in the drift report's style: the verdict first, then the coverage
 * (each documented outcome with how often and how it was provoked, required ones marked), then each finding with
 * what to do instead. No script and no network (its Content-Security-Policy forbids both); every text from a
 * request or an answer is escaped.
 */
export function clientReportHtml(report: ClientReport): string {
  const title = `AccuAuth client report: ${report.passed ? 'passed' : 'failed'}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${verdictSection(report, title)}
${coverageSection(report)}
${auditSection(report)}
</main>
</body>
</html>
`;
}

const STYLE = `${REPORT_PAGE_STYLE}
tr.unmet td:first-child { border-left: 4px solid var(--bad); }
tr.met td:first-child { border-left: 4px solid var(--ok); }
.gaps { color: var(--muted); font-size: 0.9rem; }
.kind { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 0.8rem; font-weight: 600; color: #fff;
  background: var(--decision); }
.kind.failing { background: var(--bad); }
`;

function verdictSection(report: ClientReport, title: string): string {
  const facts: [string, string][] = [
    ['source', report.source],
    ['since', report.since],
    ['calls', String(report.coverage.calls)],
    ['billable', String(report.audit.billableCalls)],
    ...(report.audit.estimatedSpend === undefined
      ? []
      : [['estimated spend', String(report.audit.estimatedSpend)] as [string, string]]),
    ['exit', String(report.exitCode)],
  ];
  return `<header class="verdict verdict-${report.exitCode}" id="verdict">
<h1>${escapeHtml(title)}</h1>
<p class="message">${escapeHtml(report.message)}</p>
<dl class="facts">${facts.map(([name, value]) => `<div><dt>${name}</dt><dd>${escapeHtml(value)}</dd></div>`).join('')}</dl>
</header>`;
}

function coverageSection(report: ClientReport): string {
  const { coverage } = report;
  const required = new Set<string>(coverage.required);
  const rows = [...Object.keys(coverage.seen), ...coverage.missing].map((status) => {
    const count = coverage.seen[status as keyof typeof coverage.seen] ?? 0;
    const ways = Object.entries(coverage.provokedBy[status as keyof typeof coverage.provokedBy] ?? {})
      .map(([way, n]) => `${way} ${n}`)
      .join(', ');
    const mark = required.has(status) ? (count > 0 ? 'met' : 'unmet') : '';
    return `<tr${mark ? ` class="${mark}"` : ''}><td class="mono">${escapeHtml(status)}</td><td class="num">${count}</td><td>${escapeHtml(ways || '-')}</td><td>${mark === 'unmet' ? 'required, never answered' : mark === 'met' ? 'required' : ''}</td></tr>`;
  });
  const gaps = [
    coverage.okVariants.missing.length > 0
      ? `OK variants never answered: ${coverage.okVariants.missing.join(', ')}`
      : '',
    coverage.missingInputWays.length > 0 ? `input ways never used: ${coverage.missingInputWays.join(', ')}` : '',
  ].filter((gap) => gap !== '');
  return `<section id="coverage"><h2>Error-path coverage</h2><div class="table-wrap"><table>
<thead><tr><th>Status</th><th>Answers</th><th>Provoked by</th><th>Requirement</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>
${gaps.length > 0 ? `<p class="gaps">${gaps.map(escapeHtml).join('<br>')}</p>` : ''}</section>`;
}

function auditSection(report: ClientReport): string {
  const { audit } = report;
  if (audit.findings.length === 0) {
    return '<section id="audit"><h2>Client-behaviour audit</h2><p>No finding.</p></section>';
  }
  const failing = new Set<string>(report.failOn);
  const rows = audit.findings.map((finding) => {
    const key = finding.source === undefined ? finding.keyId : `${finding.keyId} (${finding.source})`;
    const kind = finding.code === undefined ? finding.kind : `${finding.kind}: ${finding.code}`;
    return `<tr><td><span class="kind${failing.has(finding.kind) ? ' failing' : ''}">${escapeHtml(kind)}</span></td><td class="mono">${escapeHtml(key)}</td><td class="num">${finding.count}</td><td>${escapeHtml(finding.example.detail)}<br><span class="mono">${escapeHtml(finding.example.requestIds.join(' → '))}</span></td><td>${escapeHtml(finding.fix)}</td></tr>`;
  });
  return `<section id="audit"><h2>Client-behaviour audit</h2><div class="table-wrap"><table>
<thead><tr><th>Finding</th><th>Key</th><th>Count</th><th>First example</th><th>What to do instead</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div></section>`;
}
