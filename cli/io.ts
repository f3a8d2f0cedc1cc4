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
  stopRequested?(): "SIGINT" | "SIGTERM" | "q" | undefined;
  /**
   * Ask the run to stop from inside (the dashboard's `q`, or Ctrl-C read as a key while the
   * terminal is in raw mode). A second Ctrl-C exits at once, as a second signal does.
   */
  requestStop?(reason: "q" | "SIGINT"): void;
  /** The terminal the dashboard draws on (stderr, when it is one) and reads keys from (stdin, when it is one). */
  terminal?: { output: NodeJS.WriteStream; input?: NodeJS.ReadStream };
  cwd?: string;
  /** Cores this process may use (the default of `run --jobs`); absent (tests): 1. */
  cores?: number;
}

/** NO_COLOR and FORCE_COLOR as https://no-color.org and Node define them. */
export function useColor(io: Io, stream: "stdout" | "stderr", flag?: boolean): boolean {
  if (flag === false) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  // A terminal that says it can do nothing (TERM=dumb: an editor's shell, some CI logs).
  if (io.env.TERM === "dumb") return false;
  return stream === "stdout" ? io.stdoutIsTTY : io.stderrIsTTY;
}

/** Whether we run under CI, as Ink (is-in-ci) decides it: CI or CONTINUOUS_INTEGRATION set, and not "0"/"false". */
export function isCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const on = (k: string) => env[k] !== undefined && env[k] !== "0" && env[k] !== "false";
  return on("CI") || on("CONTINUOUS_INTEGRATION");
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
