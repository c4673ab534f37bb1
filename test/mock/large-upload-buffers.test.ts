import { describe, expect, it } from 'vitest';
import { imageSha256, predictFromImage } from '../../src/image/predicted-face.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { admin, useMock } from '../support/mock-server.js';
import { fileUploadBody, multipartContentType } from '../support/multipart-body.js';

// Uploads over 1 MiB are read into buffers that the mock reuses from one upload to the next, which bounds memory
// under 50 concurrent 5 MiB uploads. A buffer handed back too early would let one upload's bytes overwrite
// another's: every client must still get the answer derived from its own image, and the journal must hold each
// image's own digest, with many large uploads in flight at once, wave after wave.
const mock = useMock();
const photo = makeJpeg({ width: 320, height: 240, seed: 3 });

/** A valid JPEG of ~1.5 MiB whose padding (APP15 segments after SOI) is unique to `n`. */
function largeJpeg(n: number): Buffer {
  const segments: Buffer[] = [];
  for (let i = 0; i < 24; i += 1) {
    const payload = 0xffff - 2;
    const segment = Buffer.alloc(4 + payload, (n * 31 + i) & 0xff);
    segment.writeUInt16BE(0xffef, 0);
    segment.writeUInt16BE(payload + 2, 2);
    segments.push(segment);
  }
  return Buffer.concat([photo.subarray(0, 2), ...segments, photo.subarray(2)]);
}

async function upload(image: Buffer): Promise<{ status: string; result?: unknown; request_id: string }> {
  const response = await fetch(`${mock.url}${PREDICT_GENDER_PATH}`, {
    method: 'POST',
    headers: { 'x-df-api-id': 'id', 'x-df-api-secret': 'secret', 'content-type': multipartContentType() },
    body: new Uint8Array(fileUploadBody(image)),
  });
  return (await response.json()) as { status: string; result?: unknown; request_id: string };
}

describe('large uploads read into reused buffers', () => {
  it('answers every concurrent large upload from its own image, wave after wave', async () => {
    await admin(mock.url, 'DELETE', '/requests');
    const sent: string[] = [];
    for (let wave = 0; wave < 4; wave += 1) {
      const images = Array.from({ length: 8 }, (_, i) => largeJpeg(wave * 8 + i));
      expect(images[0]?.length).toBeGreaterThan(1024 * 1024);
      const answers = await Promise.all(images.map(upload));
      answers.forEach((answer, i) => {
        const sha = imageSha256(images[i] as Buffer);
        sent.push(sha);
        expect(answer).toMatchObject({ status: 'OK' });
        expect(answer.result).toEqual(predictFromImage(sha, { width: 320, height: 240 }));
      });
    }
    const journal = (await admin(mock.url, 'GET', '/requests')).body as {
      requests: { body: { imageSha256?: string } }[];
    };
    expect(journal.requests.map((entry) => entry.body.imageSha256).sort()).toEqual([...sent].sort());
    expect(new Set(sent).size).toBe(32);
  });

  it("keeps each dashboard preview's own bytes after its buffer went back to the pool", async () => {
    // The previews outlive the answer; the reused buffer does not. Upload one after another, so each upload
    // takes the buffer the previous one gave back, then read every preview.
    const images = Array.from({ length: 4 }, (_, i) => largeJpeg(100 + i));
    const requestIds: string[] = [];
    for (const image of images) {
      const answer = await upload(image);
      expect(answer).toMatchObject({ status: 'OK' });
      requestIds.push(answer.request_id);
    }
    for (const [i, requestId] of requestIds.entries()) {
      const preview = await fetch(`${mock.url}/__admin/previews/${requestId}`);
      expect(preview.status).toBe(200);
      expect(imageSha256(new Uint8Array(await preview.arrayBuffer()))).toBe(imageSha256(images[i] as Buffer));
    }
  });
});
