// @ts-check
import { codeBadge } from './call-text.js';
import { pageElement, setText, textElement } from './page-elements.js';

/**
 * The coverage half of the judgement panel: per documented status value how often the client's calls got it and
 * how it was provoked, which are missing, which the config's `coverage.require` names and which of those are unmet,
 * and the OK variants and input ways met. Every table has a fixed set of rows (the spec's status values, variants
 * and ways), so an update changes text, never the panel's size.
 * @typedef {import('../../admin-answers.js').CoverageAnswer} CoverageAnswer
 * @typedef {import('../../admin-answers.js').StatusesAnswer} StatusesAnswer
 * @typedef {import('../../../../src/types.js').StatusValue} StatusValue
 */

/** @type {{ status: StatusValue; row: HTMLTableRowElement }[]} */
let statusRows = [];

const body = (/** @type {string} */ id) => {
  const tbody = pageElement(id, HTMLTableElement).tBodies[0];
  if (!tbody) throw new Error(`the dashboard page has no <tbody> in #${id}`);
  return tbody;
};

/** One row per documented status value, in the spec's order, with its HTTP code: the rows never change after. */
export function setUpCoverage(/** @type {StatusesAnswer} */ statuses) {
  statusRows = [statuses.ok, ...statuses.errors].map(({ status, httpCode }) => {
    const row = document.createElement('tr');
    row.dataset.status = status;
    const name = textElement('th', '', 'c-status');
    name.scope = 'row';
    name.title = `${httpCode} ${status}`;
    name.append(codeBadge(httpCode), document.createTextNode(status));
    row.append(name, textElement('td', '', 'c-seen num'), textElement('td', '', 'c-required'), textElement('td'));
    return { status, row };
  });
  body('coverage').replaceChildren(...statusRows.map(({ row }) => row));
}

export function showCoverage(/** @type {CoverageAnswer} */ coverage) {
  const other = Object.entries(coverage.otherAnswers).map(([status, count]) => `${status} ${count}`);
  setText(
    pageElement('judgement-since', HTMLSpanElement),
    `since ${coverage.since.slice(11, 19)} UTC · ${coverage.calls} call${coverage.calls === 1 ? '' : 's'}` +
      (other.length > 0 ? ` · not a documented status: ${other.join(', ')}` : ''),
  );
  const required = new Set(coverage.required);
  const unmet = new Set(coverage.unmet);
  for (const { status, row } of statusRows) {
    const count = coverage.seen[status] ?? 0;
    row.dataset.state = count > 0 ? 'seen' : 'missing';
    row.dataset.required = required.has(status) ? (unmet.has(status) ? 'unmet' : 'met') : 'no';
    const [, seen, need, how] = row.cells;
    if (seen) setText(seen, count > 0 ? String(count) : 'missing');
    if (need) setText(need, required.has(status) ? (unmet.has(status) ? 'unmet' : 'met') : '');
    if (how) {
      const ways = Object.entries(coverage.provokedBy[status] ?? {}).map(([way, times]) => `${way} ${times}`);
      setText(how, ways.join(' · '));
    }
  }
  showRequirement(coverage);
  const { okVariants } = coverage;
  const variantMissing = new Set(okVariants.missing);
  showCounts(
    'ok-variants',
    [
      ...Object.entries(okVariants.gender).map(([gender, count]) => ({ id: `gender=${gender}`, label: gender, count })),
      { id: 'beard=true', label: 'beard', count: okVariants.beard.true },
      { id: 'beard=false', label: 'no beard', count: okVariants.beard.false },
      { id: 'confidence=below', label: 'confidence < threshold', count: okVariants.confidence.below },
      { id: 'confidence=atOrAbove', label: 'confidence ≥ threshold', count: okVariants.confidence.atOrAbove },
    ],
    variantMissing,
  );
  showCounts(
    'input-ways',
    Object.entries(coverage.inputWays).map(([way, count]) => ({ id: way, label: way, count })),
    new Set(coverage.missingInputWays),
  );
}

/** The line over the tables: what the config requires, and what of it no call got yet. */
function showRequirement(/** @type {CoverageAnswer} */ coverage) {
  const line = pageElement('coverage-required', HTMLParagraphElement);
  const key = `${coverage.required.join(',')}/${coverage.unmet.join(',')}`;
  if (line.dataset.shown === key) return;
  line.dataset.shown = key;
  if (coverage.required.length === 0) {
    line.dataset.state = 'none';
    line.replaceChildren('Nothing required (the config sets no coverage.require).');
  } else if (coverage.unmet.length === 0) {
    line.dataset.state = 'met';
    line.replaceChildren(`All ${coverage.required.length} required outcomes met.`);
  } else {
    line.dataset.state = 'unmet';
    line.replaceChildren(
      `Required, never answered (${coverage.unmet.length} of ${coverage.required.length}): `,
      ...coverage.unmet.map((status) => {
        const item = textElement('span', status, 'unmet');
        item.dataset.status = status;
        return item;
      }),
    );
  }
  line.title = line.textContent ?? '';
}

/**
 * A two-column table of counts whose rows are fixed by the spec (variants, input ways): built once, then only the
 * counts change.
 * @param {string} id
 * @param {{ id: string; label: string; count: number }[]} items
 * @param {ReadonlySet<string>} missing
 */
function showCounts(id, items, missing) {
  const tbody = body(id);
  const ids = items.map((item) => item.id).join('\n');
  if ([...tbody.rows].map((row) => row.dataset.id).join('\n') !== ids) {
    tbody.replaceChildren(
      ...items.map((item) => {
        const row = document.createElement('tr');
        row.dataset.id = item.id;
        const label = textElement('th', item.label);
        label.scope = 'row';
        row.append(label, textElement('td', '', 'c-seen num'));
        return row;
      }),
    );
  }
  items.forEach((item, index) => {
    const row = tbody.rows[index];
    const seen = row?.cells[1];
    if (!row || !seen) return;
    row.dataset.state = missing.has(item.id) ? 'missing' : 'seen';
    setText(seen, missing.has(item.id) ? 'missing' : String(item.count));
  });
}
