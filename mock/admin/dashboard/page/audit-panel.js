// @ts-check
import { pageElement, setText, textElement } from './page-elements.js';

/**
 * The audit half of the judgement panel: the billable calls and the estimated spend against the live API, and
 * each finding (kind, key, count, the first example's request ids, what to do instead). The findings list scrolls
 * inside a box of fixed height, so a new finding never pushes anything on the page.
 * @typedef {import('../../admin-answers.js').AuditAnswer} AuditAnswer
 * @typedef {import('../../admin-answers.js').AuditFinding} AuditFinding
 */

export function showAudit(/** @type {AuditAnswer} */ audit) {
  setText(pageElement('audit-billable', HTMLElement), String(audit.billableCalls));
  setText(
    pageElement('audit-spend', HTMLElement),
    audit.estimatedSpend === undefined || audit.pricePerCall === undefined
      ? 'set audit.pricePerCall'
      : `${audit.estimatedSpend} (${audit.billableCalls} × ${audit.pricePerCall})`,
  );
  setText(
    pageElement('audit-keys', HTMLElement),
    audit.unauditedKeys === undefined ? 'every key' : `${audit.unauditedKeys} keys not audited (too many keys)`,
  );
  const items = audit.findings.map(findingItem);
  if (items.length === 0) {
    items.push(textElement('li', 'None: nothing that would cost money or get a key throttled.', 'muted'));
  }
  pageElement('findings', HTMLOListElement).replaceChildren(...items);
}

/** One finding: what and for whom on the first line, the first example under it, then what to do instead. */
function findingItem(/** @type {AuditFinding} */ finding) {
  const item = document.createElement('li');
  item.dataset.kind = finding.kind;
  item.dataset.keyId = finding.keyId;
  item.dataset.count = String(finding.count);
  if (finding.code) item.dataset.code = finding.code;
  const source = finding.source === undefined ? '' : ` (${finding.source})`;
  const head = textElement('div', '', 'finding-head');
  head.append(textElement('span', finding.kind, 'finding-kind'));
  if (finding.code) head.append(textElement('span', finding.code, 'diag-code'));
  head.append(
    textElement('span', `key ${finding.keyId}${source}`, 'finding-key'),
    textElement('span', `${finding.count}×`, 'finding-count'),
  );
  item.append(
    head,
    textElement(
      'div',
      `first: ${finding.example.detail} (${finding.example.requestIds.join(', ')})`,
      'finding-example',
    ),
    textElement('div', finding.fix, 'finding-fix'),
  );
  return item;
}
