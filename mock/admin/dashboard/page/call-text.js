// @ts-check
import { textElement } from './page-elements.js';

/**
 * How a journal entry is told in words, the same in the table and in the preview.
 * @typedef {import('../../admin-answers.js').JournalEntry} JournalEntry
 * @typedef {import('../../admin-answers.js').JournalBody} JournalBody
 */

/** The badge of an HTTP code, coloured by its family (2xx, 4xx, 5xx), then the text after it. */
export function codeBadge(/** @type {number} */ httpCode) {
  return textElement('span', String(httpCode), `code code-${String(httpCode).charAt(0)}xx`);
}

/** The image of a call: format, sides and size when the mock read it, else its size and `refused`. */
export function imageText(/** @type {JournalBody} */ body) {
  if (body.imageBytes === undefined) return '';
  const size = body.imageBytes >= 1024 ? `${(body.imageBytes / 1024).toFixed(1)} KiB` : `${body.imageBytes} B`;
  const sides = body.width === undefined ? '' : ` ${body.width}×${body.height}`;
  return body.imageFormat ? `${body.imageFormat.toUpperCase()}${sides}, ${size}` : `${size}, refused`;
}

/** The body of a call: its form field (or content type) for a form, else its kind. */
export function bodyText(/** @type {JournalBody} */ body) {
  if (body.kind === 'form') return body.field || body.contentType || '';
  return body.kind;
}

/** Whether the mock read a picture in the call (so the preview can show it). */
export function hasImage(/** @type {JournalEntry} */ entry) {
  return entry.body.imageFormat !== undefined;
}

/**
 * The parts of the answer the page shows. The answer is whatever was sent (a recorded vendor answer is replayed
 * as it came, a 405 is text), so each part is looked for, not assumed.
 * @param {JournalEntry['answer']} answer
 * @returns {{ result: Readonly<Record<string, unknown>> | undefined; reason: string | undefined }}
 */
export function answerParts(answer) {
  if (typeof answer !== 'object' || answer === null) return { result: undefined, reason: undefined };
  const { result, reason } = /** @type {{ result?: unknown; reason?: unknown }} */ (answer);
  return {
    result: typeof result === 'object' && result !== null ? /** @type {Record<string, unknown>} */ (result) : undefined,
    reason: typeof reason === 'string' ? reason : undefined,
  };
}
