import type { IncomingHttpHeaders } from 'node:http';
import express, { type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { bodyLimits } from '../src/core/body-limits.js';
import type { RequestBody } from '../src/core/mock-request.js';

/**
 * Turns an Express request's body into the core's `RequestBody`, deciding nothing: limits stop reading early
 * (never buffering more than the spec's maxBytes per file) and every parser error becomes a value the core
 * answers with INVALID_ARGUMENT, never a 413 or an HTML page.
 */
export interface BodyReader {
  read(req: Request, res: Response): Promise<RequestBody>;
}

export function createBodyReader(): BodyReader {
  const { fileBytes: maxBytes, base64FieldBytes: fieldSize, urlencodedBytes: urlencodedLimit } = bodyLimits();

  const multipart = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 2, fields: 16, parts: 24, fieldSize, fieldNameSize: 128, headerPairs: 64 },
  }).any();
  const urlencoded = express.urlencoded({ extended: false, limit: urlencodedLimit, parameterLimit: 16 });

  return {
    async read(req, res) {
      const contentType = req.headers['content-type'];
      if (!contentType) return hasBody(req.headers) ? { kind: 'unsupported', contentType: '(none)' } : { kind: 'none' };
      if (req.is('multipart/form-data')) {
        const failure = await run(multipart, req, res);
        if (failure) return multipartFailure(failure, maxBytes, fieldSize);
        const files = (req.files ?? []) as Express.Multer.File[];
        const imageBase64 = firstText((req.body as Record<string, unknown> | undefined)?.image_base64);
        const file = files.find((part) => part.fieldname === 'file')?.buffer;
        return {
          kind: 'form',
          contentType: 'multipart',
          ...(file ? { file } : {}),
          ...(imageBase64 === undefined ? {} : { imageBase64 }),
        };
      }
      if (req.is('application/x-www-form-urlencoded')) {
        const failure = (await run(urlencoded, req, res)) as { type?: string; message?: string } | undefined;
        if (failure?.type === 'entity.too.large') return { kind: 'too-large', field: 'body', limit: urlencodedLimit };
        if (failure) return { kind: 'malformed', problem: failure.message ?? 'unreadable urlencoded body' };
        const imageBase64 = firstText((req.body as Record<string, unknown> | undefined)?.image_base64);
        return { kind: 'form', contentType: 'urlencoded', ...(imageBase64 === undefined ? {} : { imageBase64 }) };
      }
      return { kind: 'unsupported', contentType };
    },
  };
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
