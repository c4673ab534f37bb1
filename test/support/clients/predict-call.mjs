// What every scripted client shares: one predict_gender call over real HTTP with Node's fetch, the way an
// integrating team's client makes it. Plain JavaScript so the tests run these programs with `node` alone.
import { readFileSync } from 'node:fs';

/** The arguments every client takes: the mock's URL, then image files. */
export function clientArgs() {
  const [url, ...imagePaths] = process.argv.slice(2);
  if (!url || imagePaths.length === 0) {
    process.stderr.write('usage: node CLIENT.mjs MOCK_URL IMAGE...\n');
    process.exit(2);
  }
  return { url, images: imagePaths.map((path) => new Uint8Array(readFileSync(path))) };
}

export const CREDENTIALS = {
  'X-DF-API-ID': process.env.CLIENT_API_ID ?? 'client-id',
  'X-DF-API-SECRET': process.env.CLIENT_API_SECRET ?? 'client-secret-5d1e',
};

/**
 * One call: `way` is how the image travels (`file`, `base64` in multipart, `urlencoded`); `headers` are added.
 * Resolves to the HTTP code and the parsed body.
 */
export async function predict(url, image, { way = 'file', headers = {} } = {}) {
  let body;
  const base64 = Buffer.from(image).toString('base64');
  if (way === 'urlencoded') body = new URLSearchParams({ image_base64: base64 });
  else {
    body = new FormData();
    if (way === 'file') body.append('file', new Blob([image], { type: 'image/jpeg' }), 'face.jpg');
    else body.append('image_base64', base64);
  }
  const response = await fetch(`${url}/face/predict_gender`, {
    method: 'POST',
    headers: { ...CREDENTIALS, ...headers },
    body,
  });
  return { httpCode: response.status, body: await response.json() };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
