import junitModule, { type Builder } from 'junit-report-builder';
import { classesNotSetToFail, type DriftReport } from './drift-report-types.js';

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
  // Findings of a class --fail-on leaves out are no failure here either, or CI would show red tests under a run
  // that exited 0; they are kept in the case's output, saying why they do not fail.
  const notSetToFail = classesNotSetToFail(report);
  if (notSetToFail.length > 0) suite.property('not-set-to-fail', notSetToFail.join(','));
  for (const probe of report.probes) {
    const testCase = suite.testCase().className('drift.probes').name(probe.probe);
    const seconds = probe.target.durationMs / 1000;
    testCase.time(seconds);
    // Not compared when the check could not run: the one errored case above says why.
    if (report.exitCode === 2) {
      testCase.skipped();
      continue;
    }
    const failing = probe.classedFindings.filter((finding) => !notSetToFail.includes(finding.class));
    const tolerated = probe.classedFindings.filter((finding) => notSetToFail.includes(finding.class));
    if (failing.length > 0) testCase.failure(failing.map((finding) => finding.finding).join('\n'), 'drift');
    if (tolerated.length > 0) {
      const lines = tolerated.map((finding) => `${finding.finding} (${finding.class}, not set to fail)`);
      testCase.standardOutput(lines.join('\n'));
    }
  }
  return builder.build();
}
