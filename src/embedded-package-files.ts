/**
 * Files of the package that code reads at run time (the spec's JSON, package.json, the dashboard's page), keyed by
 * their path from the package root with `/` separators. The installed package reads them from its folder; the
 * standalone executable (`npm run build:sea`) has no folder beside it and carries them inside itself as SEA assets,
 * which its entry hands over here before anything is read. Nothing else registers a source.
 */
export type PackageFileSource = (pathFromRoot: string) => Buffer | undefined;

let source: PackageFileSource | undefined;

/** Called once by the standalone executable's entry (cli/standalone-main.ts), before the CLI runs. */
export function readPackageFilesFrom(files: PackageFileSource): void {
  source = files;
}

/** The embedded copy of a package file, or undefined when the package's own folder is where to read it. */
export function embeddedPackageFile(pathFromRoot: string): Buffer | undefined {
  return source?.(pathFromRoot);
}
