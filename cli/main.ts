#!/usr/bin/env node
/** The only place that touches the real process: argv, streams, environment, exit code. */
import { runCli } from "./app.js";

const code = await runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
  stdoutIsTTY: !!process.stdout.isTTY,
  stderrIsTTY: !!process.stderr.isTTY,
});
process.exitCode = code;
