/**
 * Everything the CLI takes from the process, in one object, so the whole CLI runs in tests
 * with fake streams and environment. Only cli/main.ts builds the real one.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout / stderr are terminals. */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** The signal that asked the run to stop, if one has (SIGINT, SIGTERM, or "q" on the dashboard). */
  stopRequested?(): "SIGINT" | "SIGTERM" | undefined;
  cwd?: string;
}

/** NO_COLOR and FORCE_COLOR as https://no-color.org and Node define them. */
export function useColor(io: Io, stream: "stdout" | "stderr", flag?: boolean): boolean {
  if (flag === false) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  return stream === "stdout" ? io.stdoutIsTTY : io.stderrIsTTY;
}

export function memoryIo(env: Record<string, string | undefined> = {}): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    env,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}
