// A client that retries every error at once, up to three times: after OUT_OF_QUOTA each retry is another call
// against the live API that cannot succeed.
import { clientArgs, predict } from './predict-call.mjs';

const { url, images } = clientArgs();
for (const image of images) {
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    const answer = await predict(url, image);
    if (answer.body.status === 'OK') break;
  }
}
