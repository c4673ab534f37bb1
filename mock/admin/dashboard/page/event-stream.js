// @ts-check
import { openEventStream } from './admin-api.js';
import { showActionError, showConnection } from './page-status.js';
import { waitingForToken } from './token-prompt.js';

/**
 * The live journal: server-sent events read through fetch (not EventSource), so the token travels as a header,
 * not in the URL.
 * @typedef {import('../../admin-answers.js').JournalEntry} JournalEntry
 */

/** How long the page waits before it opens the stream again after losing it. */
const RECONNECT_MS = 1000;

/**
 * One event of a server-sent event stream (the text between two blank lines): its type and its data lines joined.
 * @param {string} block
 * @returns {{ type: string; data: string | undefined }}
 */
export function parseEventBlock(block) {
  let type = 'message';
  /** @type {string[]} */
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  return { type, data: data.length > 0 ? data.join('\n') : undefined };
}

/**
 * Follows the stream for as long as the page is open, reconnecting when it drops, and hands each journal entry to
 * `onEntry`. Returns only when the admin API wants a token the page has not got.
 * @param {(entry: JournalEntry) => void} onEntry
 */
export async function followJournal(onEntry) {
  for (;;) {
    try {
      const response = await openEventStream();
      if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
      showConnection('live', 'live');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const event = parseEventBlock(buffer.slice(0, end));
          if (event.type === 'request' && event.data !== undefined) onEntry(JSON.parse(event.data));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      if (waitingForToken()) return;
      showActionError(error);
    }
    showConnection('lost', 'reconnecting');
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
}
