import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Request, Response } from 'express';
import { embeddedPackageFile } from '../../../src/embedded-package-files.js';
import { findSpecPath } from '../../../src/spec/spec-document.js';

/**
 * The dashboard's page: plain HTML, CSS and JavaScript modules in `mock/admin/dashboard/page/`, shipped in the
 * package as they are (no build step, nothing from a CDN; the modules are checked by tsc through `// @ts-check`).
 * Found from the package root (the folder that holds `openapi/`), so the same lookup works from the sources, from
 * `dist/` and from the bundled CLI.
 */
const SCRIPT = 'text/javascript; charset=utf-8';
/** Every file of the page by its name under `/__admin/ui/` (`''`: the page itself), and its media type. */
const FILES: Record<string, { file: string; type: string }> = {
  '': { file: 'index.html', type: 'text/html; charset=utf-8' },
  'dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
  'favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
  // The script's modules: dashboard.js imports the others (test/mock/dashboard-page-files.test.ts keeps this list whole).
  'dashboard.js': { file: 'dashboard.js', type: SCRIPT },
  'admin-api.js': { file: 'admin-api.js', type: SCRIPT },
  'audit-panel.js': { file: 'audit-panel.js', type: SCRIPT },
  'call-text.js': { file: 'call-text.js', type: SCRIPT },
  'control-panel.js': { file: 'control-panel.js', type: SCRIPT },
  'coverage-panel.js': { file: 'coverage-panel.js', type: SCRIPT },
  'event-stream.js': { file: 'event-stream.js', type: SCRIPT },
  'face-box.js': { file: 'face-box.js', type: SCRIPT },
  'image-preview.js': { file: 'image-preview.js', type: SCRIPT },
  'journal-table.js': { file: 'journal-table.js', type: SCRIPT },
  'page-elements.js': { file: 'page-elements.js', type: SCRIPT },
  'page-status.js': { file: 'page-status.js', type: SCRIPT },
  'throttled-refresh.js': { file: 'throttled-refresh.js', type: SCRIPT },
  'token-prompt.js': { file: 'token-prompt.js', type: SCRIPT },
};
/** From the package root; the standalone executable embeds the same files under the same paths. */
export const DASHBOARD_PAGE_FOLDER = 'mock/admin/dashboard/page';
export const FILE_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(FILES).map(([route, { file }]) => [route, file]),
);

/** The page may load only its own files and talk only to its own mock; nothing inline, nothing elsewhere. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

let cache: Map<string, Buffer> | undefined;

function pageFile(name: string): Buffer | undefined {
  if (!cache) {
    const read = (file: string): Buffer =>
      embeddedPackageFile(`${DASHBOARD_PAGE_FOLDER}/${file}`) ??
      readFileSync(join(dirname(dirname(findSpecPath())), DASHBOARD_PAGE_FOLDER, file));
    cache = new Map(Object.entries(FILE_NAMES).map(([route, file]) => [route, read(file)]));
  }
  return cache.get(name);
}

/** `GET /__admin/ui` and its files (style, script, icon); anything else under `/ui/` is left to the admin API's 404. */
export function serveDashboardFile(req: Request, res: Response, next: () => void): void {
  const name = req.path.replace(/^\/ui\/?/, '');
  const type = FILES[name]?.type;
  const body = type === undefined ? undefined : pageFile(name);
  if (type === undefined || body === undefined) {
    next();
    return;
  }
  res
    .status(200)
    .set({
      'content-type': type,
      'cache-control': 'no-cache',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
    .send(body);
}
