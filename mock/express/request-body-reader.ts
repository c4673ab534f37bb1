import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import express, { type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import pLimit from 'p-limit';
import { type BodyLimits, otherFieldNames, type RequestBody } from '../core/index.js';
import { expectsContinue } from './expect-continue.js';

/**
 * Turns an Express request's body into the core's `RequestBody`, deciding nothing: limits stop reading early
 * (never buffering more than the spec's maxBytes per file) and every parser error becomes a value the core
 * answers with INVALID_ARGUMENT, never a 413 or an HTML page.
 */
export interface BodyReader {
  read(req: Request, res: Response): Promise<RequestBody>;
}

/**
 * Bodies larger than this (or of unknown length) take one of `LARGE_BODY_SLOTS` slots while they are read, so that
 * 200 clients uploading 5 MiB at once hold at most two images in memory. A body waiting for a slot is not read:
 * nothing consumes its request, so Node stops reading the socket once the request's small buffer is full, and the
 * rest waits in the kernel and in the client (TCP backpressure), however long the queue. The wait is the mock's,
 * not the client's: the whole-request clock starts only when the slot is taken (`readWithin`), and a client that
 * sent `Expect: 100-continue` is told to send only then. Smaller bodies never wait, so slow clients trickling a
 * small body cannot hold anyone up; a slow client holding a slot holds it for at most the request timeout.
 * Two, not three: one JavaScript thread parses every body, so a third slot added no measurable throughput, and
 * with it the peak RSS under 50 x 5 MiB uploads was ~10 MiB higher (133-138 MiB against 125 MiB, measured twice).
 */
const LARGE_BODY_BYTES = 1024 * 1024;
const LARGE_BODY_SLOTS = 2;

/**
 * `limits` are the core's (`bodyLimits(core.decisions)`): the decided image size, so one number cuts off and refuses.
 * `requestMs`: how long a body may take to arrive once the mock reads it (client-timeouts.ts).
 */
export function createBodyReader(limits: BodyLimits, requestMs: number): BodyReader {
  const { fileBytes, base64FieldBytes, urlencodedBytes } = limits;
  // A multipart body may carry both fields at their largest (decision: file wins), plus part headers and delimiters.
  const multipartBytes = fileBytes + base64FieldBytes + 64 * 1024;
  const earlyLimits = new WeakMap<IncomingMessage, (body: RequestBody) => void>();

  const multipart = multer({
    storage: signallingMemoryStorage(
      (req) => earlyLimits.get(req)?.({ kind: 'too-large', field: 'file', limit: fileBytes }),
      fileBytes,
    ),
    limits: {
      fileSize: fileBytes,
      files: 2,
      fields: 16,
      parts: 24,
      fieldSize: base64FieldBytes,
      fieldNameSize: 128,
      headerPairs: 64,
    },
  }).any();
  const urlencoded = express.urlencoded({ extended: false, limit: urlencodedBytes, parameterLimit: 16 });
  const largeBodySlot = pLimit(LARGE_BODY_SLOTS);

  async function readMultipart(req: Request, res: Response): Promise<RequestBody> {
    // Busboy only reports an over-long text field once the field has ended, and multer only reports any error once
    // the whole request has arrived; counting the bytes as they stream lets a 50 MB body be answered at ~12 MB.
    const cutOff = new Promise<RequestBody>((resolve) => {
      earlyLimits.set(req, resolve);
      cutOffPast(req, multipartBytes, resolve);
    });
    const parsed = run(multipart, req, res).then((failure): RequestBody => {
      if (failure) return multipartFailure(failure, fileBytes, base64FieldBytes);
      const files = (req.files ?? []) as Express.Multer.File[];
      const fields = (req.body ?? {}) as Record<string, unknown>;
      const imageBase64 = firstText(fields.image_base64);
      const part = files.find((candidate) => candidate.fieldname === 'file');
      const file = part?.buffer;
      const others = otherFieldNames([...files.map((candidate) => candidate.fieldname), ...Object.keys(fields)]);
      return {
        kind: 'form',
        contentType: 'multipart',
        // The part's declared type travels with it: decision image-format `by-declared-type` judges it.
        ...(file ? { file, fileContentType: part?.mimetype ?? '' } : {}),
        ...(imageBase64 === undefined ? {} : { imageBase64 }),
        // Busboy reads a part without a filename as a text field: a `file` that is not an upload.
        ...(!file && fields.file !== undefined ? { fileWithoutFilename: true } : {}),
        ...(others.length > 0 ? { otherFields: others } : {}),
      };
    });
    return Promise.race([cutOff, parsed]);
  }

  async function readUrlencoded(req: Request, res: Response): Promise<RequestBody> {
    const tooLarge: RequestBody = { kind: 'too-large', field: 'body', limit: urlencodedBytes };
    // body-parser notices the limit at once (from Content-Length, or as the bytes stream) but reports it only once
    // it has drained the whole request: a declared length over the limit is answered without reading, and the
    // bytes are counted as they stream so that an over-long chunked body is answered at the limit too.
    if (Number(req.headers['content-length'] ?? 0) > urlencodedBytes) return tooLarge;
    const cutOff = new Promise<RequestBody>((resolve) => cutOffPast(req, urlencodedBytes, resolve));
    const parsed = run(urlencoded, req, res).then((error): RequestBody => {
      const failure = error as { type?: string; message?: string } | undefined;
      if (failure?.type === 'entity.too.large') return tooLarge;
      if (failure) return { kind: 'malformed', problem: failure.message ?? 'unreadable urlencoded body' };
      const fields = (req.body ?? {}) as Record<string, unknown>;
      const imageBase64 = firstText(fields.image_base64);
      const others = otherFieldNames(Object.keys(fields));
      return {
        kind: 'form',
        contentType: 'urlencoded',
        ...(imageBase64 === undefined ? {} : { imageBase64 }),
        ...(others.length > 0 ? { otherFields: others } : {}),
      };
    });
    return Promise.race([cutOff, parsed]);
  }

  return {
    async read(req, res) {
      const contentType = req.headers['content-type'];
      if (!contentType) return hasBody(req.headers) ? { kind: 'unsupported', contentType: '(none)' } : { kind: 'none' };
      const reader = req.is('multipart/form-data')
        ? readMultipart
        : req.is('application/x-www-form-urlencoded')
          ? readUrlencoded
          : undefined;
      if (!reader) return { kind: 'unsupported', contentType };
      const timed = () => readWithin(requestMs, req, res, reader);
      const length = Number(req.headers['content-length'] ?? Number.NaN);
      return length <= LARGE_BODY_BYTES ? timed() : largeBodySlot(timed);
    },
  };
}

/**
 * Reads the body with `reader`, or gives up after `requestMs`: the clock runs from the moment the mock starts
 * reading, so it counts only the client's own sending, never the time the body waited for a slot. A body that did
 * not arrive in time is answered 400 (INVALID_ARGUMENT) and its connection closed (lingerAfterAnswer).
 */
async function readWithin(
  requestMs: number,
  req: Request,
  res: Response,
  reader: (req: Request, res: Response) => Promise<RequestBody>,
): Promise<RequestBody> {
  // The client holds its body back until told to send it: now, when it is read, not when the head arrived.
  if (expectsContinue(req) && !res.headersSent) res.writeContinue();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<RequestBody>((resolve) => {
    timer = setTimeout(
      () => resolve({ kind: 'malformed', problem: `the body did not arrive whole within ${requestMs / 1000} s` }),
      requestMs,
    );
  });
  try {
    return await Promise.race([reader(req, res), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * multer's memory storage, plus a signal the moment a file passes the size limit (multer itself reports the limit
 * only after draining the rest of the request), and without keeping the bytes received before the limit. When the
 * request declares its length, the file is copied into one buffer of that size as it streams, rather than kept as
 * chunks and concatenated: one copy of each image in memory instead of two.
 */
function signallingMemoryStorage(onLimit: (req: IncomingMessage) => void, maxFileBytes: number): multer.StorageEngine {
  const imageBuffers = reusableImageBuffers(maxFileBytes);
  return {
    _handleFile(req, file, callback) {
      const declared = Number(req.headers['content-length'] ?? Number.NaN);
      const whole =
        declared > LARGE_BODY_BYTES
          ? imageBuffers.take(req)
          : declared > 0
            ? Buffer.allocUnsafe(Math.min(declared, maxFileBytes))
            : undefined;
      let chunks: Buffer[] = [];
      let size = 0;
      file.stream.on('data', (chunk: Buffer) => {
        if (whole && size + chunk.length <= whole.length) chunk.copy(whole, size);
        else chunks.push(chunk);
        size += chunk.length;
      });
      file.stream.on('limit', () => {
        chunks = [];
        size = 0;
        onLimit(req);
      });
      file.stream.on('error', callback);
      file.stream.on('end', () => {
        if (whole) imageBuffers.filled(req, whole);
        // A part can only outgrow the declared length if the body lied about it; then fall back to the chunks.
        const buffer = whole && chunks.length === 0 ? whole.subarray(0, size) : Buffer.concat(chunks, size);
        callback(null, { buffer, size });
      });
    },
    _removeFile(_req, file, callback) {
      Reflect.deleteProperty(file, 'buffer');
      callback(null);
    },
  };
}

/**
 * Buffers of the largest allowed image, reused from one large upload to the next. Each 5 MiB upload used to
 * allocate its own: memory outside V8's heap that is given back only when a garbage collection finds the buffer
 * dead, and under 50 clients uploading 5 MiB that garbage was most of the mock's RSS above Node's own (174 MiB
 * against the benchmark's 150 MiB target). A buffer goes back to the pool once the answer has been sent (the core keeps
 * no reference to the image: the journal holds its digest and size) and only if its part was read to the end, so
 * that no parser can still be writing into it; an aborted or cut-off upload leaves its buffer to the collector.
 * The pool holds as many buffers as there are large-body slots, the most that can be filling at once.
 */
function reusableImageBuffers(size: number): {
  take(req: IncomingMessage): Buffer;
  filled(req: IncomingMessage, buffer: Buffer): void;
} {
  const free: Buffer[] = [];
  return {
    take: () => free.pop() ?? Buffer.allocUnsafe(size),
    filled(req, buffer) {
      const res = (req as Request).res;
      res?.once('finish', () => {
        if (free.length < LARGE_BODY_SLOTS) free.push(buffer);
      });
    },
  };
}

/**
 * Counts a body's bytes as they stream and reports `too-large` once they pass `limit`: the parsers under Express
 * report a limit only after the whole request has arrived, which for a 50 MB upload is long after the answer is
 * known. The rest of the body is left to the lingering close (client-errors.ts).
 */
function cutOffPast(req: IncomingMessage, limit: number, report: (body: RequestBody) => void): void {
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) report({ kind: 'too-large', field: 'body', limit });
  });
}

function run(middleware: RequestHandler, req: Request, res: Response): Promise<unknown> {
  return new Promise((resolve) => {
    middleware(req, res, (error?: unknown) => resolve(error));
  });
}

function multipartFailure(failure: unknown, maxBytes: number, fieldSize: number): RequestBody {
  if (failure instanceof multer.MulterError) {
    if (failure.code === 'LIMIT_FILE_SIZE') return { kind: 'too-large', field: 'file', limit: maxBytes };
    if (failure.code === 'LIMIT_FIELD_VALUE' && failure.field === 'image_base64') {
      return { kind: 'too-large', field: 'image_base64', limit: fieldSize };
    }
    const where = failure.field ? ` (part "${failure.field}")` : '';
    return { kind: 'malformed', problem: `${failure.message}${where}` };
  }
  return { kind: 'malformed', problem: failure instanceof Error ? failure.message : 'unreadable multipart body' };
}

/** A repeated field arrives as an array; the first value counts, like most form readers do. */
function firstText(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

function hasBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
}
