/**
 * Child process of the sweep figures: run `loopdrv run FILE …` through the CLI's own entry
 * (runCli, the code behind the `loopdrv` binary) once per file, one after the other, and
 * print one JSON line: wall seconds of all the runs, their exit codes, the points simulated
 * and the peak RSS of the process (its worker threads included).
 *
 *   tsx bench/cli-child.ts CACHE_DIR|- JOBS FILE… [-- RUN-ARGS…]
 *
 * CACHE_DIR "-" runs with --no-cache. The process start (Node, tsx) is not in the wall time:
 * it is the same for every run and is not the runner's work.
 */
import { availableParallelism } from "node:os";
import { runCli } from "../cli/app.js";
import { memoryIo } from "../cli/io.js";

const [cacheDir, jobs, ...rest] = process.argv.slice(2);
const dash = rest.indexOf("--");
const files = dash < 0 ? rest : rest.slice(0, dash);
const extra = dash < 0 ? [] : rest.slice(dash + 1);
if (!cacheDir || !jobs || files.length === 0) throw new Error("bug: usage: cli-child CACHE_DIR|- JOBS FILE… [-- ARGS…]");

const codes: number[] = [];
let points = 0;
const t0 = performance.now();
for (const file of files) {
  const io = memoryIo(cacheDir === "-" ? {} : { LOOPDRV_CACHE_DIR: cacheDir });
  const args = ["run", file, "--jobs", jobs, "--json", "--quiet", ...(cacheDir === "-" ? ["--no-cache"] : []), ...extra];
  codes.push(await runCli(args, { ...io, cwd: process.cwd(), cores: availableParallelism() }));
  if (io.stderr) process.stderr.write(io.stderr);
  points += (JSON.parse(io.stdout || '{"points":[]}') as { points: unknown[] }).points.length;
}
const wallS = (performance.now() - t0) / 1000;
// ru_maxrss is in KiB on Linux.
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ wallS, codes, points, maxRssBytes })}\n`);
