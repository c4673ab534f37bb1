import { escapeHtml } from '../../src/escape-html.js';

/**
 * Two small charts drawn as inline SVG, for the drift report's trend over the nights: the report must open from a
 * CI artifact with no network, and these two charts are less code than any charting library's set-up. Every text
 * is escaped; sizes come from a viewBox, so a chart scales with the page.
 */

export interface BarSeries {
  name: string;
  colour: string;
  values: readonly number[];
}

export interface LineSeries {
  name: string;
  colour: string;
  values: readonly (number | null)[];
}

interface ChartFrame {
  /** Unique on the page: names the chart's own SVG definitions. */
  id: string;
  /** Accessible name, also the chart's tooltip. */
  title: string;
  /** One label per point on the x axis (one per night). */
  labels: readonly string[];
}

const WIDTH = 640;
const HEIGHT = 240;
const MARGIN = { left: 48, right: 12, top: 30, bottom: 34 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;
/** More x labels than this overlap; the others are left to the tooltips. */
const MAX_X_LABELS = 8;

/**
 * Bars stacked per point, one colour per series; `shaded` points (nights that could not be checked) get a hatched
 * background instead, so "no findings" and "nothing checked" never look alike.
 */
export function stackedBarChart(frame: ChartFrame & { series: readonly BarSeries[]; shaded?: readonly number[] }) {
  const totals = frame.labels.map((_, index) =>
    frame.series.reduce((sum, series) => sum + (series.values[index] ?? 0), 0),
  );
  const axis = yAxis(Math.max(0, ...totals), true);
  const slot = PLOT_WIDTH / Math.max(1, frame.labels.length);
  const barWidth = Math.max(2, Math.min(40, slot * 0.7));
  const parts: string[] = [];
  const shaded = new Set(frame.shaded ?? []);
  const hatch = `${frame.id}-hatch`;
  frame.labels.forEach((label, index) => {
    const x = MARGIN.left + slot * index + (slot - barWidth) / 2;
    if (shaded.has(index)) {
      parts.push(
        `<rect x="${fmt(x)}" y="${MARGIN.top}" width="${fmt(barWidth)}" height="${PLOT_HEIGHT}" fill="url(#${hatch})">` +
          `<title>${escapeHtml(`${label}: could not check`)}</title></rect>`,
      );
    }
    let base = MARGIN.top + PLOT_HEIGHT;
    for (const series of frame.series) {
      const value = series.values[index] ?? 0;
      if (value <= 0) continue;
      const height = (value / axis.max) * PLOT_HEIGHT;
      base -= height;
      parts.push(
        `<rect x="${fmt(x)}" y="${fmt(base)}" width="${fmt(barWidth)}" height="${fmt(height)}" fill="${series.colour}">` +
          `<title>${escapeHtml(`${label}: ${value} ${series.name}`)}</title></rect>`,
      );
    }
  });
  const legend = frame.series.map((series) => ({ name: series.name, colour: series.colour }));
  if (shaded.size > 0) legend.push({ name: 'could not check', colour: `url(#${hatch})` });
  const defs =
    `<defs><pattern id="${hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    '<rect width="6" height="6" fill="#f6f8fa"/><line x1="0" y1="0" x2="0" y2="6" stroke="#afb8c1" stroke-width="3"/></pattern></defs>';
  return svg(frame, axis, [defs, ...parts], legend, slot);
}

/** One line per series with a marker at each point; a null value is a gap (nothing answered that night). */
export function lineChart(frame: ChartFrame & { series: readonly LineSeries[]; unit: string }) {
  const values = frame.series.flatMap((series) => series.values.filter((value): value is number => value !== null));
  const axis = yAxis(Math.max(0, ...values), false);
  const slot = PLOT_WIDTH / Math.max(1, frame.labels.length);
  const parts: string[] = [];
  for (const series of frame.series) {
    const points = series.values.map((value, index) =>
      value === null
        ? null
        : {
            x: MARGIN.left + slot * index + slot / 2,
            y: MARGIN.top + PLOT_HEIGHT - (value / axis.max) * PLOT_HEIGHT,
            value,
            label: frame.labels[index] ?? '',
          },
    );
    // Runs of consecutive points become one polyline each.
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1) {
        parts.push(
          `<polyline points="${run.join(' ')}" fill="none" stroke="${series.colour}" stroke-width="2" stroke-linejoin="round"/>`,
        );
      }
      run = [];
    };
    for (const point of points) {
      if (point === null) flush();
      else run.push(`${fmt(point.x)},${fmt(point.y)}`);
    }
    flush();
    for (const point of points) {
      if (point === null) continue;
      parts.push(
        `<circle cx="${fmt(point.x)}" cy="${fmt(point.y)}" r="3.5" fill="${series.colour}">` +
          `<title>${escapeHtml(`${point.label}: ${series.name} ${formatNumber(point.value)} ${frame.unit}`)}</title></circle>`,
      );
    }
  }
  return svg(
    frame,
    { ...axis, unit: frame.unit },
    parts,
    frame.series.map((series) => ({ name: series.name, colour: series.colour })),
    slot,
  );
}

interface Axis {
  max: number;
  ticks: number[];
  unit?: string;
}

/** A y axis from 0 to a round number at or above `largest`, with four or five ticks. */
function yAxis(largest: number, whole: boolean): Axis {
  if (largest <= 0) return { max: 1, ticks: [0, 1] };
  const rough = largest / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough) ?? rough;
  const wholeStep = whole ? Math.max(1, Math.ceil(step)) : step;
  const max = Math.ceil(largest / wholeStep) * wholeStep;
  const ticks: number[] = [];
  for (let tick = 0; tick <= max + wholeStep / 2; tick += wholeStep) ticks.push(tick);
  return { max, ticks };
}

function svg(
  frame: ChartFrame,
  axis: Axis,
  marks: readonly string[],
  legend: readonly { name: string; colour: string }[],
  slot: number,
): string {
  const bottom = MARGIN.top + PLOT_HEIGHT;
  const grid = axis.ticks.map((tick) => {
    const y = bottom - (tick / axis.max) * PLOT_HEIGHT;
    return (
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${fmt(y)}" y2="${fmt(y)}" stroke="#d0d7de" stroke-width="1"/>` +
      `<text x="${MARGIN.left - 6}" y="${fmt(y + 4)}" text-anchor="end">${escapeHtml(formatNumber(tick))}</text>`
    );
  });
  const every = Math.ceil(frame.labels.length / MAX_X_LABELS);
  const xLabels = frame.labels.flatMap((label, index) =>
    index % every === 0 || index === frame.labels.length - 1
      ? [
          `<text x="${fmt(MARGIN.left + slot * index + slot / 2)}" y="${bottom + 18}" text-anchor="middle">${escapeHtml(label)}</text>`,
        ]
      : [],
  );
  let legendX = MARGIN.left;
  const legendItems = legend.map((item) => {
    const entry =
      `<rect x="${legendX}" y="8" width="12" height="12" fill="${item.colour}" stroke="#8c959f" stroke-width="0.5"/>` +
      `<text x="${legendX + 16}" y="18">${escapeHtml(item.name)}</text>`;
    legendX += 16 + item.name.length * 7.5 + 18;
    return entry;
  });
  const unit = axis.unit ? `<text x="6" y="${MARGIN.top - 8}">${escapeHtml(axis.unit)}</text>` : '';
  return [
    `<svg class="chart" id="${escapeHtml(frame.id)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(frame.title)}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${escapeHtml(frame.title)}</title>`,
    '<g font-size="12" fill="#57606a">',
    ...grid,
    ...xLabels,
    unit,
    ...legendItems,
    '</g>',
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${bottom}" y2="${bottom}" stroke="#57606a" stroke-width="1"/>`,
    ...marks,
    '</svg>',
  ].join('');
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en') : value.toFixed(1);
}
