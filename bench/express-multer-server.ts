/**
 * The ceiling of the stack the mock is built on: an Express 5 app whose only route parses the upload
 * with `multer.memoryStorage()` and answers 200 with the vendor's sample JSON. No limits, no credentials, no
 * image checks, no journal, no log: what is left is what Express and multer cost, which the mock pays too. The
 * mock's target is 1.0x this server in the same run.
 *
 * Usage: node --import tsx bench/express-multer-server.ts PORT [HOST]
 */
import express from 'express';
import multer from 'multer';
import { namedExamples } from '../src/spec/named-examples.js';
import { PREDICT_GENDER_PATH } from '../src/spec/spec-document.js';

const port = Number(process.argv[2] ?? 0);
const host = process.argv[3] ?? '127.0.0.1';
const sample = namedExamples().get('OK');
if (!sample) throw new Error('the spec has no OK example');

const app = express();
const upload = multer({ storage: multer.memoryStorage() }).any();
app.post(PREDICT_GENDER_PATH, upload, (_req, res) => {
  res.status(200).json(sample.body);
});
const server = app.listen(port, host, () => {
  console.log(`express + multer server listening on http://${host}:${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
