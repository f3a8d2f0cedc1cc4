#!/usr/bin/env node
/** The only place that touches the real process: argv, streams, environment, exit code. */
import { runCli } from "./app.js";

// Ctrl-C / SIGTERM: finish the slice in progress, write the finished points marked partial,
// exit 130 / 143. A second signal exits at once.
let stop: "SIGINT" | "SIGTERM" | undefined;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (stop) process.exit(sig === "SIGINT" ? 130 : 143);
    stop = sig;
  });
}

const code = await runCli(process.argv.slice(2), {
  stopRequested: () => stop,
  cwd: process.cwd(),
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
  stdoutIsTTY: !!process.stdout.isTTY,
  stderrIsTTY: !!process.stderr.isTTY,
});
process.exitCode = code;
