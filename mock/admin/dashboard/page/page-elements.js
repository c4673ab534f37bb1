// @ts-check

/**
 * An element of index.html by id, checked to be of the kind the script expects: the page declares its elements
 * once, and a renamed or missing one is said by name at start, not found later as a null.
 * @template {Element} T
 * @param {string} id
 * @param {{ new (): T; prototype: T }} kind
 * @returns {T}
 */
export function pageElement(id, kind) {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`the dashboard page has no ${kind.name} #${id}`);
  return element;
}

/**
 * Makes an element with its text (never markup: everything a call carries is shown as text) and class.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @returns {HTMLElementTagNameMap[K]}
 */
export function textElement(tag, text = '', className = '') {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

/**
 * Sets an element's text (and tooltip) only when it changed: the panels are redrawn from each answer of the admin
 * API, and an unchanged cell left alone is neither re-announced by a screen reader nor repainted.
 */
export function setText(/** @type {HTMLElement} */ element, /** @type {string} */ text, title = text) {
  if (element.textContent !== text) element.textContent = text;
  if (element.title !== title) element.title = title;
}
