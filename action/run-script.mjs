// The runner starts a JavaScript action's `main` and `post` with node; both only hand over to a bash script, so
// the action's logic stays in bash that tests (and a reader) can run without a runner.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs `action/<script>` with bash and exits with its code. The runner passes inputs as `INPUT_<NAME>` with the
 * name's hyphens kept (`INPUT_JOURNAL-FILE`), which bash cannot read, so they are passed on with underscores.
 * The runner's own node is passed as ACCUAUTH_ACTION_NODE, to run this repository's built CLI when no package is
 * installed.
 */
export function runScript(script) {
  const env = { ...process.env, ACCUAUTH_ACTION_NODE: process.execPath };
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('INPUT_') && value !== undefined) env[name.replaceAll('-', '_')] = value.trim();
  }
  const path = fileURLToPath(new URL(script, import.meta.url));
  const result = spawnSync('bash', [path], { env, stdio: 'inherit' });
  if (result.error) {
    process.stdout.write(`::error::cannot run bash for ${script}: ${result.error.message}\n`);
    process.exit(1);
  }
  process.exit(result.status ?? 1);
}
