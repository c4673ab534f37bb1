import { describeAnswer } from '../conformance/describe-answer.js';
import { classesNotSetToFail, type DriftReport } from './drift-report-types.js';

/**
 * The report as Markdown for a person and for `$GITHUB_STEP_SUMMARY`: the verdict and what to do first, then the
 * drifted probes with every finding, then one line per probe.
 */
export function driftSummary(report: DriftReport): string {
  const drifted = report.probes.filter((probe) => probe.findings.length > 0);
  const mockBugs = report.probes.filter((probe) => probe.mockProblems.length > 0);
  const notSetToFail = classesNotSetToFail(report);
  const lines = [
    `## AccuAuth drift check: ${report.verdict} (exit ${report.exitCode})`,
    '',
    `Target \`${report.target}\`, ${report.probes.length} probes, timeout ${report.timeoutMs} ms, checked ${report.checkedAt}.`,
    '',
    `> ${report.message}`,
    '',
    ...(notSetToFail.length === 0
      ? []
      : [`Not set to fail: ${notSetToFail.join(', ')} findings (\`--fail-on ${report.failOn?.join(',')}\`).`, '']),
  ];
  // Behavioural drift: what the cassette check spent, and any image it did not send.
  if (report.behaviour) {
    const { images, callsSpent, maxCalls, tolerance, notSent } = report.behaviour;
    lines.push(
      `Behaviour: ${images} cassette images, ${callsSpent} calls spent of at most ${maxCalls}, ` +
        `tolerance ${tolerance.confidence}, minimum IoU ${tolerance.minIou}.`,
      ...(notSent.length > 0 ? [`Not re-sent (call cap reached): ${notSent.join(', ')}.`] : []),
      '',
    );
  }
  if (drifted.length > 0) {
    lines.push('### Drift', '');
    for (const probe of drifted) {
      lines.push(`- **${probe.probe}**: ${probe.checks}`);
      for (const finding of probe.classedFindings) {
        const note = notSetToFail.includes(finding.class) ? ', not set to fail' : '';
        lines.push(`  - ${finding.finding} (${finding.class}${note})`);
      }
    }
    lines.push('');
  }
  const decisionDrifts = report.decisionDrifts ?? [];
  if (decisionDrifts.length > 0) {
    lines.push(
      '### Decisions the target takes otherwise',
      '',
      'Where the vendor documentation is silent, the target answered as another alternative would. `mock-profile.yaml`',
      '(in the report directory) sets these in `decisions:`: use it as your mock config and as `drift --config`.',
      '',
      '| decision | reference | target | told by |',
      '| --- | --- | --- | --- |',
    );
    for (const drift of decisionDrifts) {
      lines.push(
        `| ${[drift.decision, drift.configured, drift.shown, drift.probes.join(', ')].map(escapeCell).join(' | ')} |`,
      );
    }
    lines.push('');
  }
  if (mockBugs.length > 0) {
    lines.push('### The mock breaks the spec (a bug in accuauth-kit, not vendor drift)', '');
    for (const probe of mockBugs) lines.push(`- **${probe.probe}**: ${probe.mockProblems.join('; ')}`);
    lines.push('');
  }
  if (report.probes.length > 0) {
    lines.push('### Every probe', '', '| probe | target | mock | drift |', '| --- | --- | --- | --- |');
    for (const probe of report.probes) {
      const cells = [
        probe.probe,
        describeAnswer(probe.target),
        describeAnswer(probe.mock),
        report.exitCode === 2 ? 'not compared' : probe.findings.length > 0 ? 'yes' : 'no',
      ];
      lines.push(`| ${cells.map(escapeCell).join(' | ')} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
