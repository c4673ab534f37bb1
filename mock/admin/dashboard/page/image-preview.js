// @ts-check
import { fetchPreview } from './admin-api.js';
import { answerParts, hasImage, imageText } from './call-text.js';
import { FACE_BOX_NUMBERS, faceBoxEdges, faceBoxNumbers } from './face-box.js';
import { pageElement } from './page-elements.js';

/**
 * The picture of a call (kept by the mock, within its preview cap) with the answer's face_box drawn over it, and
 * the answer beside it.
 * @typedef {import('../../admin-answers.js').JournalEntry} JournalEntry
 * @typedef {import('./face-box.js').FaceBoxReading} FaceBoxReading
 */

const SVG = 'http://www.w3.org/2000/svg';

/** The call the preview shows (or is fetching the picture of): a later one wins over a slow fetch. */
let shownRequestId = /** @type {string | undefined} */ (undefined);
/** The picture's object URL, revoked when the next one replaces it. */
let pictureUrl = /** @type {string | null} */ (null);

const picture = () => pageElement('preview-img', HTMLImageElement);
const overlay = () => pageElement('preview-box', SVGSVGElement);
const empty = () => pageElement('preview-empty', HTMLParagraphElement);
const facts = () => pageElement('preview-facts', HTMLDListElement);

/**
 * Shows `entry`, its face_box read as `reading` (the mock's decision face-box: which four numbers the answer's
 * face_box is).
 * @param {JournalEntry} entry
 * @param {FaceBoxReading} reading
 * @param {'selected call' | 'latest upload'} which
 */
export async function showPreview(entry, reading, which) {
  const requestId = entry.requestId;
  shownRequestId = requestId;
  pageElement('preview-which', HTMLSpanElement).textContent = which;
  const box = faceBoxNumbers(answerParts(entry.answer).result?.face_box);
  facts().replaceChildren(...answerFacts(entry, box, reading));
  overlay().replaceChildren();
  if (!hasImage(entry) || requestId === undefined) {
    showNoPicture('No image in this call');
    return;
  }
  let response;
  try {
    response = await fetchPreview(requestId);
  } catch {
    return;
  }
  if (shownRequestId !== requestId) return;
  if (!response.ok) {
    showNoPicture('Picture not kept (over the preview cap): metadata only');
    return;
  }
  const blob = await response.blob();
  if (shownRequestId !== requestId) return;
  if (pictureUrl) URL.revokeObjectURL(pictureUrl);
  pictureUrl = URL.createObjectURL(blob);
  picture().src = pictureUrl;
  picture().hidden = false;
  empty().hidden = true;
  // The overlay's user units are the picture's pixels, so the box is drawn in the numbers the answer gives.
  overlay().setAttribute('viewBox', `0 0 ${entry.body.width} ${entry.body.height}`);
  if (box) overlay().append(faceBoxRect(box, reading));
}

/** Empties the preview (after a reset). */
export function clearPreview() {
  shownRequestId = undefined;
  facts().replaceChildren();
  overlay().replaceChildren();
  showNoPicture('No upload yet');
}

function showNoPicture(/** @type {string} */ text) {
  picture().hidden = true;
  empty().hidden = false;
  empty().textContent = text;
}

/**
 * The box `box` means under `reading`, as an SVG rect in the picture's pixels (its title says the numbers).
 * @param {[number, number, number, number]} box
 * @param {FaceBoxReading} reading
 */
function faceBoxRect(box, reading) {
  const { left, top, right, bottom } = faceBoxEdges(box, reading);
  const rect = document.createElementNS(SVG, 'rect');
  rect.setAttribute('x', String(left));
  rect.setAttribute('y', String(top));
  rect.setAttribute('width', String(Math.max(0, right - left)));
  rect.setAttribute('height', String(Math.max(0, bottom - top)));
  rect.dataset.reading = reading;
  const title = document.createElementNS(SVG, 'title');
  title.textContent = `face_box [${box.join(', ')}]: ${FACE_BOX_NUMBERS[reading]}`;
  rect.append(title);
  return rect;
}

/**
 * The answer, the reason a call was refused, the image and the request id, as a definition list.
 * @param {JournalEntry} entry
 * @param {[number, number, number, number] | undefined} box
 * @param {FaceBoxReading} reading
 */
function answerFacts(entry, box, reading) {
  const { result, reason } = answerParts(entry.answer);
  const { diagnosis } = entry;
  /** @type {[string, string][]} */
  const pairs = [[`answer`, `${entry.httpCode} ${entry.status}`]];
  if (result) {
    pairs.push(
      ['gender', `${result.gender} (${result.confidence})`],
      ['beard', `${result.beard} (${result.beard_confidence})`],
    );
    if (box) pairs.push(['face_box', `[${box.join(', ')}] (${FACE_BOX_NUMBERS[reading]})`]);
  } else if (reason) {
    pairs.push(['reason', reason]);
  }
  if (diagnosis) {
    pairs.push(['refused for', diagnosis.code]);
    if (diagnosis.value !== undefined) pairs.push(['value', diagnosis.value]);
    pairs.push(['fix', diagnosis.fix]);
    if (diagnosis.closest !== undefined) pairs.push(['closest valid', diagnosis.closest]);
  }
  pairs.push(['image', imageText(entry.body) || 'none'], ['request', entry.requestId ?? '—']);
  return pairs.flatMap(([name, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value;
    return [dt, dd];
  });
}
