/**
 * `run`: load → plan → check --out → run every point (progress to a reporter) → results
 * document → outputs (stdout with --json, files in --out DIR) → summary → exit code.
 */
import path from "node:path";
import { hasErrors } from "../../src/diag/diagnostic.js";
import { formatDiagnostics } from "../../src/diag/format.js";
import { loadScenario, type MergedScenario } from "../../src/dsl/load.js";
import { planScenario, type Plan } from "../../src/dsl/plan.js";
import { figureSpecOf } from "../../src/report/figure-data.js";
import { OutputWriteError, writeOutputs } from "../../src/report/outputs.js";
import { plainReporter } from "../../src/report/plain.js";
import { failureLines } from "../../src/report/summary.js";
import { runInfo } from "../../src/report/run-info.js";
import { evaluateExpectations } from "../../src/run/expect.js";
import { silentReporter, type Reporter } from "../../src/run/reporter.js";
import { buildResults, resultsJson } from "../../src/run/results.js";
import { cacheDirFrom, DirectoryCache } from "../../src/run/cache.js";
import { modelVersion } from "../../src/run/identity.js";
import { missingModels, runPlan } from "../../src/run/runner.js";
import type { Shard } from "../../src/run/shard.js";
import { EXIT } from "../exit-codes.js";
import { checkOutDir } from "../out-dir.js";
import { isCi, type Io } from "../io.js";
import { VERSION } from "../version.js";

export interface RunCommandOptions {
  set: string[];
  force: boolean;
  quick: boolean;
  json: boolean;
  out?: string;
  quiet: boolean;
  color: boolean;
  cwd: string;
  /** Points simulated at once (1: in this thread). */
  jobs?: number;
  /** Use the result cache (where the environment says; see cacheDirFrom). */
  cache?: boolean;
  /** Run one shard's points only; the document carries `shard`. */
  shard?: Shard;
  /** Stay open and rerun the changed points on every save (watch.ts). */
  watch?: boolean;
}

/**
 * The reporter for this run: nothing with --quiet; the live dashboard when stderr is a
 * terminal (and neither CI nor TERM=dumb is set); else plain lines on stderr. The dashboard
 * (Ink, React, Yoga) is loaded only then: it is most of the start-up of a run and about
 * 60 MB of resident memory.
 */
async function chooseReporter(io: Io, plan: Plan, scenario: MergedScenario, opts: RunCommandOptions): Promise<Reporter> {
  if (opts.quiet) return silentReporter;
  const figure = figureSpecOf(scenario.value.figure);
  const info = runInfo(plan, { ...(figure ? { figure } : {}), ...(opts.shard ? { shard: opts.shard } : {}) });
  if (io.terminal && !isCi(io.env) && io.env.TERM !== "dumb") {
    const { dashboardReporter } = await import("../../src/tui/reporter.js");
    return dashboardReporter(info, {
      output: io.terminal.output,
      ...(io.terminal.input ? { input: io.terminal.input } : {}),
      color: opts.color,
      onStop: (why) => io.requestStop?.(why),
      stopRequested: () => io.stopRequested?.(),
    });
  }
  return plainReporter(info, (t) => io.err(t), { color: opts.color });
}

export async function runCommand(io: Io, file: string, opts: RunCommandOptions): Promise<number> {
  // Loaded only for --watch (it brings the watch dashboard with it; see chooseReporter).
  if (opts.watch) return (await import("./watch.js")).watchCommand(io, file, opts);
  const loaded = await loadScenario(file, { set: opts.set });
  const planned = loaded.scenario ? planScenario(loaded.scenario, { quick: opts.quick, force: opts.force }) : undefined;
  const diags = [...loaded.diagnostics, ...(planned?.diagnostics ?? [])];
  if (diags.length) io.err(formatDiagnostics(diags, { sources: loaded.sources, color: opts.color }) + "\n");
  if (!loaded.scenario || !planned?.plan || hasErrors(diags)) return EXIT.badInput;
  const plan = planned.plan;

  const missing = missingModels(plan);
  if (missing.length) {
    io.err(
      `error: ${file} cannot run yet: loopdrv does not emulate ${missing.join(" or ")} in this version [not-emulated]\n` +
        `  = hint: \`loopdrv validate\` and \`loopdrv plan\` work on it; scenarios/core-smoke.yaml runs today\n`,
    );
    return EXIT.badInput;
  }

  // A bad output directory is refused before any work is done.
  const outDir = await checkOutDir(io, opts.out);
  if (outDir === null) return EXIT.badInput;

  const reporter = await chooseReporter(io, plan, loaded.scenario, opts);
  const t0 = Date.now();
  // LOOPDRV_REFERENCE=1: every point in the per-event reference mode (no exact coalescing),
  // to check that it gives the same results; the cache is then neither read nor written.
  const reference = io.env.LOOPDRV_REFERENCE === "1";
  const cacheDir = opts.cache && !reference ? cacheDirFrom(io.env) : undefined;
  const cache = cacheDir ? new DirectoryCache(path.resolve(opts.cwd, cacheDir), modelVersion()) : undefined;
  const outcome = await runPlan(plan, {
    onProgress: (e) => reporter.onEvent(e),
    shouldStop: () => io.stopRequested?.() !== undefined,
    now: () => Date.now(),
    jobs: opts.jobs ?? 1,
    ...(reference ? { reference } : {}),
    ...(cache ? { cache } : {}),
    ...(opts.shard ? { shard: opts.shard } : {}),
  }).catch((e: unknown) => {
    reporter.abort?.();
    throw e;
  });
  const cacheWarning = cache && cache.stats.writeErrors > 0 ? cacheWriteWarning(cacheDir!, cache.stats.writeErrors, cache.stats.lastWriteError) : undefined;
  // A shard's document holds its own points only; `expect` is judged on all of them, by `merge`.
  const built = buildResults({ merged: loaded.scenario, plan, points: outcome.points, partial: outcome.partial, version: VERSION, cwd: opts.cwd, ...(opts.shard ? { shard: opts.shard } : {}) });
  const doc = opts.shard ? built : { ...built, expect: evaluateExpectations(built) };
  const text = resultsJson(doc);
  if (opts.json) io.out(text);
  const written: string[] = [];
  let figureError: string | undefined;
  let figureSkipped: string | undefined;
  let writeError: OutputWriteError | undefined;
  if (outDir) {
    try {
      const w = await writeOutputs(outDir, doc, text);
      written.push(...w.files.map((f) => path.relative(opts.cwd, f) || f));
      figureError = w.figureError;
      figureSkipped = w.figureSkipped;
    } catch (e) {
      // The disk filled up or the directory went away during the run: say so (no file was replaced).
      if (!(e instanceof OutputWriteError)) throw e;
      writeError = e;
    }
  }
  const stoppedBy = io.stopRequested?.();
  await reporter.finish({ plan, doc, written, wallSeconds: (Date.now() - t0) / 1000, json: opts.json, out: !!outDir, cached: outcome.cacheStats?.hits ?? 0, ...(stoppedBy ? { stoppedBy } : {}), ...(figureSkipped ? { figureSkipped } : {}) });
  // Even with --quiet: a cache that takes nothing means a stopped or requeued run starts over.
  if (cacheWarning) io.err(cacheWarning);
  // --quiet prints no summary, but what makes the exit code non-zero still has to be read somewhere
  // (a cluster job's log): the failed points and the checks, as `merge --quiet` lists them.
  if (opts.quiet) {
    const lines = failureLines(doc);
    if (lines.length) io.err(lines.join("\n") + "\n");
  }
  if (figureError) io.err(`error: the figure could not be drawn (this is a bug in loopdrv): ${figureError} [internal]\n`);
  if (writeError) {
    const hint = cache && cache.stats.writeErrors === 0
      ? "the finished points are in the result cache: fix the directory (or give another --out) and run the same command again; they will not be simulated again"
      : "nothing was written; fix the directory (or give another --out) and run again";
    io.err(`error: ${writeError.message} [out-dir]\n  = hint: ${hint}\n`);
    return EXIT.badInput;
  }

  // `q` on the dashboard stops the run as Ctrl-C does, with the same exit code.
  if (stoppedBy === "SIGINT" || stoppedBy === "q") return EXIT.sigint;
  if (stoppedBy === "SIGTERM") return EXIT.sigterm;
  if (figureError || doc.points.some((p) => p.status === "failed")) return EXIT.internal;
  if (doc.expect.some((x) => !x.passed)) return EXIT.expectFailed;
  return EXIT.ok;
}

/** The result cache took no (or not every) finished point: say where, why and what it means. */
function cacheWriteWarning(dir: string, failed: number, why: string | undefined): string {
  return (
    `warning: the result cache ${JSON.stringify(dir)} could not be written (${failed} point${failed === 1 ? "" : "s"}${why ? `: ${why}` : ""}): ` +
    "these points are not kept, so a stopped or repeated run simulates them again\n" +
    "  = hint: make LOOPDRV_CACHE_DIR (or $XDG_CACHE_HOME, $HOME) a directory you can write to, or run with --no-cache\n"
  );
}

