import { Command } from 'commander';
import { type DriftCommandIo, driftCommand } from '../../cli/drift-command.js';

export interface CommandRun {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
}

/**
 * `accuauth-kit NAME ARGS` run in-process through commander, as main.ts wires it, with `env` as its environment and
 * its output captured; commander's usage errors become rejections instead of process.exit. `build` is the
 * command's factory (driftCommand, recordCommand), handed the captured I/O.
 */
export async function runCommandInProcess(
  name: string,
  build: (io: DriftCommandIo) => Command,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CommandRun> {
  const captured: CommandRun = { stdout: '', stderr: '', exitCode: undefined };
  const io: DriftCommandIo = {
    env,
    stdout: (text) => {
      captured.stdout += text;
    },
    stderr: (text) => {
      captured.stderr += text;
    },
    setExitCode: (code) => {
      captured.exitCode = code;
    },
  };
  const command = build(io)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  const program = new Command('accuauth-kit').exitOverride().addCommand(command);
  await program.parseAsync([name, ...args], { from: 'user' });
  return captured;
}

/** `accuauth-kit drift ARGS` in-process (see runCommandInProcess). */
export function runDriftCommand(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CommandRun> {
  return runCommandInProcess('drift', driftCommand, args, env);
}
