/** The real CLI as a child process (`node --import tsx cli/main.ts ARGS`), for end-to-end tests. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { packagePath } from "../../src/dsl/package-root.js";

export const ROOT = packagePath();

export interface CliProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface CliProcessOptions {
  env?: Record<string, string>;
  /** Sees the child as soon as it is spawned (e.g. to close its stdout, as `head` does). */
  onSpawn?: (child: ChildProcess) => void;
  /** Sees stderr so far each time more arrives, and may act on the child. */
  onStderr?: (text: string, child: ChildProcess) => void;
}

/** Run the CLI to its end (killed after 60 s); stdout is drained and dropped. */
export function runCliProcess(args: readonly string[], opts: CliProcessOptions = {}): Promise<CliProcessRun> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...opts.env };
  delete childEnv.FORCE_COLOR;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "cli", "main.ts"), ...args], { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out; stderr so far:\n${stderr}`));
    }, 60_000);
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
      opts.onStderr?.(stderr, child);
    });
    opts.onSpawn?.(child);
    if (!child.stdout!.destroyed) child.stdout!.resume();
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}
