/**
 * Child process of the sweep figures: run `loopdrv run FILE …` through the CLI's own entry
 * (runCli, the code behind the `loopdrv` binary) once per file, one after the other, and
 * print one JSON line: wall seconds of all the runs, their exit codes, the points simulated
 * and the peak RSS of the process (its worker threads included).
 *
 *   node DIR/dist/bench/cli-child.js CACHE_DIR|- JOBS FILE… [-- RUN-ARGS…]   (as the bench runs it)
 *   tsx bench/cli-child.ts …                                              (from the sources)
 *
 * CACHE_DIR "-" runs with --no-cache. The process start is not in the wall time: it is the
 * same for every run and is not the runner's work. With LOOPDRV_BENCH_BUILT set to a
 * compiled tree (bench/build.ts, which compiles this script with it), its CLI runs — the
 * JavaScript users run — else the sources under tsx.
 */
import { availableParallelism } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { runCli as RunCli } from "../cli/app.js";
import type { memoryIo as MemoryIo } from "../cli/io.js";

const builtDir = process.env.LOOPDRV_BENCH_BUILT;
if (builtDir) {
  // The compiled CLI's worker threads load plain JavaScript. They inherit this process's
  // execArgv, whose `--import tsx` would load tsx into each of them too: slower (about 45 %
  // more CPU on the paper sweeps) and ~35 MB more resident memory, none of which a user of
  // the compiled CLI pays.
  const i = process.execArgv.findIndex((a, j) => a === "--import" && process.execArgv[j + 1] === "tsx");
  if (i >= 0) process.execArgv.splice(i, 2);
}
const from = (rel: string, src: string) => (builtDir ? pathToFileURL(path.join(builtDir, "dist", "cli", rel)).href : src);
const { runCli } = (await import(from("app.js", "../cli/app.js"))) as { runCli: typeof RunCli };
const { memoryIo } = (await import(from("io.js", "../cli/io.js"))) as { memoryIo: typeof MemoryIo };

const [cacheDir, jobs, ...rest] = process.argv.slice(2);
const dash = rest.indexOf("--");
const files = dash < 0 ? rest : rest.slice(0, dash);
const extra = dash < 0 ? [] : rest.slice(dash + 1);
if (!cacheDir || !jobs || files.length === 0) throw new Error("bug: usage: cli-child CACHE_DIR|- JOBS FILE… [-- ARGS…]");

const codes: number[] = [];
let points = 0;
const t0 = performance.now();
for (const file of files) {
  const env: Record<string, string> = cacheDir === "-" ? {} : { LOOPDRV_CACHE_DIR: cacheDir };
  if (process.env.LOOPDRV_REFERENCE) env.LOOPDRV_REFERENCE = process.env.LOOPDRV_REFERENCE;
  const io = memoryIo(env);
  const args = ["run", file, "--jobs", jobs, "--json", "--quiet", ...(cacheDir === "-" ? ["--no-cache"] : []), ...extra];
  codes.push(await runCli(args, { ...io, cwd: process.cwd(), cores: availableParallelism() }));
  if (io.stderr) process.stderr.write(io.stderr);
  points += (JSON.parse(io.stdout || '{"points":[]}') as { points: unknown[] }).points.length;
}
const wallS = (performance.now() - t0) / 1000;
// ru_maxrss is in KiB on Linux.
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ wallS, codes, points, maxRssBytes })}\n`);
