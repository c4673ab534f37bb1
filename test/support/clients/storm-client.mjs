// A client that ignores RATE_LIMIT_EXCEEDED: it sends its images one after the other without waiting, each a new
// call while the key's rate window is still closed.
import { clientArgs, predict } from './predict-call.mjs';

const { url, images } = clientArgs();
const statuses = [];
for (const image of images) statuses.push((await predict(url, image)).body.status);
process.stdout.write(`${JSON.stringify(statuses)}\n`);
