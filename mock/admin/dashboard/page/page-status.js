// @ts-check
import { pageElement } from './page-elements.js';

/** @typedef {'connecting' | 'live' | 'lost'} ConnectionState */

/** The pill in the header: whether the journal's event stream is live. */
export function showConnection(/** @type {ConnectionState} */ state, /** @type {string} */ text) {
  const pill = pageElement('connection', HTMLSpanElement);
  pill.dataset.state = state;
  pill.textContent = text;
}

/** The control panel's error line: what the last admin call that failed said. */
export function showActionError(/** @type {unknown} */ error) {
  pageElement('action-error', HTMLParagraphElement).textContent =
    error instanceof Error ? error.message : String(error);
}
