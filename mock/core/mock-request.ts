/**
 * The request as the core sees it: what any HTTP adapter (Express + multer, MSW's `Request`) can produce without
 * deciding anything. Headers are lowercased; the body is already split by content type.
 */
export interface MockRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /**
   * The query string's parameter names, never their values (a client that puts its key in the URL puts a secret
   * there): the vendor reads no query, so they only serve to diagnose credentials sent in the wrong place.
   */
  queryNames?: readonly string[];
  headers: Readonly<Record<string, string | undefined>>;
  body: RequestBody;
}

/** The request before its body is read: what the stages up to the rate limit judge. */
export type RequestHead = Omit<MockRequest, 'body'>;

export type RequestBody =
  /** No body, or a body the adapter did not read because the route is not the endpoint's. */
  | { kind: 'none' }
  /** multipart/form-data or application/x-www-form-urlencoded, with the fields the endpoint knows. */
  | {
      kind: 'form';
      contentType: 'multipart' | 'urlencoded';
      file?: Uint8Array;
      /** A `file` part that came as a text field (no filename in its Content-Disposition): not an image upload. */
      fileWithoutFilename?: boolean;
      /** The names of the body's other fields and parts (not `file` or `image_base64`), for the diagnosis. */
      otherFields?: readonly string[];
      /** The `file` part's declared Content-Type, as sent (decision image-format: by-declared-type reads it). */
      fileContentType?: string;
      imageBase64?: string;
    }
  /** A body over the size the adapter accepts; the adapter stopped reading it. `limit` is in bytes. */
  | { kind: 'too-large'; field: 'file' | 'image_base64' | 'body'; limit: number }
  /** A content type the endpoint does not take (JSON included, by decision). */
  | { kind: 'unsupported'; contentType: string }
  /** A body the adapter could not parse; `problem` says what was wrong. */
  | { kind: 'malformed'; problem: string };

/** The names of a form's fields that the endpoint does not read, once each: what adapters report as `otherFields`. */
export function otherFieldNames(names: Iterable<string>): string[] {
  return [...new Set(names)].filter((name) => name !== 'file' && name !== 'image_base64');
}
