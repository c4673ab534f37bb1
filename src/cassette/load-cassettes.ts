import { dirname, resolve } from 'node:path';
import { readCassetteFileSync } from './cassette-file.js';
import { CassetteLibrary, type CassetteLibraryBuild } from './cassette-library.js';

/**
 * The cassette files a mock replays: a config's `cassettes:` (relative to the config file, or to the working
 * directory for a config given as an object) followed by those named directly (`--cassette`, `startMock({ cassettes })`).
 */
export function cassettePaths(
  fromConfig: readonly string[] | undefined,
  configFile: string | undefined,
  named: readonly string[] = [],
): string[] {
  const base = configFile === undefined ? process.cwd() : dirname(resolve(configFile));
  return [...(fromConfig ?? []).map((path) => resolve(base, path)), ...named.map((path) => resolve(path))];
}

/**
 * Reads every cassette into one library, at start-up. A missing or broken cassette is a config error (the reason
 * names the file and what is wrong), never a mock that silently derives answers the team thinks are recorded.
 * `optional` names a file that may not exist yet (the recording proxy's `--record` on its first run).
 */
export function loadCassetteLibrary(paths: readonly string[], optional?: string): CassetteLibraryBuild {
  const cassettes = [];
  for (const path of paths) {
    const read = readCassetteFileSync(path);
    if (read.ok) cassettes.push({ name: path, cassette: read.cassette });
    else if (!(read.missing && path === optional)) {
      return { ok: false, reason: read.missing ? `cassette ${path} does not exist` : `cassette ${read.reason}` };
    }
  }
  return CassetteLibrary.build(cassettes);
}
