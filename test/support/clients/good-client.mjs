// A client that handles the vendor well: it caches answers by image, retries only RATE_LIMIT_EXCEEDED (after the
// rate window) and INTERNAL_ERROR (after a back-off), and treats every other error as final. Its driver meets
// every documented status: the test queues some as next answers, the rest it asks for with Prefer.
import { createHash } from 'node:crypto';
import { clientArgs, predict, sleep } from './predict-call.mjs';

const { url, images } = clientArgs();
const cache = new Map();
const WAYS = ['file', 'base64', 'urlencoded'];

async function classify(image, { prefer, way } = {}) {
  const sha = createHash('sha256').update(image).digest('hex');
  if (cache.has(sha)) return cache.get(sha);
  let headers = prefer ? { Prefer: prefer } : {};
  for (let attempt = 1; ; attempt += 1) {
    const answer = await predict(url, image, { way, headers });
    const status = answer.body.status;
    if (status === 'OK') {
      cache.set(sha, answer.body.result);
      return answer.body.result;
    }
    if (attempt === 3 || (status !== 'RATE_LIMIT_EXCEEDED' && status !== 'INTERNAL_ERROR')) return { error: status };
    // The Prefer header was the test's way to provoke the error; the retry is the client's own call.
    headers = {};
    await sleep(status === 'RATE_LIMIT_EXCEEDED' ? 1_100 : 200 * attempt);
  }
}

const outcomes = [];
let next = 0;
const nextImage = () => {
  const image = images[next];
  next += 1;
  if (!image) throw new Error('not enough images');
  return image;
};
const queued = Number(process.env.QUEUED_ANSWERS ?? '0');
for (let i = 0; i < queued; i += 1) outcomes.push(await classify(nextImage(), { way: WAYS[i % 3] }));
for (const example of (process.env.PREFERRED ?? '').split(',').filter(Boolean)) {
  outcomes.push(await classify(nextImage(), { prefer: `example=${example}`, way: WAYS[outcomes.length % 3] }));
}
const first = nextImage();
outcomes.push(await classify(first, { way: 'urlencoded' }));
// From the cache: no second call for the same image.
outcomes.push(await classify(first));
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
