/**
 * A value computed on first use and kept for the life of the process: the spec's tables, compiled validators.
 * Lazy rather than at import, so a process that never needs one (a mock without a config) never pays for it.
 */
export function computeOnce<T>(compute: () => T): () => T {
  let computed = false;
  let value: T;
  return () => {
    if (!computed) {
      value = compute();
      computed = true;
    }
    return value;
  };
}
