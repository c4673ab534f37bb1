import junitModule, { type Builder } from 'junit-report-builder';
import type { DriftReport } from './drift-report-types.js';

// The package is CommonJS whose module.exports is the builder, but its types declare an ES default export; under
// NodeNext TypeScript therefore types the import as the module namespace. At run time the import is the builder.
const junit = junitModule as unknown as Builder;

/**
 * The report as JUnit XML, one test case per probe, so CI test views list each probe and its findings. A check that
 * could not run is one errored case carrying the message, so the job shows why rather than an empty suite.
 */
export function driftJunit(report: DriftReport): string {
  const builder = junit.newBuilder();
  const suite = builder.testSuite().name(`accuauth-kit drift ${report.target}`);
  if (report.exitCode === 2) {
    suite.testCase().className('drift').name('drift check').error(report.message, 'could-not-check');
  }
  for (const probe of report.probes) {
    const testCase = suite.testCase().className('drift.probes').name(probe.probe);
    const seconds = probe.target.durationMs / 1000;
    testCase.time(seconds);
    // Not compared when the check could not run: the one errored case above says why.
    if (report.exitCode === 2) testCase.skipped();
    else if (probe.findings.length > 0) testCase.failure(probe.findings.join('\n'), 'drift');
  }
  return builder.build();
}
