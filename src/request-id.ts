import { randomUUID } from 'node:crypto';

/**
 * The vendor's request ids are `TID` + 32 lowercase hex (both samples in its doc; the spec's RequestId pattern).
 * A v4 UUID without dashes is 32 lowercase hex and is the cheapest random source Node has.
 */
export function newRequestId(): string {
  return `TID${randomUUID().replaceAll('-', '')}`;
}
