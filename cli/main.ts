#!/usr/bin/env node
/** The only place that touches the real process: argv, streams, environment, exit code. */
import { availableParallelism } from "node:os";
import { runCli } from "./app.js";

// Ctrl-C / SIGTERM (or `q` on the dashboard): finish the slice in progress, write the
// finished points marked partial, exit 130 / 143 (`q`: 130). A second signal exits at once.
let stop: "SIGINT" | "SIGTERM" | "q" | undefined;
const requestStop = (why: "SIGINT" | "SIGTERM" | "q") => {
  if (stop && why !== "q") process.exit(why === "SIGTERM" ? 143 : 130);
  stop ??= why;
};
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => requestStop(sig));

// A reader that stops early (`loopdrv run … --json | head -1`) closes the pipe: what it did
// not read is not wanted, so the rest of the output is dropped and the command ends as it
// would have (its exit code still says how the run went), without Node's EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
}
const write = (stream: NodeJS.WriteStream, t: string): boolean => (stream.destroyed ? true : stream.write(t));

const code = await runCli(process.argv.slice(2), {
  stopRequested: () => stop,
  requestStop,
  ...(process.stderr.isTTY ? { terminal: { output: process.stderr, ...(process.stdin.isTTY ? { input: process.stdin } : {}) } } : {}),
  cwd: process.cwd(),
  cores: availableParallelism(),
  out: (t) => write(process.stdout, t),
  err: (t) => write(process.stderr, t),
  env: process.env,
  stdoutIsTTY: !!process.stdout.isTTY,
  stderrIsTTY: !!process.stderr.isTTY,
});
process.exitCode = code;
