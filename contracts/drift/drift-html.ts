import { escapeHtml } from '../../src/escape-html.js';
import { REPORT_PAGE_STYLE } from '../../src/report-page-style.js';
import { statusOf, type TargetAnswer } from '../conformance/judge-answer.js';
import { CASSETTE_PROBE_PREFIX } from './behaviour-drift.js';
import { type DriftHistory, type Night, nightOf, nightsToPlot } from './drift-history.js';
import { classesNotSetToFail, DRIFT_NOT_SET_TO_FAIL, type DriftReport, type ProbeDrift } from './drift-report-types.js';
import { FINDING_CLASSES, type FindingClass } from './finding-class.js';
import { lineChart, stackedBarChart } from './svg-charts.js';

/**
 * The report as one self-contained HTML page a person reads at a glance: the verdict first, then each finding with
 * the request that showed it and the two answers side by side, then (given a history) the trend over the nights.
 * Opened from a CI artifact, so it needs nothing from the network: inline CSS, inline SVG, and no script at all
 * (its Content-Security-Policy forbids any). Every text from an answer is escaped: a vendor's body is untrusted.
 */
export function driftHtml(report: DriftReport, history?: DriftHistory): string {
  const drifted = report.probes.filter((probe) => probe.findings.length > 0);
  const mockBugs = report.probes.filter((probe) => probe.mockProblems.length > 0);
  const body = [
    verdictSection(report, drifted.length),
    history ? trendSection(report, history) : '',
    drifted.length > 0
      ? `<section id="findings"><h2>Findings on ${drifted.length} of ${report.probes.length} probes</h2>${drifted.map(findingArticle).join('')}</section>`
      : '',
    mockBugs.length > 0 ? mockProblemsSection(mockBugs) : '',
    report.probes.length > 0 ? probeTable(report.probes) : '',
    legend(),
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(`AccuAuth drift check: ${report.verdict}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** Colours of the HTTP code families, the status table's grouping (2xx success, 4xx refusals, 5xx failures). */
const STYLE = `${REPORT_PAGE_STYLE}
.verdict-not-set-to-fail { background: var(--warn-bg); border-color: var(--warn); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: 16px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg.chart { width: 100%; height: auto; display: block; }
.notes { color: var(--muted); font-size: 0.9rem; }
.notes li { overflow-wrap: anywhere; }
article.finding { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin: 0 0 16px; }
article.finding > p { margin: 0 0 8px; color: var(--muted); }
ul.found { margin: 0 0 10px; padding-left: 0; list-style: none; }
ul.found li { margin: 2px 0; overflow-wrap: anywhere; }
.class { display: inline-block; min-width: 5.5em; text-align: center; border-radius: 10px; padding: 0 8px; margin-right: 6px;
  font-size: 0.8rem; font-weight: 600; color: #fff; }
.class-contract { background: var(--contract); }
.class-decision { background: var(--decision); }
.class-behaviour { background: var(--behaviour); }
.class-latency { background: var(--latency); }
.request { background: var(--panel); border-radius: 6px; padding: 8px 10px; margin-bottom: 10px; }
.request dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
.request dt { color: var(--muted); }
.request dd { margin: 0; overflow-wrap: anywhere; }
.answers { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 340px), 1fr)); gap: 12px; }
.answer { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; min-width: 0; }
.answer .line { margin: 0 0 6px; overflow-wrap: anywhere; }
.answer pre { margin: 0; padding: 8px; background: var(--panel); border-radius: 4px; max-height: 320px; overflow: auto;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.code { display: inline-block; border-radius: 4px; padding: 0 6px; font-weight: 700; }
.code-2xx { background: var(--ok-bg); color: var(--ok); border: 1px solid var(--ok); }
.code-4xx { background: var(--warn-bg); color: var(--warn); border: 1px solid var(--warn); }
.code-5xx { background: var(--bad-bg); color: var(--bad); border: 1px solid var(--bad); }
.code-none { background: var(--panel); color: var(--muted); border: 1px dashed var(--muted); }
tr.drifted td:first-child { border-left: 4px solid var(--bad); }
`;

function verdictSection(report: DriftReport, driftedCount: number): string {
  const facts: [string, string][] = [
    ['target', report.target],
    ['checked', report.checkedAt],
    ['probes', String(report.probes.length)],
    ['drifted', String(driftedCount)],
    ['timeout', `${report.timeoutMs} ms`],
    ['exit', String(report.exitCode)],
  ];
  const notSetToFail = classesNotSetToFail(report);
  if (notSetToFail.length > 0)
    facts.push(['not set to fail', `${notSetToFail.join(', ')} (--fail-on ${report.failOn?.join(',')})`]);
  // Findings that exit 0 are still drift: shown in the warning colour, never in the green of "no drift".
  const shade = report.verdict === DRIFT_NOT_SET_TO_FAIL ? 'not-set-to-fail' : String(report.exitCode);
  return `<header class="verdict verdict-${shade}" id="verdict">
<h1>AccuAuth drift check: ${escapeHtml(report.verdict)}</h1>
<p class="message">${escapeHtml(report.message)}</p>
<dl class="facts">${facts.map(([name, value]) => `<div><dt>${name}</dt><dd>${escapeHtml(value)}</dd></div>`).join('')}</dl>
</header>`;
}

const CLASS_COLOURS: Record<FindingClass, string> = {
  contract: '#8250df',
  decision: '#0969da',
  behaviour: '#bc4c00',
  latency: '#1a7f37',
};

function trendSection(report: DriftReport, history: DriftHistory): string {
  const { nights, notes } = nightsToPlot(history, nightOf(report, 'this night'));
  const labels = nights.map(nightLabel(nights));
  const findingsChart = stackedBarChart({
    id: 'findings-per-class',
    title: 'Findings per class, per night',
    labels,
    series: FINDING_CLASSES.map((kind) => ({
      name: kind,
      colour: CLASS_COLOURS[kind],
      values: nights.map((night) => night.findings[kind]),
    })),
    shaded: nights.flatMap((night, index) => (night.exitCode === 2 ? [index] : [])),
  });
  const latencyChart = lineChart({
    id: 'vendor-latency',
    title: "The target's latency per probe, per night: median (p50) and slowest (max)",
    labels,
    unit: 'ms',
    series: [
      { name: 'p50', colour: '#0969da', values: nights.map((night) => night.latencyP50Ms) },
      { name: 'max', colour: '#cf222e', values: nights.map((night) => night.latencyMaxMs) },
    ],
  });
  const noteList =
    notes.length > 0
      ? `<details class="notes" id="history-notes"${nights.length > 1 ? '' : ' open'}><summary>${notes.length} history ${notes.length === 1 ? 'entry' : 'entries'} skipped</summary><ul>${notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul></details>`
      : '';
  return `<section id="trend">
<h2>Over ${nights.length} ${nights.length === 1 ? 'night' : 'nights'}</h2>
<div class="charts">
<figure><figcaption>Findings per class</figcaption>${findingsChart}</figure>
<figure><figcaption>Target latency per probe (p50, max)</figcaption>${latencyChart}</figure>
</div>
${noteList}
</section>`;
}

/** Dates on the x axis; with the time too when two nights share a date (manual runs between nights). */
function nightLabel(nights: readonly Night[]): (night: Night) => string {
  const dates = nights.map((night) => night.checkedAt.slice(0, 10));
  const unique = new Set(dates).size === dates.length;
  return (night) => (unique ? night.checkedAt.slice(0, 10) : night.checkedAt.slice(5, 16).replace('T', ' '));
}

function findingArticle(probe: ProbeDrift): string {
  const found = probe.classedFindings
    .map(
      (finding) =>
        `<li data-class="${finding.class}"><span class="class class-${finding.class}">${finding.class}</span>${escapeHtml(finding.finding)}</li>`,
    )
    .join('');
  const request = probe.request;
  return `<article class="finding" id="probe-${escapeHtml(probe.probe)}" data-probe="${escapeHtml(probe.probe)}">
<h3>${escapeHtml(probe.probe)}</h3>
<p>${escapeHtml(probe.checks)}</p>
<ul class="found">${found}</ul>
<div class="request"><h4>Request</h4><dl>
<dt>sent</dt><dd class="mono">${escapeHtml(`${request.method} ${request.path}`)}</dd>
<dt>credentials</dt><dd>${escapeHtml(request.credentials)}</dd>
<dt>body</dt><dd class="mono">${escapeHtml(request.body)}</dd>
</dl></div>
<div class="answers">
${answerPanel(probe.probe.startsWith(CASSETTE_PROBE_PREFIX) ? 'Reference: the recording' : 'Reference: the mock', 'reference', probe.mock)}
${answerPanel('Target', 'target', probe.target)}
</div>
</article>`;
}

function answerPanel(title: string, side: string, answer: TargetAnswer | null): string {
  if (answer === null) {
    return `<section class="answer" data-side="${side}"><h4>${title}</h4><p class="line"><span class="code code-none">not sent</span></p></section>`;
  }
  if (answer.kind === 'no-answer') {
    return `<section class="answer" data-side="${side}"><h4>${title}</h4><p class="line"><span class="code code-none">no answer</span> ${escapeHtml(`${answer.cause} after ${Math.round(answer.durationMs)} ms`)}</p><pre>${escapeHtml(answer.message)}</pre></section>`;
  }
  const status = answer.bodyIsJson ? (statusOf(answer.body) ?? '(no status)') : '(not JSON)';
  const text = answer.bodyIsJson ? JSON.stringify(answer.body, null, 2) : String(answer.body);
  return `<section class="answer" data-side="${side}"><h4>${title}</h4>
<p class="line">${codeBadge(answer.httpCode)} <strong>${escapeHtml(status)}</strong> · <span class="mono">${escapeHtml(answer.contentType || '(no content type)')}</span> · ${Math.round(answer.durationMs)} ms</p>
<pre>${escapeHtml(text)}</pre></section>`;
}

function codeBadge(httpCode: number): string {
  const family = httpCode >= 200 && httpCode < 300 ? '2xx' : httpCode >= 500 ? '5xx' : httpCode >= 400 ? '4xx' : 'none';
  return `<span class="code code-${family}">HTTP ${httpCode}</span>`;
}

function shortAnswer(answer: TargetAnswer | null): string {
  if (answer === null) return '<span class="code code-none">not sent</span>';
  if (answer.kind === 'no-answer') return `<span class="code code-none">no answer</span> ${escapeHtml(answer.cause)}`;
  const status = answer.bodyIsJson ? (statusOf(answer.body) ?? '(no status)') : '(not JSON)';
  return `${codeBadge(answer.httpCode)} ${escapeHtml(status)}`;
}

function mockProblemsSection(probes: readonly ProbeDrift[]): string {
  const items = probes
    .map(
      (probe) => `<li><strong>${escapeHtml(probe.probe)}</strong>: ${escapeHtml(probe.mockProblems.join('; '))}</li>`,
    )
    .join('');
  return `<section id="mock-problems"><h2>The mock breaks the spec (a bug in accuauth-kit, not vendor drift)</h2><ul>${items}</ul></section>`;
}

function probeTable(probes: readonly ProbeDrift[]): string {
  const rows = probes
    .map((probe) => {
      const drifted = probe.findings.length > 0;
      const name = drifted
        ? `<a href="#probe-${escapeHtml(probe.probe)}">${escapeHtml(probe.probe)}</a>`
        : escapeHtml(probe.probe);
      return `<tr${drifted ? ' class="drifted"' : ''}><td class="mono">${name}</td><td>${shortAnswer(probe.target)}</td><td>${shortAnswer(probe.mock)}</td><td class="num">${probe.latencyMs === null ? '-' : Math.round(probe.latencyMs)}</td><td class="num">${probe.findings.length}</td></tr>`;
    })
    .join('\n');
  return `<section id="probes"><h2>Every probe</h2><div class="table-wrap"><table>
<thead><tr><th>probe</th><th>target</th><th>reference (mock)</th><th>latency ms</th><th>findings</th></tr></thead>
<tbody>
${rows}
</tbody></table></div></section>`;
}

function legend(): string {
  return `<footer id="legend"><span>${codeBadge(200)} 2xx success</span><span>${codeBadge(400)} 4xx refused</span><span>${codeBadge(500)} 5xx failed</span>${FINDING_CLASSES.map((kind) => `<span><span class="class class-${kind}">${kind}</span></span>`).join('')}<span>Written by accuauth-kit drift; the API id and secret are never written into it.</span></footer>`;
}
