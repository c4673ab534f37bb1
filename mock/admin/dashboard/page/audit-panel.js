// @ts-check
import { cell } from './journal-table.js';
import { pageElement, setText, textElement } from './page-elements.js';

/**
 * The audit half of the judgement panel: the billable calls and the estimated spend against the live API, and
 * each finding (kind, key, count, the first example's request ids, what to do instead). The findings table scrolls
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
  const tbody = pageElement('findings', HTMLTableElement).tBodies[0];
  if (!tbody) throw new Error('the dashboard page has no <tbody> in #findings');
  const rows = audit.findings.map(findingRow);
  if (rows.length === 0) {
    const row = document.createElement('tr');
    const none = textElement('td', 'No findings: nothing that would cost money or get a key throttled.', 'muted');
    none.colSpan = 5;
    row.append(none);
    rows.push(row);
  }
  tbody.replaceChildren(...rows);
}

function findingRow(/** @type {AuditFinding} */ finding) {
  const row = document.createElement('tr');
  row.dataset.kind = finding.kind;
  row.dataset.keyId = finding.keyId;
  if (finding.code) row.dataset.code = finding.code;
  const kind = textElement('th', '', 'c-kind');
  kind.scope = 'row';
  kind.append(textElement('span', finding.kind, 'finding-kind'));
  if (finding.code) kind.append(textElement('span', finding.code, 'diag-code'));
  kind.title = finding.code ? `${finding.kind}: ${finding.code}` : finding.kind;
  const source = finding.source === undefined ? '' : ` (${finding.source})`;
  const example = `${finding.example.detail}: ${finding.example.requestIds.join(', ')}`;
  row.append(
    kind,
    cell(`${finding.keyId}${source}`, 'c-fkey'),
    cell(String(finding.count), 'c-count num'),
    cell(example, 'c-example'),
    cell(finding.fix, 'c-fix'),
  );
  return row;
}
