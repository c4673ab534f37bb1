import { getAsset, isSea } from 'node:sea';
import { readPackageFilesFrom } from '../src/embedded-package-files.js';

/**
 * Imported first by the standalone executable's entry, for its side effect: modules read package files while they
 * are evaluated (the spec's credential headers, for one), so the SEA assets must be the source before any of them
 * runs. scripts/build-sea.ts embeds the files under their paths from the package root.
 */
if (isSea()) {
  readPackageFilesFrom((pathFromRoot) => {
    try {
      return Buffer.from(getAsset(pathFromRoot));
    } catch {
      // Not embedded: the reader falls back to the package folder and says what it could not find.
      return undefined;
    }
  });
}
