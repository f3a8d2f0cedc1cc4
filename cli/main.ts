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

const code = await runCli(process.argv.slice(2), {
  stopRequested: () => stop,
  requestStop,
  ...(process.stderr.isTTY ? { terminal: { output: process.stderr, ...(process.stdin.isTTY ? { input: process.stdin } : {}) } } : {}),
  cwd: process.cwd(),
  cores: availableParallelism(),
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
  stdoutIsTTY: !!process.stdout.isTTY,
  stderrIsTTY: !!process.stderr.isTTY,
});
process.exitCode = code;
