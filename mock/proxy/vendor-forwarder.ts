import { CassetteAppender } from '../../src/cassette/cassette-file.js';
import type { CassetteLibrary } from '../../src/cassette/cassette-library.js';
import { describeImage, notRecordable, recordingOf, sendUpload } from '../../src/cassette/cassette-recorder.js';
import { credentialHeaders } from '../../src/spec/credential-headers.js';
import type { ForwardResult, UploadForwarder } from '../core/index.js';

export interface VendorForwarderOptions {
  /** The vendor's base URL (`mock --proxy URL`). */
  target: string;
  /** The cassette file that receives each relayed answer (`--record FILE`). */
  record: string;
  /** The recordings replayed so far; each relayed answer joins it, so the same bytes are never relayed twice. */
  library: CassetteLibrary;
  timeoutMs: number;
  /** The most decoded bytes read of a vendor answer; past it the caller gets INTERNAL_ERROR and nothing is recorded. */
  maxAnswerBytes: number;
  /** Told when a relayed answer could not be written to the cassette (the caller still gets its answer). */
  onProblem: (message: string) => void;
  now?: () => Date;
}

/**
 * The recording proxy's forwarder (`accuauth-kit mock --proxy URL --record FILE`): sends an upload to the vendor
 * with the caller's own credentials (the vendor, not the mock, judges the key), hands the vendor's JSON answer back
 * to the core, and appends it to the cassette. Only the image, the field and the answer are recorded: never a
 * header, so never a credential, and the answer's echo of the caller's secret is redacted by `sendUpload`. A
 * non-JSON answer (an outage page), an answer past the size bound and a redirect are not recorded.
 */
export function createVendorForwarder(options: VendorForwarderOptions): UploadForwarder {
  const appender = new CassetteAppender(options.record);
  const names = credentialHeaders();
  const now = options.now ?? (() => new Date());
  return {
    target: options.target,
    async forward(upload): Promise<ForwardResult> {
      const key = {
        baseUrl: options.target,
        apiId: upload.headers[names.apiIdLower] ?? '',
        apiSecret: upload.headers[names.apiSecretLower] ?? '',
      };
      const bytes = upload.image;
      const bounds = { timeoutMs: options.timeoutMs, maxAnswerBytes: options.maxAnswerBytes };
      const sent = await sendUpload(key, { field: upload.field, bytes, filename: 'image' }, bounds);
      if (!sent.ok && sent.kind === 'redirected') {
        // Relayed with the vendor's code but without its Location, so no client of the mock follows it with the
        // key either; nothing is recorded, as a redirect says nothing about the image.
        return {
          ok: true,
          httpCode: sent.httpCode,
          body: {
            status: 'INTERNAL_ERROR',
            reason: `the recording proxy's target answered ${sent.reason}: the key is sent to the target only; nothing recorded`,
          },
        };
      }
      if (!sent.ok) return { ok: false, reason: `the recording proxy got no answer to record: ${sent.reason}` };
      // The caller gets every JSON answer; only answers about the image (not key refusals, not 5xx) are recorded.
      if (notRecordable(sent.answer)) return { ok: true, ...sent.answer };
      const recording = recordingOf(describeImage(bytes, undefined), upload.field, sent.answer, options.target, now());
      options.library.remember(recording, options.record);
      const written = await appender.append(recording);
      if (!written.ok) options.onProblem(`not recorded: ${written.reason}`);
      return { ok: true, ...sent.answer };
    },
  };
}
