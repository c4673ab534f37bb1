/**
 * Exit codes shared by every command. 1 is reserved for "drift found" (`accuauth-kit drift`), so nothing else may
 * use it: a usage or config error, an unwritable path or a port in use exits 2, which a nightly job reads as "could
 * not check" rather than as vendor drift.
 */
export const DRIFT_FOUND_EXIT_CODE = 1;
/**
 * `accuauth-kit record` and `import-har`: some images were not recorded (the partial cassette is written, the failures named). The
 * same "the job's outcome needs a look" code as drift found, never a usage error, which stays 2.
 */
export const PARTIAL_RECORDING_EXIT_CODE = 1;
/**
 * The command could not do its job: a usage or config error (a config that does not validate), an unwritable path,
 * a port or host the mock cannot listen on, a target the drift check could not check. One name for every command.
 */
export const COULD_NOT_RUN_EXIT_CODE = 2;
/**
 * `accuauth-kit report`: a required outcome was never answered or a finding of a failing kind was found. The same
 * "the job's outcome needs a look" code; a mock it cannot read, or bad usage, stays 2.
 */
export const CLIENT_REPORT_FAILED_EXIT_CODE = 1;
