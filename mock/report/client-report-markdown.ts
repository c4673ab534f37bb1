import type { ClientReport } from './client-report.js';

/**
 * The report as GitHub-flavoured Markdown for `$GITHUB_STEP_SUMMARY`: the verdict, which documented outcomes the
 * suite never met, then each finding with what to do instead. Table cells are escaped: request ids and details are
 * plain text, but a `|` in one must not break the table.
 */
export function clientReportMarkdown(report: ClientReport): string {
  const { coverage, audit } = report;
  const lines = [
    `## AccuAuth client report: ${report.passed ? 'passed' : 'failed'}`,
    '',
    `${report.passed ? '✅' : '❌'} ${report.message}`,
    '',
    `Source: ${cell(report.source)} · since ${report.since} · ${coverage.calls} calls · ${audit.billableCalls} billable` +
      (audit.estimatedSpend === undefined ? '' : ` · estimated spend ${audit.estimatedSpend}`),
    '',
    '### Error-path coverage',
    '',
    '| Status | Answers | Provoked by | Required |',
    '| --- | ---: | --- | :---: |',
  ];
  const required = new Set<string>(coverage.required);
  for (const status of [...Object.keys(coverage.seen), ...coverage.missing]) {
    const count = coverage.seen[status as keyof typeof coverage.seen] ?? 0;
    const ways = Object.entries(coverage.provokedBy[status as keyof typeof coverage.provokedBy] ?? {})
      .map(([way, n]) => `${way} ${n}`)
      .join(', ');
    const need = required.has(status) ? (count > 0 ? '✅' : '❌ missing') : '';
    lines.push(`| \`${status}\` | ${count} | ${cell(ways || '-')} | ${need} |`);
  }
  lines.push('');
  if (coverage.missing.length > 0) lines.push(`Never answered: ${coverage.missing.map((s) => `\`${s}\``).join(', ')}.`);
  if (coverage.okVariants.missing.length > 0) {
    lines.push(`OK variants never answered: ${coverage.okVariants.missing.map((v) => `\`${v}\``).join(', ')}.`);
  }
  if (coverage.missingInputWays.length > 0) {
    lines.push(`Input ways never used: ${coverage.missingInputWays.join(', ')}.`);
  }
  lines.push('', '### Client-behaviour audit', '');
  if (audit.findings.length === 0) lines.push('No finding.');
  else {
    lines.push(
      '| Finding | Key | Count | First example | What to do instead | Fails |',
      '| --- | --- | ---: | --- | --- | :---: |',
    );
    const failing = new Set<string>(report.failOn);
    for (const finding of audit.findings) {
      const key = finding.source === undefined ? finding.keyId : `${finding.keyId} (${finding.source})`;
      const kind = finding.code === undefined ? finding.kind : `${finding.kind}: ${finding.code}`;
      const example = `${finding.example.detail} (${finding.example.requestIds.join(' → ')})`;
      lines.push(
        `| \`${cell(kind)}\` | ${cell(key)} | ${finding.count} | ${cell(example)} | ${cell(finding.fix)} | ${failing.has(finding.kind) ? '❌' : ''} |`,
      );
    }
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}

function cell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('\n', ' ').replaceAll('<', '&lt;');
}
