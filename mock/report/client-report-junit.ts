import junitModule, { type Builder } from 'junit-report-builder';
import { FINDING_KINDS } from '../core/index.js';
import type { ClientReport } from './client-report.js';

// The package is CommonJS whose module.exports is the builder, but its types declare an ES default export; under
// NodeNext TypeScript therefore types the import as the module namespace. At run time the import is the builder.
const junit = junitModule as unknown as Builder;

/**
 * The report as JUnit XML, so CI test views list it: one test case per required outcome (failed when never
 * answered) and one per finding kind (failed when the kind fails the report and was found; a found kind that does
 * not fail it passes with the findings as its output).
 */
export function clientReportJunit(report: ClientReport): string {
  const builder = junit.newBuilder();
  const coverage = builder.testSuite().name('accuauth-kit client coverage');
  const missing = new Set<string>(report.coverage.unmet);
  for (const status of report.coverage.required) {
    const testCase = coverage.testCase().className('coverage').name(status);
    if (missing.has(status)) {
      testCase.failure(
        `the client's calls never got ${status}: provoke it (Prefer, a scenario, POST /__admin/next) and check the client's handling`,
        'missing-outcome',
      );
    } else testCase.standardOutput(`${report.coverage.seen[status] ?? 0} answers`);
  }
  const audit = builder.testSuite().name('accuauth-kit client audit');
  const failing = new Set<string>(report.failOn);
  for (const kind of FINDING_KINDS) {
    const testCase = audit.testCase().className('audit').name(kind);
    const found = report.audit.findings.filter((finding) => finding.kind === kind);
    const text = found
      .map(
        (finding) =>
          `${finding.keyId}${finding.source === undefined ? '' : ` (${finding.source})`}${finding.code === undefined ? '' : ` ${finding.code}`}: ` +
          `${finding.count}x, first ${finding.example.detail} (${finding.example.requestIds.join(' -> ')}); ${finding.fix}`,
      )
      .join('\n');
    if (found.length > 0 && failing.has(kind)) testCase.failure(text, kind);
    else if (found.length > 0) testCase.standardOutput(text);
  }
  return builder.build();
}
