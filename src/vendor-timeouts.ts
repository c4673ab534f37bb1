/**
 * How long each part of the kit waits for the vendor's answer to one request unless told otherwise, in one table so
 * the defaults are read and changed in one place.
 * - `client`: the typed client, in a team's own code (a person or a job is waiting; the vendor's slow answers fit).
 * - `tool`: the kit's commands that call the vendor for the team: drift (each probe, the target's and the
 *   reference mock's alike), record, and the recording proxy's relay.
 * - `probe`: one conformance probe run alone (the suites; drift passes its own `tool` timeout).
 */
export const VENDOR_TIMEOUT_MS = {
  client: 30_000,
  tool: 15_000,
  probe: 10_000,
} as const;
