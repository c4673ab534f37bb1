import { accessSync, constants, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Kernel pseudo-filesystems where no regular file can be created. A recursive mkdir under /proc does not fail but
 * loops forever (seen: `accuauth-kit types --out /proc/nope/x.ts` spun a core for minutes), so such paths are
 * refused before anything is created. Values are the statfs magic numbers from linux/magic.h.
 */
const PSEUDO_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
]);

/**
 * Whether files can be written into `dir` (created if missing), judged before anything is created: the nearest
 * existing ancestor must be a directory (not a file in the way), on a real filesystem, and writable. Returns the
 * reason it cannot, naming the path and what to do, or undefined when it can.
 */
export function unwritableDirectoryReason(dir: string): string | undefined {
  const wanted = resolve(dir);
  let existing = wanted;
  for (;;) {
    try {
      if (!statSync(existing).isDirectory()) {
        return `cannot write into ${wanted}: ${existing} is a file, not a directory; choose another path`;
      }
      break;
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return `cannot write into ${wanted}: no part of the path exists`;
      existing = parent;
    }
  }
  const pseudo = statfsTypeName(existing);
  if (pseudo)
    return `cannot write into ${wanted}: ${existing} is on the ${pseudo} pseudo-filesystem; choose another path`;
  try {
    accessSync(existing, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'not writable';
    return `cannot write into ${wanted}: ${existing} is not writable (${code}); choose a writable path`;
  }
  return undefined;
}

function statfsTypeName(path: string): string | undefined {
  try {
    return PSEUDO_FILESYSTEMS.get(statfsSync(path).type);
  } catch {
    // statfs is missing on some platforms; the write itself then reports what is wrong.
    return undefined;
  }
}
