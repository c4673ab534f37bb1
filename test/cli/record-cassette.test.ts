import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeCassette } from '../../src/cassette/cassette.js';
import { recordCassette } from '../../src/cassette/cassette-recorder.js';
import { imageSha256 } from '../../src/image/predicted-face.js';
import { makeJpeg, makePng } from '../../src/image/sample-images.js';
import { useMock } from '../support/mock-server.js';

// A stand-in of the vendor on loopback: the mock, with one key whose secret must never reach a cassette.
const SECRET = 'rec-secret-7f3a9c1e55';
const vendor = useMock({ config: { keys: [{ id: 'rec-id', secret: SECRET }] } });

let dir: string;
const jpeg = makeJpeg({ width: 256, height: 320, seed: 41 });
const png = makePng({ width: 200, height: 200, seed: 42 });
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accuauth-record-'));
  await mkdir(join(dir, 'faces'));
  await writeFile(join(dir, 'faces', 'a.jpg'), jpeg);
  await writeFile(join(dir, 'faces', 'b.png'), png);
  await writeFile(join(dir, 'faces', 'a-again.jpeg'), jpeg);
  await writeFile(join(dir, 'faces', 'notes.txt'), 'not an image');
  await writeFile(join(dir, 'tiny.png'), makePng({ width: 20, height: 20, seed: 43 }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const target = () => ({ baseUrl: vendor.url, apiId: 'rec-id', apiSecret: SECRET });

describe('recording a cassette from a vendor stand-in', () => {
  it('sends each image once as file and records code, body without request_id, size and path', async () => {
    const result = await recordCassette({
      target: target(),
      images: [join(dir, 'faces'), join(dir, 'tiny.png'), join(dir, 'missing.jpg')],
      cassettePath: join(dir, 'cassettes', 'vendor.yaml'),
      maxCalls: 50,
      timeoutMs: 5000,
      now: () => new Date('2026-11-25T10:00:00Z'),
    });
    // a-again.jpeg and a.jpg are the same bytes: one call (the first name, in sorted order, is kept); notes.txt is not picked from the directory.
    expect(result.callsSpent).toBe(3);
    expect(result.failures).toEqual([{ image: join(dir, 'missing.jpg'), reason: 'cannot read it (ENOENT)' }]);
    const [first, second, third] = result.cassette.recordings;
    expect(first?.image).toEqual({
      sha256: imageSha256(jpeg),
      path: '../faces/a-again.jpeg',
      bytes: jpeg.byteLength,
      format: 'jpeg',
      width: 256,
      height: 320,
    });
    expect(first?.answer.httpCode).toBe(200);
    expect(first?.answer.body).toMatchObject({ status: 'OK', result: { gender: expect.any(String) } });
    expect(first?.answer.body).not.toHaveProperty('request_id');
    expect(first).toMatchObject({ field: 'file', recordedAt: '2026-11-25T10:00:00.000Z', target: vendor.url });
    expect(second?.image.path).toBe('../faces/b.png');
    // The vendor's refusal is an answer worth replaying too.
    expect(third?.answer).toMatchObject({ httpCode: 400, body: { status: 'INVALID_ARGUMENT' } });
    expect(serializeCassette(result.cassette)).not.toContain(SECRET);
  });

  it('spends at most maxCalls and names the images it did not send', async () => {
    const result = await recordCassette({
      target: target(),
      images: [join(dir, 'faces'), join(dir, 'tiny.png')],
      cassettePath: join(dir, 'c.yaml'),
      maxCalls: 1,
      timeoutMs: 5000,
    });
    expect(result.callsSpent).toBe(1);
    expect(result.cassette.recordings).toHaveLength(1);
    expect(result.notSent).toEqual([join(dir, 'faces', 'b.png'), join(dir, 'tiny.png')]);
  });

  it('keeps what it recorded when the target fails for one image, and names that image without the secret', async () => {
    let calls = 0;
    // Answers the second upload with an HTML outage page, the others like the stand-in.
    const flaky = createServer(async (req, res) => {
      calls += 1;
      if (calls === 2) {
        res
          .writeHead(502, { 'content-type': 'text/html' })
          .end(`<html>Bad gateway ${req.headers['x-df-api-secret']}</html>`);
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const upstream = await fetch(`${vendor.url}${req.url}`, {
        method: 'POST',
        headers: { ...(req.headers as Record<string, string>), host: new URL(vendor.url).host },
        body: Buffer.concat(chunks),
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    try {
      const result = await recordCassette({
        target: { ...target(), baseUrl: `http://127.0.0.1:${(flaky.address() as AddressInfo).port}` },
        images: [join(dir, 'faces')],
        cassettePath: join(dir, 'c.yaml'),
        maxCalls: 50,
        timeoutMs: 5000,
      });
      expect(result.callsSpent).toBe(2);
      expect(result.cassette.recordings.map((r) => r.image.path)).toEqual(['faces/a-again.jpeg']);
      expect(result.failures).toHaveLength(1);
      expect(result.failures[0]?.image).toBe(join(dir, 'faces', 'b.png'));
      expect(result.failures[0]?.reason).toMatch(/^HTTP 502 with a body that is not JSON/);
      expect(JSON.stringify(result)).not.toContain(SECRET);
    } finally {
      await new Promise((resolve) => flaky.close(resolve));
    }
  });
});
