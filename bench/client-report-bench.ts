/**
 * `npx tsx bench/client-report-bench.ts`: how long `accuauth-kit report --journal` takes over a journal of 100,000
 * calls, and what the client judge costs per answer on the request path. The journal is made from real entries:
 * a mock (with a journal file) answers a mix of calls, and its entries are repeated with fresh request ids, images,
 * keys and instants until the file holds 100,000 lines. Prints the figures; measures, asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClientJudge, type JournalEntry } from '../mock/core/index.js';
import { startMock } from '../mock/index.js';
import { makeJpeg } from '../src/image/sample-images.js';

const CALLS = 100_000;
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'accuauth-report-bench-'));
const seedFile = join(dir, 'seed.ndjson');

const mock = await startMock({ journalFile: seedFile, config: { keys: [{ id: 'k', secret: 's', quota: 40 }] } });
const headers = { 'x-df-api-id': 'k', 'x-df-api-secret': 's' };
for (let i = 0; i < 50; i += 1) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(makeJpeg({ width: 150, height: 150, seed: i }))]), 'face.jpg');
  const prefer = i % 5 === 0 ? { prefer: 'example=INTERNAL_ERROR' } : {};
  await fetch(`${mock.url}/face/predict_gender`, { method: 'POST', headers: { ...headers, ...prefer }, body: form });
}
await mock.close();

const seed = readFileSync(seedFile, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as JournalEntry);
const start = Date.parse('2026-12-01T10:00:00Z');
const lines: string[] = [];
const entries: JournalEntry[] = [];
for (let i = 0; i < CALLS; i += 1) {
  const base = seed[i % seed.length] as JournalEntry;
  const at = new Date(start + i * 7).toISOString();
  const hex = i.toString(16).padStart(32, '0');
  const entry: JournalEntry = {
    ...base,
    at,
    receivedAt: at,
    requestId: `TID${hex}`,
    keyId: `key-${i % 20}`,
    body: { ...base.body, ...(base.body.imageSha256 ? { imageSha256: hex.repeat(2) } : {}) },
  };
  entries.push(entry);
  lines.push(JSON.stringify(entry));
}
const journal = join(dir, 'journal.ndjson');
writeFileSync(journal, `${lines.join('\n')}\n`);

// The request path's share: one record() per answer, with the audit's concurrency judged too.
const judge = new ClientJudge({ require: ['all'], audit: { maxConcurrency: 4, pricePerCall: 0.001 } });
const judged = performance.now();
for (const entry of entries) judge.record(entry);
const perEntryUs = ((performance.now() - judged) * 1000) / CALLS;

const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const began = performance.now();
let code = 0;
try {
  execFileSync(process.execPath, [cli, 'report', '--journal', journal, '--out', join(dir, 'out'), '--require', 'all'], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
} catch (error) {
  code = (error as { status?: number }).status ?? -1;
}
const reportMs = performance.now() - began;
process.stdout.write(
  `journal: ${CALLS} calls, ${(readFileSync(journal).byteLength / 1e6).toFixed(1)} MB\n` +
    `accuauth-kit report --journal (whole process, built CLI): ${Math.round(reportMs)} ms, exit ${code}\n` +
    `client judge per answer (in process): ${perEntryUs.toFixed(2)} µs\n`,
);
