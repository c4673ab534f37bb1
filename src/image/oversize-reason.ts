/**
 * The one wording of "too many bytes", shared by the file and the base64 paths so a client sees the same
 * sentence whichever field it used, e.g. `image is 6.2 MB (6501234 bytes); at most 5242880 bytes allowed`.
 * MB means MiB here: the spec's decision reads the vendor's "5 MB" as 5 MiB, so 5242880 bytes prints as 5.0 MB.
 */
export function oversizeReason(subject: string, byteCount: number, maxBytes: number): string {
  return `${subject} ${(byteCount / 2 ** 20).toFixed(1)} MB (${byteCount} bytes); at most ${maxBytes} bytes allowed`;
}
