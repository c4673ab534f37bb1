// @ts-check

/**
 * A refresh run at most once per `delayMs` however many events ask for it: calls arrive in bursts, and reading
 * the admin API once per call would load the mock the page is watching. The last event is never lost (a refresh
 * always follows it), and refreshes never overlap, so an older answer cannot land after a newer one.
 * @param {() => Promise<void>} refresh
 * @param {number} delayMs
 * @param {(error: unknown) => void} onError
 * @returns {() => void} asks for a refresh
 */
export function throttledRefresh(refresh, delayMs, onError) {
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  let running = false;
  let askedWhileRunning = false;

  async function run() {
    timer = null;
    running = true;
    try {
      await refresh();
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
    if (askedWhileRunning) {
      askedWhileRunning = false;
      ask();
    }
  }

  function ask() {
    if (running) {
      askedWhileRunning = true;
      return;
    }
    if (timer === null) timer = setTimeout(run, delayMs);
  }
  return ask;
}
