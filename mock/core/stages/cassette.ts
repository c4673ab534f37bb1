import type { CassetteHit } from '../../../src/cassette/cassette-library.js';
import { type Answer, errorAnswer } from '../answer.js';
import type { ImageField } from './image-field.js';

/**
 * The stage `cassette`: after the scenarios, before the derived answer. An upload whose image bytes are
 * in a cassette gets the vendor's recorded code and body (with a fresh request_id); with a recording proxy, an
 * upload not in any cassette is relayed to the vendor instead of getting a derived answer. Precedence:
 * `Prefer` > scenarios > cassette > the derived answer.
 */

/** Where the stage looks an image up: a `CassetteLibrary` (or the recording proxy's growing one). */
export interface CassetteSource {
  find(sha256: string): CassetteHit | undefined;
}

/** An upload as the recording proxy forwards it: the image the core read and the caller's headers. */
export interface ForwardedUpload {
  field: ImageField;
  image: Uint8Array;
  imageSha256: string;
  /** The caller's headers, lowercased; the forwarder sends on only the credentials. */
  headers: Readonly<Record<string, string | undefined>>;
}

export type ForwardResult =
  /**
   * The answer to relay: the vendor's JSON (its echo of any secret redacted), or for a vendor redirect its 3xx code
   * with a JSON reason and no Location (redirects are never followed, nor handed on to be followed).
   */
  | { ok: true; httpCode: number; body: Record<string, unknown> }
  /** No JSON answer from the vendor (unreachable, timed out, an HTML page); `reason` names the target, no secret. */
  | { ok: false; reason: string };

/**
 * The recording proxy's way out, injected by the composition root (`startMock`, the CLI): the core does no network
 * I/O itself. The forwarder also records what it relays, so the next upload of the same bytes replays.
 */
export interface UploadForwarder {
  /** The upstream's base URL, for the journal (`proxy <URL>`) and for messages. */
  readonly target: string;
  forward(upload: ForwardedUpload): Promise<ForwardResult>;
}

/** A recorded answer to replay, or undefined when the image is in no cassette. */
export function replayFromCassette(
  source: CassetteSource | undefined,
  imageSha256: string,
): { answer: Answer; cassette: string } | undefined {
  const hit = source?.find(imageSha256);
  if (!hit) return undefined;
  const { httpCode, body } = hit.recording.answer;
  return { answer: { kind: 'recorded', httpCode, body }, cassette: hit.cassette };
}

/**
 * The vendor's answer, relayed with its own request_id; an upstream that gave no JSON answer becomes the
 * documented INTERNAL_ERROR, whose reason names the proxy target (the caller's test then says why it failed).
 */
export async function relayToVendor(
  forwarder: UploadForwarder,
  upload: ForwardedUpload,
): Promise<{ answer: Answer; cassette: string }> {
  const cassette = `proxy ${forwarder.target}`;
  const relayed = await forwarder.forward(upload);
  if (!relayed.ok) return { answer: errorAnswer('INTERNAL_ERROR', relayed.reason), cassette };
  const { request_id: requestId, ...body } = relayed.body;
  return {
    answer: {
      kind: 'recorded',
      httpCode: relayed.httpCode,
      body,
      ...(typeof requestId === 'string' ? { requestId } : {}),
    },
    cassette,
  };
}
