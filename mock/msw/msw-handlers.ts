import { delay, HttpResponse, http, type RequestHandler } from 'msw';
import { cassettePaths, loadCassetteLibrary } from '../../src/cassette/load-cassettes.js';
import { vendorBaseUrl } from '../../src/spec/spec-document.js';
import { checkMockConfig, readMockConfigFile } from '../core/config-checks.js';
import {
  type BodyLimits,
  bodyLimits,
  type MockConfig,
  type MockControl,
  type MockRequest,
  otherFieldNames,
  type RequestBody,
  type RequiredOutcome,
  renderedBodyText,
} from '../core/index.js';
import { createMock, resolveMockConfig } from '../create-mock.js';

/** The vendor's origin, from the spec's servers: what the handlers intercept unless told otherwise. */
export const VENDOR_BASE_URL = vendorBaseUrl();

export interface MswHandlersOptions {
  /** The origin the code under test calls; default the vendor's. */
  baseUrl?: string;
  /**
   * The same config as the mock server's (keys, scenarios, latency, faults): an object, or the path of a YAML or
   * JSON file. Validated by the same schema; a bad one throws MockConfigError with the server's message.
   */
  config?: MockConfig | string;
  /**
   * Cassette files to replay besides the config's `cassettes:`, as the server does. A missing or broken
   * one throws MockConfigError.
   */
  cassettes?: readonly string[];
}

export interface MswMock {
  handlers: RequestHandler[];
  /**
   * The mock's control, to script between tests (each call resolves when done): `core.replaceScenarios(...)`,
   * `core.reset()`, `core.journal.list()`; the same control the server's admin API drives.
   */
  core: MockControl;
  /** Which documented outcomes the calls met since the last reset: the server's `GET /__admin/coverage`. */
  coverage: MockControl['coverage'];
  /** The client-behaviour audit since the last reset: the server's `GET /__admin/audit`. */
  audit: MockControl['audit'];
  /** Throws CoverageError for outcomes never answered (default: the config's `coverage.require`, else all). */
  assertCovered(...require: RequiredOutcome[]): void;
}

/**
 * The mock's behaviour as MSW request handlers: the same core as the HTTP server, so a project's unit tests get
 * the vendor's answers (scripted errors included) without a listening server. This adapter only turns a Web
 * `Request` into the core's `MockRequest` and the core's answer into a `Response`.
 */
export function createMswHandlers(options: MswHandlersOptions = {}): MswMock {
  const { requests: core, control } = createMock({
    config: resolveMockConfig(options.config, { checkMockConfig, readMockConfigFile }),
    configFile: typeof options.config === 'string' ? options.config : undefined,
    cassettes: options.cassettes,
    cassetteFiles: { cassettePaths, loadCassetteLibrary },
  });
  const origin = new URL(options.baseUrl ?? VENDOR_BASE_URL).origin;
  const limits = bodyLimits(core.decisions);

  const handler = http.all(
    ({ request }) => new URL(request.url).origin === origin,
    async ({ request }) => {
      const url = new URL(request.url);
      const path = url.pathname;
      const body = core.isEndpoint(request.method, path) ? await readBody(request, limits) : { kind: 'none' as const };
      // The query's names only, never its values (see MockRequest.queryNames).
      const queryNames = url.search === '' ? undefined : [...new Set(url.searchParams.keys())];
      const mockRequest: MockRequest = {
        method: request.method,
        path,
        headers: lowercasedHeaders(request),
        body,
        ...(queryNames ? { queryNames } : {}),
      };
      const rendered = await core.respond(mockRequest);
      if (rendered.latencyMs > 0) await delay(rendered.latencyMs);
      return new HttpResponse(renderedBodyText(rendered), {
        status: rendered.httpCode,
        headers: { ...rendered.headers, 'content-type': rendered.contentType },
      });
    },
  );
  return {
    handlers: [handler],
    core: control,
    coverage: control.coverage,
    audit: control.audit,
    assertCovered: control.assertCovered,
  };
}

async function readBody(request: Request, limits: BodyLimits): Promise<RequestBody> {
  const contentType = request.headers.get('content-type');
  if (!contentType) return request.body === null ? { kind: 'none' } : { kind: 'unsupported', contentType: '(none)' };
  const essence = contentType.split(';')[0]?.trim().toLowerCase();
  const kind =
    essence === 'multipart/form-data'
      ? 'multipart'
      : essence === 'application/x-www-form-urlencoded'
        ? 'urlencoded'
        : undefined;
  if (!kind) return { kind: 'unsupported', contentType };

  let form: FormData;
  try {
    form = await request.formData();
  } catch (error) {
    return { kind: 'malformed', problem: error instanceof Error ? error.message : 'unreadable form body' };
  }
  // A repeated field counts by its first value, as in the server adapter.
  const files = kind === 'multipart' ? form.getAll('file') : [];
  const file = files.find((value) => typeof value !== 'string');
  const imageBase64 = form.getAll('image_base64').find((value) => typeof value === 'string');
  const others = otherFieldNames(form.keys());
  // A part without a filename is a text field in FormData, as in busboy: a `file` that is not an upload.
  const fileWithoutFilename = !file && files.length > 0;
  // MSW hands over the whole body at once, so the limits are checked after reading rather than while streaming.
  if (file && file.size > limits.fileBytes) return { kind: 'too-large', field: 'file', limit: limits.fileBytes };
  if (imageBase64 !== undefined && imageBase64.length > limits.base64FieldBytes) {
    return { kind: 'too-large', field: 'image_base64', limit: limits.base64FieldBytes };
  }
  return {
    kind: 'form',
    contentType: kind,
    ...(file ? { file: new Uint8Array(await file.arrayBuffer()), fileContentType: file.type } : {}),
    ...(imageBase64 === undefined ? {} : { imageBase64 }),
    ...(fileWithoutFilename ? { fileWithoutFilename } : {}),
    ...(others.length > 0 ? { otherFields: others } : {}),
  };
}

function lowercasedHeaders(request: Request): Record<string, string> {
  // Headers iterate with lowercased names already.
  return Object.fromEntries(request.headers);
}
