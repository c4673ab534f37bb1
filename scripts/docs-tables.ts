/**
 * The tables of docs/ that the spec holds: the status values with their HTTP codes, and the decisions where the
 * vendor documentation is silent. Each lives between `<!-- generated:NAME -->` and `<!-- /generated -->` in a guide,
 * so the prose around it stays hand-written while the facts are read from the spec (through src/spec/) and can never
 * disagree with it. `npm run generate` rewrites the regions (generate-docs-tables.ts), and
 * test/library/spec-catalogue.test.ts fails while a committed guide is stale.
 */
import { liveProbes } from '../contracts/probes/probe-catalogue.js';
import { CONFIG_SECTION_CHANGES } from '../mock/core/config/config-sections.js';
import { readDecisionCatalogue } from '../src/spec/decision-catalogue.js';
import { buildErrorCatalogue, readOkHttpCode } from '../src/spec/error-catalogue.js';
import { loadSpec, predictGenderOperation, type SpecDocument } from '../src/spec/spec-document.js';

/** The guides that hold generated regions. */
export const docsWithTables: readonly URL[] = [
  new URL('../docs/spec.md', import.meta.url),
  new URL('../docs/mock.md', import.meta.url),
];

type TableRenderer = (spec: SpecDocument) => string;

const renderers: Readonly<Record<string, TableRenderer>> = {
  statuses: statusTable,
  decisions: decisionTable,
  'config-reload': configReloadTable,
};

const REGION = /(<!-- generated:([a-z-]+) -->\n)[\s\S]*?(<!-- \/generated -->)/g;

/** `markdown` with every generated region rewritten from `spec`; a region of an unknown name is an error. */
export function withFreshTables(markdown: string, spec: SpecDocument = loadSpec()): string {
  return markdown.replace(REGION, (_whole, open: string, name: string, close: string) => {
    const render = renderers[name];
    if (!render) {
      throw new Error(`<!-- generated:${name} --> names no table; known: ${Object.keys(renderers).join(', ')}`);
    }
    return `${open}${render(spec)}${close}`;
  });
}

/** What a reload does to each section of the config, from the one table the reloader reads. */
function configReloadTable(): string {
  const sections = Object.entries(CONFIG_SECTION_CHANGES);
  const reloaded = sections.filter(([, change]) => change === 'reload').map(([section]) => `\`${section}\``);
  const atStart = sections.filter(([, change]) => change === 'restart').map(([section]) => `\`${section}\``);
  return markdownTable(
    ['section', 'on reload'],
    [
      [
        reloaded.join(', '),
        'if changed: put in force through the same core calls as the admin API (keys and scenarios restart their counters and sequences; latency and faults keep them)',
      ],
      [
        atStart.join(', '),
        'read at start only: a change is logged (warn), listed in `needRestart`, and takes effect at the next start',
      ],
      ['anything unchanged', 'left as it runs (a change made through the admin API included); its counters are kept'],
      ['the journal', 'kept'],
    ],
  );
}

/** Status value, HTTP code and the vendor's description, `OK` first. */
function statusTable(spec: SpecDocument): string {
  const okCode = readOkHttpCode(spec);
  const okDescription = predictGenderOperation(spec).responses[String(okCode)]?.description ?? '';
  const rows = [['`OK`', String(okCode), okDescription]];
  for (const entry of buildErrorCatalogue(spec).values()) {
    rows.push([`\`${entry.status}\``, String(entry.httpCode), entry.description]);
  }
  return markdownTable(['status', 'HTTP', 'meaning (vendor)'], rows);
}

/** Each decision with the spec's choice, the other alternatives and the live probes whose answer tells them apart. */
function decisionTable(spec: SpecDocument): string {
  const probes = liveProbes();
  const rows: string[][] = [];
  for (const decision of readDecisionCatalogue(spec).values()) {
    const telling = probes.filter((probe) => probe.tells?.decision === decision.name).map((probe) => probe.name);
    // A decision no live probe tells would be one the drift check can never report: the table must not hide that.
    if (telling.length === 0) throw new Error(`no live probe tells decision ${decision.name}`);
    const others = [...decision.alternatives].filter(([name]) => name !== decision.choice);
    rows.push([
      `\`${decision.name}\``,
      decision.summary,
      `\`${decision.choice}\`: ${decision.alternatives.get(decision.choice) ?? ''}`,
      others.map(([name, meaning]) => `\`${name}\`: ${meaning}`).join(' '),
      telling.map((name) => `\`${name}\``).join(', '),
    ]);
  }
  return markdownTable(['decision', 'question', "the spec's choice", 'alternatives', 'live probes that tell'], rows);
}

/** A Markdown table with its columns padded, as a formatter would lay it out, so a diff shows the changed cell. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  // `|` would end a cell and `*` start emphasis (the vendor's "128*128").
  const cells = [header, ...rows].map((row) => row.map((cell) => cell.replaceAll(/[|*]/g, '\\$&')));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |\n`;
  const [head = [], ...body] = cells;
  return line(head) + line(widths.map((width) => '-'.repeat(width))) + body.map(line).join('');
}
