/** Run the CLI in memory: argv and environment in, exit code and both streams out. */
import { runCli } from "../../cli/app.js";
import { memoryIo } from "../../cli/io.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const io = memoryIo(env);
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** Escape sequences (colour) in terminal output. */
export const ESC = "\u001b[";
