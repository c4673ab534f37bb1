import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientReport } from './client-report.js';
import { clientReportHtml } from './client-report-html.js';
import { clientReportJunit } from './client-report-junit.js';
import { clientReportMarkdown } from './client-report-markdown.js';

/** The files `accuauth-kit report` writes into its --out directory. */
export const CLIENT_REPORT_FILES = {
  json: 'client-report.json',
  markdown: 'client-summary.md',
  junit: 'client-junit.xml',
  html: 'client-report.html',
} as const;

/** Writes the four renderings of the report into `outDir` (created if missing); returns the Markdown. */
export function writeClientReport(report: ClientReport, outDir: string): { markdown: string; files: string[] } {
  mkdirSync(outDir, { recursive: true });
  const markdown = clientReportMarkdown(report);
  const contents: [string, string][] = [
    [CLIENT_REPORT_FILES.json, `${JSON.stringify(report, null, 2)}\n`],
    [CLIENT_REPORT_FILES.markdown, markdown],
    [CLIENT_REPORT_FILES.junit, clientReportJunit(report)],
    [CLIENT_REPORT_FILES.html, clientReportHtml(report)],
  ];
  const files = contents.map(([name, text]) => {
    const path = join(outDir, name);
    writeFileSync(path, text);
    return path;
  });
  return { markdown, files };
}
