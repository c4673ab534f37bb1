// @ts-check
import { answerParts, bodyText, codeBadge, hasImage, imageText } from './call-text.js';
import { pageElement, textElement } from './page-elements.js';

/**
 * The calls table, newest first, with its status and key filters. The journal itself is the admin API's; the
 * table keeps the latest MAX_ROWS entries it was given.
 * @typedef {import('../../admin-answers.js').JournalEntry} JournalEntry
 */

/** Rows kept on the page. */
const MAX_ROWS = 500;

/** @type {JournalEntry[]} */
const calls = [];
/** @type {Set<string>} */
const knownKeys = new Set();
/** @type {string | null} */
let selectedId = null;
/** @type {(entry: JournalEntry | undefined, which: 'selected call' | 'latest upload') => void} */
let onSelection = () => {};

const table = () => pageElement('calls', HTMLTableElement);
const tbody = () => {
  const body = table().tBodies[0];
  if (!body) throw new Error('the dashboard page has no <tbody> in #calls');
  return body;
};
const statusFilter = () => pageElement('filter-status', HTMLSelectElement);
const keyFilter = () => pageElement('filter-key', HTMLSelectElement);

/** A cell with its text, whole in its tooltip (the columns are fixed, a long value is cut). */
export function cell(/** @type {string} */ text, className = '') {
  const td = textElement('td', text, className);
  td.title = text;
  return td;
}

/**
 * Wires the filters, and `show` for what the preview should show when the selection changes: the selected call,
 * or the latest upload when none is selected.
 * @param {typeof onSelection} show
 */
export function setUpJournalTable(show) {
  onSelection = show;
  statusFilter().addEventListener('change', renderAll);
  keyFilter().addEventListener('change', renderAll);
}

/** Replaces the table with `entries` (oldest first, as `GET /__admin/requests` lists them) and unselects. */
export function showJournal(/** @type {readonly JournalEntry[]} */ entries) {
  calls.length = 0;
  selectedId = null;
  for (const entry of entries.slice(-MAX_ROWS).reverse()) {
    calls.push(entry);
    addKeyOption(entry.keyId);
  }
  renderAll();
  updateCounts();
}

/** A new journal entry: one row on top, nothing else moves (the table's columns and row height are fixed). */
export function addCall(/** @type {JournalEntry} */ entry) {
  calls.unshift(entry);
  if (calls.length > MAX_ROWS) calls.length = MAX_ROWS;
  addKeyOption(entry.keyId);
  const rows = tbody();
  if (passes(entry)) rows.prepend(row(entry));
  while (rows.rows.length > MAX_ROWS) rows.lastElementChild?.remove();
  pageElement('calls-empty', HTMLParagraphElement).hidden = true;
  updateCounts();
}

/** Whether a call is selected (then the preview stays on it as calls arrive). */
export function hasSelection() {
  return selectedId !== null;
}

/** The newest call with a picture, if any. */
export function latestUpload() {
  return calls.find(hasImage);
}

/** Adds a key to the key filter, once. */
export function addKeyOption(/** @type {string | undefined} */ keyId) {
  if (!keyId || knownKeys.has(keyId)) return;
  knownKeys.add(keyId);
  const option = textElement('option', keyId);
  option.value = keyId;
  keyFilter().append(option);
}

/** Adds a status to the status filter. */
export function addStatusOption(/** @type {string} */ status, /** @type {number} */ httpCode) {
  const option = textElement('option', `${status} (${httpCode})`);
  option.value = status;
  statusFilter().append(option);
}

function passes(/** @type {JournalEntry} */ entry) {
  const status = statusFilter().value;
  const key = keyFilter().value;
  return (!status || entry.status === status) && (!key || (entry.keyId || '') === key);
}

function renderAll() {
  tbody().replaceChildren(...calls.filter(passes).map(row));
  pageElement('calls-empty', HTMLParagraphElement).hidden = calls.length > 0;
}

function updateCounts() {
  pageElement('counts', HTMLSpanElement).textContent = `${calls.length} call${calls.length === 1 ? '' : 's'} shown`;
}

/** Selects the call (or unselects it when it was selected) and tells the preview. */
function select(/** @type {string} */ requestId) {
  selectedId = selectedId === requestId ? null : requestId;
  for (const tr of tbody().rows) tr.setAttribute('aria-selected', String(tr.dataset.requestId === selectedId));
  if (selectedId === null) onSelection(latestUpload(), 'latest upload');
  else
    onSelection(
      calls.find((call) => call.requestId === selectedId),
      'selected call',
    );
}

function row(/** @type {JournalEntry} */ entry) {
  const tr = document.createElement('tr');
  tr.dataset.requestId = entry.requestId ?? '';
  tr.dataset.status = entry.status;
  tr.dataset.keyId = entry.keyId || '';
  if (entry.diagnosis) tr.dataset.diagnosis = entry.diagnosis.code;
  tr.setAttribute('aria-selected', String(entry.requestId !== undefined && entry.requestId === selectedId));
  const answer = cell('', 'c-answer');
  answer.append(codeBadge(entry.httpCode), document.createTextNode(entry.status));
  const { reason } = answerParts(entry.answer);
  answer.title = `${entry.httpCode} ${entry.status}${reason ? `: ${reason}` : ''}`;
  const stage = entry.scenario ? `${entry.decidedBy} · ${entry.scenario}` : entry.decidedBy;
  tr.append(
    cell(entry.at.slice(11, 19), 'c-time'),
    cell(entry.keyId || '—', 'c-key'),
    cell(bodyText(entry.body), 'c-body'),
    cell(imageText(entry.body), 'c-image'),
    answer,
    cell(stage, 'c-stage'),
    whyCell(entry.diagnosis),
    cell(String(entry.latencyMs), 'c-ms num'),
  );
  // A mock problem (a bad Prefer) carries no request id: nothing to select it by.
  const { requestId } = entry;
  if (requestId !== undefined) tr.addEventListener('click', () => select(requestId));
  return tr;
}

/** Why a call was refused for a mistake of the client (code, offending value, fix); empty for other calls. */
function whyCell(/** @type {JournalEntry['diagnosis']} */ diagnosis) {
  const td = cell('', 'c-why');
  if (!diagnosis) return td;
  td.append(textElement('span', diagnosis.code, 'diag-code'));
  if (diagnosis.value !== undefined) td.append(textElement('span', diagnosis.value, 'diag-value'));
  td.append(textElement('span', diagnosis.fix, 'diag-fix'));
  td.title = `${diagnosis.code}${diagnosis.value === undefined ? '' : ` (${diagnosis.value})`}: ${diagnosis.fix}`;
  return td;
}
