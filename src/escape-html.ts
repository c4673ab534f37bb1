/**
 * `text` safe to place in HTML or SVG text and in a double- or single-quoted attribute. Everything the drift report
 * and the client report show that came from an answer or a request is untrusted: it may hold markup, and the
 * report must show it as text.
 */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
