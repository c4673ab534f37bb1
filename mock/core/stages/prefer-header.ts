import { namedExamples } from '../../../src/spec/named-examples.js';
import type { ErrorStatus, PredictGenderResult } from '../../../src/types.js';
import type { Answer } from '../answer.js';
import { type StageResult, stop } from '../stage-result.js';

/**
 * Prism's convention for choosing a response per request, so the same client tests run against Prism and the
 * mock: `Prefer: example=NAME`, `Prefer: code=403` (the first example of that code) or both
 * (`code=403, example=OUT_OF_QUOTA`). Our extension: `example=` alone works for any response's example.
 * Other preferences (`dynamic=true`, `return=...`) are ignored: the request goes on when nothing is preferred.
 */
export function checkPrefer(prefer: string | undefined): StageResult<object> {
  const answer = preferredAnswer(prefer);
  return answer ? stop(answer, 'prefer') : { ok: true };
}

function preferredAnswer(prefer: string | undefined): Answer | undefined {
  if (!prefer) return undefined;
  let code: string | undefined;
  let name: string | undefined;
  for (const token of prefer.split(/[,;]/)) {
    const [key, value] = token.split('=', 2).map((part) => part.trim().replace(/^"|"$/g, ''));
    if (key === 'code') code = value;
    else if (key === 'example') name = value;
  }
  if (code === undefined && name === undefined) return undefined;

  const examples = [...namedExamples().values()];
  const example = examples.find(
    (candidate) =>
      (name === undefined || candidate.name === name) && (code === undefined || `${candidate.httpCode}` === code),
  );
  if (!example) {
    // Not the vendor's 400 INVALID_ARGUMENT: a test expecting a 400 would then pass on a typo. A problem with a
    // code the vendor never uses, naming what exists (Prism, too, answers an unknown example with a problem).
    const wanted = [name && `example=${name}`, code && `code=${code}`].filter(Boolean).join(', ');
    const knownExamples = examples.map((candidate) => `${candidate.name} (${candidate.httpCode})`);
    return {
      kind: 'mock-problem',
      title: 'Prefer names no example of the spec',
      detail: `Prefer: the spec has no example for ${wanted}; known examples: ${knownExamples.join(', ')}`,
      knownExamples,
    };
  }
  const body = example.body as { status: string; reason?: string; result?: PredictGenderResult };
  if (body.status === 'OK' && body.result) return { kind: 'ok', result: body.result };
  return { kind: 'error', status: body.status as ErrorStatus, reason: body.reason ?? body.status };
}
