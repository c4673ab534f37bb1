import type { DecisionProfile } from '../../src/generated/decisions.js';
import type { Base64Problem } from '../../src/image/base64-image.js';
import type { ImageProblem } from '../../src/image/image-inspection.js';
import { REDACTED } from '../../src/secret-redaction.js';
import { credentialHeaders } from '../../src/spec/credential-headers.js';
import type { ImageConstraints } from '../../src/spec/image-constraints.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';

/**
 * Why the mock refused a request for a mistake of the client, beside the vendor's answer (which stays exactly
 * what the vendor would send). `code` is stable (tests, the audit and the dashboard switch on it), `value` is the
 * offending part of the request, truncated and never a secret, `fix` says what to send instead and `closest` is
 * the nearest request the mock would have accepted.
 */
export interface Diagnosis {
  code: DiagnosisCode;
  value?: string;
  fix: string;
  closest: string;
}

/** Every code the mock diagnoses, in the order of the stages that find them. */
export const DIAGNOSIS_CODES = [
  'unknown-path',
  'wrong-method',
  'wrong-credential-headers',
  'credentials-in-query',
  'missing-credentials',
  'unknown-credentials',
  'no-body',
  'json-body',
  'unsupported-content-type',
  'urlencoded-not-accepted',
  'multipart-without-boundary',
  'malformed-body',
  'body-too-large',
  'headers-too-large',
  'malformed-http',
  'incomplete-request',
  'image-under-other-field',
  'file-without-filename',
  'missing-image',
  'empty-field',
  'both-fields',
  'data-url-prefix',
  'url-safe-base64',
  'base64-white-space',
  'invalid-base64',
  'image-too-large',
  'unsupported-format',
  'corrupt-image',
  'side-too-small',
  'side-too-large',
  'declared-type-mismatch',
] as const;

export type DiagnosisCode = (typeof DIAGNOSIS_CODES)[number];

/** Enough of the offending value to recognise it in a log line or a dashboard row. */
const MAX_VALUE_CHARS = 80;

/** The offending value as shown: printable ASCII only (a header carries it), cut at MAX_VALUE_CHARS. */
export function shownValue(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > MAX_VALUE_CHARS ? `${printable.slice(0, MAX_VALUE_CHARS - 3)}...` : printable;
}

function diagnosis(code: DiagnosisCode, fix: string, closest: string, value?: string): Diagnosis {
  return { code, ...(value === undefined ? {} : { value: shownValue(value) }), fix, closest };
}

/** The request the mock accepts, in one sentence: what strict mode prints as the closest valid request. */
function validRequest(decisions: DecisionProfile): string {
  const { apiId, apiSecret } = credentialHeaders();
  const urlencoded = decisions['urlencoded-base64'] === 'accept' ? ' (or image_base64 in a urlencoded body)' : '';
  return (
    `POST ${PREDICT_GENDER_PATH} with headers ${apiId} and ${apiSecret}, and a multipart/form-data body with the ` +
    `image as part \`file\` (with a filename) or as field \`image_base64\`${urlencoded}`
  );
}

function imageRule(constraints: ImageConstraints): string {
  const formats = constraints.formats.map((format) => format.toUpperCase()).join(' or ');
  return (
    `a ${formats} image of ${constraints.minSide}..${constraints.maxSide} px on each side and at most ` +
    `${constraints.maxBytes} bytes`
  );
}

/** The route stage's diagnoses: a path or a method the vendor does not serve. */
export function routeDiagnosis(method: string, path: string, decisions: DecisionProfile): Diagnosis {
  const closest = validRequest(decisions);
  if (path === PREDICT_GENDER_PATH) {
    return diagnosis(
      'wrong-method',
      `send POST: the vendor serves ${PREDICT_GENDER_PATH} with POST only`,
      closest,
      method,
    );
  }
  return diagnosis(
    'unknown-path',
    `send the request to ${PREDICT_GENDER_PATH} (the only path the vendor serves; mind the underscore and case)`,
    closest,
    `${method} ${path}`,
  );
}

/**
 * Header names a client may have used for its credentials instead of the vendor's: anything naming an api id, key,
 * secret, token or password, and Authorization. Only the names are shown; the values may be secrets.
 */
const CREDENTIAL_LIKE_NAME = /api|key|secret|token|auth|passw/i;
/** Standard headers whose names look like credentials but never carry the vendor's. */
const NOT_CREDENTIALS = new Set(['idempotency-key', 'sec-websocket-key']);

/**
 * The credentials stage's diagnosis when a credential header is missing: credentials under other header names
 * (e.g. X-API-ID, Authorization) first, then credentials in the query string, else the missing names.
 * `queryNames` are the query string's parameter names (never their values).
 */
export function missingCredentialsDiagnosis(
  headers: Readonly<Record<string, string | undefined>>,
  queryNames: readonly string[],
  decisions: DecisionProfile,
): Diagnosis {
  const { apiId, apiSecret, apiIdLower, apiSecretLower } = credentialHeaders();
  const closest = validRequest(decisions);
  const fix = `send the API id as header ${apiId} and the secret as header ${apiSecret}`;
  const wrongNames = Object.keys(headers).filter(
    (name) =>
      name !== apiIdLower &&
      name !== apiSecretLower &&
      !NOT_CREDENTIALS.has(name) &&
      headers[name] !== undefined &&
      CREDENTIAL_LIKE_NAME.test(name),
  );
  if (wrongNames.length > 0) {
    return diagnosis(
      'wrong-credential-headers',
      `${fix}; the vendor reads no other header names`,
      closest,
      wrongNames.map((name) => `${name}: ${REDACTED}`).join(', '),
    );
  }
  const queryCredentials = queryNames.filter((name) => CREDENTIAL_LIKE_NAME.test(name));
  if (queryCredentials.length > 0) {
    return diagnosis(
      'credentials-in-query',
      `${fix}, not in the query string (a URL ends up in logs and proxies)`,
      closest,
      `?${queryCredentials.map((name) => `${name}=${REDACTED}`).join('&')}`,
    );
  }
  const missing = [headers[apiIdLower] ? undefined : apiId, headers[apiSecretLower] ? undefined : apiSecret].filter(
    (name) => name !== undefined,
  );
  return diagnosis('missing-credentials', fix, closest, missing.join(', '));
}

/** A pair the configured keys do not know: the id is shown (the journal keeps it too), never the secret. */
export function unknownCredentialsDiagnosis(keyId: string, decisions: DecisionProfile): Diagnosis {
  return diagnosis(
    'unknown-credentials',
    "send an id/secret pair listed under the mock config's keys (or script a 401 with Prefer)",
    validRequest(decisions),
    keyId,
  );
}

/** Why Node's HTTP parser refused a request before the mock could read it (see refuseUnparsedRequest). */
export type UnparsedCause = 'headers-too-large' | 'malformed-http' | 'incomplete-request';

/** A request the HTTP parser refused: the adapter names the cause, the problem is the answer's reason. */
export function unparsedRequestDiagnosis(cause: UnparsedCause, problem: string, decisions: DecisionProfile): Diagnosis {
  const closest = validRequest(decisions);
  switch (cause) {
    case 'headers-too-large':
      return diagnosis(
        'headers-too-large',
        'send fewer or shorter headers (the image goes in the body)',
        closest,
        problem,
      );
    case 'incomplete-request':
      return diagnosis(
        'incomplete-request',
        'send the whole body promptly and make Content-Length match it (or use chunked encoding)',
        closest,
        problem,
      );
    case 'malformed-http':
      return diagnosis(
        'malformed-http',
        'send a well-formed HTTP/1.1 request (use an HTTP client library)',
        closest,
        problem,
      );
  }
}

/** What the body stage saw, as far as the diagnosis needs it. */
export type BodyMistake =
  | { kind: 'no-body' }
  | { kind: 'unsupported'; contentType: string }
  | { kind: 'urlencoded-not-accepted' }
  | { kind: 'malformed'; problem: string; contentTypeHeader: string | undefined }
  | { kind: 'too-large'; field: 'file' | 'image_base64' | 'body'; limit: number }
  | { kind: 'no-image'; otherFields: readonly string[]; fileWithoutFilename: boolean }
  | { kind: 'empty-field'; field: 'file' | 'image_base64' }
  | { kind: 'both-fields' }
  | { kind: 'base64'; problem: Base64Problem; text: string };

/** The body stage's diagnoses: content type, multipart framing, field names, base64. */
export function bodyDiagnosis(
  mistake: BodyMistake,
  decisions: DecisionProfile,
  constraints: ImageConstraints,
): Diagnosis {
  const closest = validRequest(decisions);
  const multipartFix =
    'send multipart/form-data with the image as part `file` (with a filename) or field `image_base64`';
  switch (mistake.kind) {
    case 'no-body':
      return diagnosis('no-body', multipartFix, closest);
    case 'unsupported':
      return /^application\/([\w.+-]*\+)?json\b/i.test(mistake.contentType.trim())
        ? diagnosis(
            'json-body',
            `${multipartFix}; the vendor takes no JSON body (a base64 string goes in multipart field \`image_base64\`)`,
            closest,
            mistake.contentType,
          )
        : diagnosis('unsupported-content-type', multipartFix, closest, mistake.contentType);
    case 'urlencoded-not-accepted':
      return diagnosis(
        'urlencoded-not-accepted',
        `${multipartFix} (this mock's decision urlencoded-base64 is reject)`,
        closest,
        'application/x-www-form-urlencoded',
      );
    case 'malformed': {
      const header = mistake.contentTypeHeader ?? '';
      if (/^\s*multipart\/form-data\b/i.test(header) && !/;\s*boundary=/i.test(header)) {
        return diagnosis(
          'multipart-without-boundary',
          'let the HTTP client set the multipart Content-Type (it adds `; boundary=...`); do not set it by hand',
          closest,
          header,
        );
      }
      return diagnosis(
        'malformed-body',
        'send a well-formed body (let the HTTP client encode the form; do not build it by hand)',
        closest,
        mistake.problem,
      );
    }
    case 'too-large':
      return mistake.field === 'body'
        ? diagnosis(
            'body-too-large',
            `send ${imageRule(constraints)}; shrink or re-encode the image before uploading`,
            closest,
            `over ${mistake.limit} bytes`,
          )
        : diagnosis(
            'image-too-large',
            `send ${imageRule(constraints)}; shrink or re-encode the image before uploading`,
            closest,
            `${mistake.field} over ${mistake.limit} bytes`,
          );
    case 'no-image':
      if (mistake.fileWithoutFilename) {
        return diagnosis(
          'file-without-filename',
          'send part `file` as a file (with a filename in its Content-Disposition, e.g. filename="face.jpg"); ' +
            'a part without one is read as a text field',
          closest,
          'file',
        );
      }
      if (mistake.otherFields.length > 0) {
        return diagnosis(
          'image-under-other-field',
          'name the part `file` (or send base64 text as `image_base64`); the vendor reads no other field name',
          closest,
          mistake.otherFields.join(', '),
        );
      }
      return diagnosis('missing-image', multipartFix, closest);
    case 'empty-field':
      return diagnosis(
        'empty-field',
        `send the image in \`${mistake.field}\`, or leave the field out`,
        closest,
        mistake.field,
      );
    case 'both-fields':
      return diagnosis(
        'both-fields',
        "send exactly one of `file` and `image_base64` (this mock's decision both-fields is reject)",
        closest,
        'file, image_base64',
      );
    case 'base64':
      return base64Diagnosis(mistake.problem, mistake.text, constraints, closest);
  }
}

function base64Diagnosis(
  problem: Base64Problem,
  text: string,
  constraints: ImageConstraints,
  closest: string,
): Diagnosis {
  const standard = "send standard base64 (RFC 4648 section 4, '+' and '/') of the image's bytes";
  switch (problem) {
    case 'data-url-prefix':
      return diagnosis(
        'data-url-prefix',
        'send only the base64 text after the comma, without the `data:image/...;base64,` prefix',
        closest,
        text.slice(0, Math.min(text.indexOf(',') + 1 || 40, 40)).trim(),
      );
    case 'url-safe-alphabet': {
      const at = text.search(/[-_]/);
      return diagnosis(
        'url-safe-base64',
        `${standard}: replace '-' with '+' and '_' with '/'`,
        closest,
        `${JSON.stringify(text[at] ?? '')} at position ${at}`,
      );
    }
    case 'white-space':
      return diagnosis('base64-white-space', `${standard} without line breaks or spaces`, closest);
    case 'too-long':
    case 'too-large':
      return diagnosis(
        'image-too-large',
        `send ${imageRule(constraints)}`,
        closest,
        `${text.length} base64 characters`,
      );
    case 'empty':
      return diagnosis(
        'empty-field',
        'send the image in `image_base64`, or leave the field out',
        closest,
        'image_base64',
      );
    case 'not-base64':
    case 'padding':
    case 'length':
      return diagnosis('invalid-base64', standard, closest, `${text.length} characters starting ${text.slice(0, 16)}`);
  }
}

/** The image stage's diagnoses: format by content, integrity, sides, bytes. */
export function imageDiagnosis(
  problem: ImageProblem,
  constraints: ImageConstraints,
  decisions: DecisionProfile,
): Diagnosis {
  const closest = validRequest(decisions);
  const rule = imageRule(constraints);
  switch (problem.kind) {
    case 'empty':
      return diagnosis('empty-field', `send ${rule}`, closest, '0 bytes');
    case 'too-large':
      return diagnosis('image-too-large', `send ${rule}; shrink or re-encode it`, closest, `${problem.bytes} bytes`);
    case 'format':
      return diagnosis(
        'unsupported-format',
        `convert the image to ${constraints.formats.map((f) => f.toUpperCase()).join(' or ')} before uploading; ` +
          'the format is judged by the content, not the file name or Content-Type',
        closest,
        problem.found,
      );
    case 'structure':
    case 'corrupt':
      return diagnosis('corrupt-image', `send the whole image file, unmodified (${rule})`, closest);
    case 'sides': {
      const small = problem.width < constraints.minSide || problem.height < constraints.minSide;
      return diagnosis(
        small ? 'side-too-small' : 'side-too-large',
        small
          ? `upscale or crop less: each side must be at least ${constraints.minSide} px`
          : `downscale the image: each side must be at most ${constraints.maxSide} px`,
        closest,
        `${problem.width}x${problem.height} px`,
      );
    }
  }
}

/** Under decision image-format `by-declared-type`: the part's Content-Type does not name its content's format. */
export function declaredTypeDiagnosis(declared: string, wanted: string, decisions: DecisionProfile): Diagnosis {
  return diagnosis(
    'declared-type-mismatch',
    `declare the part's Content-Type as ${wanted} (this mock's decision image-format is by-declared-type)`,
    validRequest(decisions),
    declared || '(no type)',
  );
}

/**
 * The diagnosis as the `X-AccuAuth-Mock-Diagnosis` header carries it: compact JSON of code, value and fix, every
 * character outside printable ASCII escaped, so any HTTP client reads it and `JSON.parse` gives the journal's
 * fields back.
 */
export function diagnosisHeaderValue(found: Diagnosis): string {
  const { code, value, fix } = found;
  return JSON.stringify({ code, ...(value === undefined ? {} : { value }), fix }).replace(
    /[^\x20-\x7e]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export const DIAGNOSIS_HEADER = 'x-accuauth-mock-diagnosis';
