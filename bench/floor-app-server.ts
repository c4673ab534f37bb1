/**
 * The floor: an Express 5 + multer app doing only the work a faithful mock cannot skip, the yardstick the mock's
 * own overhead is measured against. Per request it checks that both credential headers are there (401 JSON
 * otherwise), parses the upload with `multer.memoryStorage()` (`file`, or `image_base64` decoded), reads the
 * image's dimensions with image-size (no decode), hashes the bytes with SHA-256, pushes a journal entry into an
 * array capped at the mock's default journal size, writes one JSON log line (pino to stderr, asynchronously, as the
 * mock logs) and answers the vendor's OK JSON with a fresh request id. No limits beyond the spec's size, no
 * scenarios, no coverage, no audit: what the mock does on top of this is its own overhead.
 *
 * It runs as plain JavaScript under `node`, as a user's app would (no tsx), so that its start-up is a fair
 * reference: `floorAppServer` in bench-servers.ts compiles this file to dist/bench/ first (express, multer,
 * image-size and pino stay imports from node_modules). What the spec says (the path, the credential headers, the
 * size limit, the OK answer) is handed over as JSON on the command line, so its start-up reads no spec either.
 *
 * Usage: node dist/bench/floor-app-server.js PORT HOST FACTS_JSON   (FACTS_JSON: a FloorFacts)
 */
import { createHash } from 'node:crypto';
import express from 'express';
import { imageSize } from 'image-size';
import multer from 'multer';
import pino from 'pino';
import { newRequestId } from '../src/request-id.js';

/** The spec's facts the floor app needs, read by the benchmark (bench-servers.ts `floorFacts`). */
export interface FloorFacts {
  path: string;
  /** Lowercased credential header names. */
  idHeader: string;
  secretHeader: string;
  maxBytes: number;
  okBody: Record<string, unknown>;
}

const port = Number(process.argv[2] ?? 0);
const host = process.argv[3] ?? '127.0.0.1';
const facts = JSON.parse(process.argv[4] ?? 'null') as FloorFacts | null;
if (facts === null) throw new Error('usage: floor-app-server.js PORT HOST FACTS_JSON');
const { idHeader, secretHeader, okBody } = facts;
/** The mock's default journal size (mock/core/state/initial-state.ts). */
const JOURNAL_LIMIT = 1000;
const journal: { at: number; requestId: string; sha256: string; width: number; height: number }[] = [];
const log = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 2, sync: false }));

const app = express();
app.disable('x-powered-by');
app.disable('etag');
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: facts.maxBytes } }).any();
app.post(
  facts.path,
  (req, res, next) => {
    if (req.headers[idHeader] && req.headers[secretHeader]) return next();
    answer(req, res, 401, { status: 'UNAUTHORIZED', reason: 'missing credentials', request_id: newRequestId() });
  },
  upload,
  (req, res) => {
    const files = (req.files ?? []) as Express.Multer.File[];
    const base64 = (req.body as Record<string, unknown> | undefined)?.image_base64;
    const bytes =
      files.find((f) => f.fieldname === 'file')?.buffer ??
      (typeof base64 === 'string' ? Buffer.from(base64, 'base64') : undefined);
    if (bytes === undefined) {
      answer(req, res, 400, { status: 'INVALID_ARGUMENT', reason: 'no image', request_id: newRequestId() });
      return;
    }
    const { width, height } = imageSize(bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const requestId = newRequestId();
    journal.push({ at: Date.now(), requestId, sha256, width, height });
    if (journal.length > JOURNAL_LIMIT) journal.shift();
    answer(req, res, 200, { ...okBody, request_id: requestId });
  },
);

function answer(req: express.Request, res: express.Response, code: number, body: Record<string, unknown>): void {
  res.status(code).json(body);
  log.info({ method: req.method, path: req.path, httpCode: code, request_id: body.request_id });
}

const server = app.listen(port, host, () => {
  console.log(`floor app listening on http://${host}:${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
