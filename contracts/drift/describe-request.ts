import type { CredentialKind, MultipartPart, ProbeBody, ProbeRequest } from '../probes/probe-catalogue.js';

/** A probe's request in words, for the reports: what was sent, never the key itself. */
export interface RequestSummary {
  method: string;
  path: string;
  credentials: string;
  body: string;
}

const CREDENTIALS: Record<CredentialKind, string> = {
  target: 'the key under test (X-DF-API-ID and X-DF-API-SECRET)',
  none: 'no credentials',
  'id-only': 'X-DF-API-ID only, no secret',
  fake: 'a made-up key pair no account has',
};

/** Field values longer than this are shown by their length (a base64 image is hundreds of kilobytes). */
const VALUE_LIMIT = 60;

export function summariseRequest(request: ProbeRequest): RequestSummary {
  return {
    method: request.method,
    path: request.path,
    credentials: CREDENTIALS[request.credentials],
    body: describeBody(request.body),
  };
}

function describeBody(body: ProbeBody): string {
  switch (body.kind) {
    case 'none':
      return '(no body)';
    case 'multipart':
      return `multipart/form-data: ${body.parts.map(describePart).join('; ') || '(no parts)'}`;
    case 'urlencoded':
      return `application/x-www-form-urlencoded: ${
        Object.entries(body.fields)
          .map(([name, value]) => describeField(name, value))
          .join('; ') || '(no fields)'
      }`;
    case 'json':
      return `application/json: ${shorten(JSON.stringify(body.value) ?? 'undefined')}`;
  }
}

function describePart(part: MultipartPart): string {
  if ('data' in part) {
    return `${part.name} = "${part.filename}" (${part.contentType}, ${part.data.length.toLocaleString('en')} bytes)`;
  }
  return describeField(part.name, part.value);
}

function describeField(name: string, value: string): string {
  if (value.length > VALUE_LIMIT) return `${name} = ${value.length.toLocaleString('en')} characters`;
  return `${name} = ${JSON.stringify(value)}`;
}

function shorten(text: string): string {
  return text.length > VALUE_LIMIT * 2 ? `${text.slice(0, VALUE_LIMIT * 2)}...` : text;
}
