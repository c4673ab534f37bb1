// @ts-check
import { readAudit, readConfig, readCoverage, readJournal, readStatuses, resetMock } from './admin-api.js';
import { showAudit } from './audit-panel.js';
import { hasImage } from './call-text.js';
import { refreshControls, scheduleControlsRefresh, showStatuses } from './control-panel.js';
import { setUpCoverage, showCoverage } from './coverage-panel.js';
import { followJournal } from './event-stream.js';
import { clearPreview, showPreview } from './image-preview.js';
import { addCall, hasSelection, latestUpload, setUpJournalTable, showJournal } from './journal-table.js';
import { pageElement } from './page-elements.js';
import { showActionError } from './page-status.js';
import { throttledRefresh } from './throttled-refresh.js';
import { onTokenEntered, showDashboard } from './token-prompt.js';

// The dashboard of a running accuauth-kit mock: plain JavaScript modules checked by tsc (// @ts-check), no build
// step, no library, nothing fetched but this mock's own admin API (the same routes tests use). Everything a call
// carries is shown as text, never markup. This module opens the page and wires the others.

/** @typedef {import('./face-box.js').FaceBoxReading} FaceBoxReading */

/**
 * Which four numbers the answers' face_box are: the mock's decision face-box, read from its effective config at
 * start (decisions are fixed for the mock's life, a change needs a restart).
 * @type {FaceBoxReading}
 */
let faceBoxReading = 'ltrb';
let started = false;

/**
 * Coverage and audit are read again after calls arrive, at most once per this many ms: a burst of a hundred calls
 * costs the mock a few reads, not a hundred, and the panel still shows the last call within a blink.
 */
const JUDGEMENT_REFRESH_MS = 300;

async function refreshJudgement() {
  const [coverage, audit] = await Promise.all([readCoverage(), readAudit()]);
  showCoverage(coverage);
  showAudit(audit);
}
const scheduleJudgementRefresh = throttledRefresh(refreshJudgement, JUDGEMENT_REFRESH_MS, showActionError);

async function loadJournal() {
  showJournal((await readJournal()).requests);
  const latest = latestUpload();
  if (latest) showPreview(latest, faceBoxReading, 'latest upload');
}

async function start() {
  if (started) return;
  showDashboard();
  try {
    const [statuses, config] = await Promise.all([readStatuses(), readConfig()]);
    faceBoxReading = config.decisions['face-box'];
    showStatuses(statuses);
    setUpCoverage(statuses);
    await Promise.all([loadJournal(), refreshControls(), refreshJudgement()]);
  } catch (error) {
    showActionError(error);
    return;
  }
  started = true;
  followJournal((entry) => {
    addCall(entry);
    if (!hasSelection() && hasImage(entry)) showPreview(entry, faceBoxReading, 'latest upload');
    scheduleControlsRefresh();
    scheduleJudgementRefresh();
  });
}

setUpJournalTable((entry, which) => {
  if (entry) showPreview(entry, faceBoxReading, which);
});
pageElement('reset', HTMLButtonElement).addEventListener('click', () => {
  resetMock()
    .then(() => Promise.all([loadJournal(), refreshControls(), refreshJudgement()]))
    .then(clearPreview)
    .catch(showActionError);
});
onTokenEntered(start);
start();
