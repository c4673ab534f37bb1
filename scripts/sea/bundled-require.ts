/**
 * Stands in for `node:module` in mock/express/request-log.ts inside the standalone executable only (see
 * scripts/build-sea.ts). That file requires pino on its first log line through `createRequire(import.meta.url)`,
 * the only `require` an ES module has; inside the executable there is neither an `import.meta.url` nor a
 * node_modules to resolve from. The `require` below is esbuild's: it finds pino in the bundle, still on first use.
 */
export function createRequire(_moduleUrl: unknown): (id: string) => unknown {
  return (id) => {
    if (id === 'pino') return require('pino');
    throw new Error(`${id} is not in the standalone executable (scripts/sea/bundled-require.ts knows only pino)`);
  };
}
