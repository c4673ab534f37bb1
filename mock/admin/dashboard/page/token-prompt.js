// @ts-check
import { pageElement } from './page-elements.js';
import { showConnection } from './page-status.js';

/** Kept in this tab only (sessionStorage): a reload does not ask again, another tab or a restart does. */
const TOKEN_KEY = 'accuauth-kit.admin-token';

/** The admin token the person typed, if any. */
export function savedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Whether the page is waiting for a token (the dashboard hidden, the form shown). */
export function waitingForToken() {
  return savedToken() === null && !pageElement('token-form', HTMLFormElement).hidden;
}

/** Forgets the token, hides the dashboard and shows the form, with why (empty the first time). */
export function askForToken(/** @type {string} */ message) {
  sessionStorage.removeItem(TOKEN_KEY);
  pageElement('dashboard', HTMLElement).hidden = true;
  pageElement('token-form', HTMLFormElement).hidden = false;
  pageElement('token-error', HTMLParagraphElement).textContent = message;
  showConnection('lost', 'token needed');
}

/** Hides the form and shows the dashboard. */
export function showDashboard() {
  pageElement('token-form', HTMLFormElement).hidden = true;
  pageElement('dashboard', HTMLElement).hidden = false;
}

/** Keeps each token typed into the form and calls `then` (which opens the dashboard with it). */
export function onTokenEntered(/** @type {() => void} */ then) {
  const form = pageElement('token-form', HTMLFormElement);
  const input = pageElement('token-input', HTMLInputElement);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, input.value);
    input.value = '';
    then();
  });
}
