import { Command } from 'commander';
import { type DriftCommandIo, driftCommand } from '../../src/cli/drift-command.js';

export interface DriftCommandRun {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
}

/**
 * `accuauth-kit drift ARGS` run in-process through commander, as main.ts wires it, with `env` as its environment;
 * commander's usage errors become rejections instead of process.exit.
 */
export async function runDriftCommand(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<DriftCommandRun> {
  const captured: DriftCommandRun = { stdout: '', stderr: '', exitCode: undefined };
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
  const command = driftCommand(io)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  const program = new Command('accuauth-kit').exitOverride().addCommand(command);
  await program.parseAsync(['drift', ...args], { from: 'user' });
  return captured;
}
