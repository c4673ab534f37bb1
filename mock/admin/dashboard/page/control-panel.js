// @ts-check
import { queueNextAnswer, readKeys, readScenarios } from './admin-api.js';
import { codeBadge } from './call-text.js';
import { addKeyOption, addStatusOption, cell } from './journal-table.js';
import { pageElement, textElement } from './page-elements.js';
import { showActionError } from './page-status.js';
import { throttledRefresh } from './throttled-refresh.js';

/**
 * The control panel: a button per documented error status (queue it as the next answer), the keys with their
 * counters, and the scenarios with the step each takes next.
 * @typedef {import('../../admin-answers.js').StatusesAnswer} StatusesAnswer
 * @typedef {import('../../admin-answers.js').KeyView} KeyView
 * @typedef {import('../../admin-answers.js').ScenarioView} ScenarioView
 */

/** Calls arrive in bursts: the keys and scenarios are read again at most once per this many ms. */
const REFRESH_DELAY_MS = 250;

/** The status filter's options and the next-answer buttons, from the statuses the mock read from the spec. */
export function showStatuses(/** @type {StatusesAnswer} */ statuses) {
  for (const entry of [statuses.ok, ...statuses.errors]) addStatusOption(entry.status, entry.httpCode);
  const buttons = statuses.errors.map((entry) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.nextStatus = entry.status;
    button.title = `${entry.httpCode} ${entry.status}: ${entry.description}`;
    button.append(codeBadge(entry.httpCode), document.createTextNode(entry.status));
    button.addEventListener('click', () => {
      queueNextAnswer(entry.status).then(refreshControls).catch(showActionError);
    });
    return button;
  });
  pageElement('next-buttons', HTMLDivElement).replaceChildren(...buttons);
}

/** Reads the keys and scenarios again soon (once for a burst of calls). */
export const scheduleControlsRefresh = throttledRefresh(() => refreshControls(), REFRESH_DELAY_MS, showActionError);

/** Reads the keys and scenarios and shows them. */
export async function refreshControls() {
  const [keys, scenarios] = await Promise.all([readKeys(), readScenarios()]);
  const keyRows = keys.keys.map(keyRow);
  if (keys.anyPairAccepted && keyRows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell('No keys configured: any non-empty id and secret are accepted');
    td.colSpan = 4;
    tr.append(td);
    keyRows.push(tr);
  }
  const keysBody = pageElement('keys', HTMLTableElement).tBodies[0];
  if (!keysBody) throw new Error('the dashboard page has no <tbody> in #keys');
  keysBody.replaceChildren(...keyRows);

  const items = scenarios.scenarios.map(scenarioItem);
  if (items.length === 0) items.push(textElement('li', 'none', 'muted'));
  pageElement('scenarios', HTMLOListElement).replaceChildren(...items);
  pageElement('next-queued', HTMLParagraphElement).textContent =
    scenarios.nextAnswers.length === 0
      ? 'Nothing queued.'
      : `Queued: ${scenarios.nextAnswers.map((step) => step.status).join(', ')}`;
}

function keyRow(/** @type {KeyView} */ key) {
  addKeyOption(key.id);
  const tr = document.createElement('tr');
  tr.dataset.keyId = key.id;
  const quota = key.quota === null ? `${key.callsUsed} / —` : `${key.callsUsed} / ${key.callsLeft}`;
  const rate = key.rateLimit === null ? '—' : `${key.callsInWindow} of ${key.rateLimit}`;
  const state = document.createElement('td');
  if (key.expired) state.append(badge('expired', 'bad'));
  if (!key.permission) state.append(badge('no permission', 'bad'));
  if (key.callsLeft === 0) state.append(badge('quota used up', 'warn'));
  if (!key.expired && key.permission && key.callsLeft !== 0) state.append(badge('active', 'ok'));
  tr.append(cell(key.id), cell(quota, 'num'), cell(rate, 'num'), state);
  return tr;
}

function scenarioItem(/** @type {ScenarioView} */ scenario) {
  const li = document.createElement('li');
  li.dataset.scenario = scenario.label;
  li.append(document.createTextNode(`${scenario.label}: `));
  scenario.steps.forEach((step, index) => {
    li.append(
      textElement('span', step.status, index === scenario.nextStep ? 'step-next' : ''),
      document.createTextNode(index < scenario.steps.length - 1 ? ' → ' : ''),
    );
  });
  li.append(document.createTextNode(scenario.nextStep === null ? ' (used up)' : scenario.loop ? ' (loops)' : ''));
  return li;
}

function badge(/** @type {string} */ text, /** @type {'ok' | 'warn' | 'bad'} */ tone) {
  return textElement('span', text, `badge ${tone}`);
}
