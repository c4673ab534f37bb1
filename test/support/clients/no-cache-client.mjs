// A client without a cache: it uploads the same image three times, each a billed call with the same answer.
import { clientArgs, predict } from './predict-call.mjs';

const { url, images } = clientArgs();
const [image] = images;
for (let i = 0; i < 3; i += 1) await predict(url, image);
