/**
 * `run --watch FILE`: the watch loop (src/run/watch.ts) wired to this process's streams,
 * stop requests and exit codes.
 *
 *   on a terminal   the watch dashboard (src/tui/watch-reporter.tsx), redrawn in place
 *   otherwise       plain lines (CI logs, pipes, TERM=dumb): per rerun a line saying what
 *                   changed, then what `run` prints (bounded: plain.ts), or the diagnostics
 *   --quiet         only the diagnostics of a broken file
 *   --out DIR       the files are rewritten after each complete rerun (never after one a
 *                   newer save cancelled)
 *   --json, --shard refused (exit 2): a stream of documents on stdout is no use to a
 *                   program, and shards are for batch runs
 *
 * It ends on `q` (exit 0: the usual way out), Ctrl-C (130) or SIGTERM (143); a scenario
 * file that does not exist is refused at once (exit 2) rather than waited for.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { formatDiagnostics } from "../../src/diag/format.js";
import { loadScenario } from "../../src/dsl/load.js";
import { figureDataOfDoc, figureSpecOf } from "../../src/report/figure-data.js";
import { OutputWriteError, writeOutputs } from "../../src/report/outputs.js";
import { plainReporter } from "../../src/report/plain.js";
import { runInfo } from "../../src/report/run-info.js";
import { buildSummary, summaryLines } from "../../src/report/summary.js";
import { cacheDirFrom, DirectoryCache } from "../../src/run/cache.js";
import { modelVersion } from "../../src/run/identity.js";
import type { Reporter } from "../../src/run/reporter.js";
import { watchScenario, type WatchEvent, type WatchReporter } from "../../src/run/watch.js";
import { EXIT } from "../exit-codes.js";
import { checkOutDir } from "../out-dir.js";
import { isCi, type Io } from "../io.js";
import { VERSION } from "../version.js";
import type { RunCommandOptions } from "./run.js";

type Closing = WatchReporter & { close(why?: string): void | Promise<void> };

/** Plain lines: one block per load, as a log reads. */
function plainWatchReporter(io: Io, file: string, opts: { color: boolean; quiet: boolean; cwd: string }): Closing {
  const write = (t: string) => io.err(t);
  const display = (f: string) => {
    const rel = path.relative(opts.cwd, f);
    return rel && !rel.startsWith("..") ? rel : f;
  };
  let run: Reporter | undefined;
  let watching = "";
  const tellWatching = (watched: string[]) => {
    const text = `watching ${watched.map(display).join(", ")} for changes (Ctrl-C to stop)`;
    if (text !== watching && !opts.quiet) write(text + "\n");
    watching = text;
  };
  return {
    onWatch(e: WatchEvent) {
      switch (e.type) {
        case "load":
          if (e.changed.length && !opts.quiet) write(`\n${e.changed.map(display).join(", ")} changed: running ${file} again\n`);
          return;
        case "invalid":
          write(formatDiagnostics(e.diagnostics, { sources: e.sources, color: opts.color }) + "\n");
          write(`not run: ${file} has problems; fix them and save\n`);
          watching = "";
          tellWatching(e.watched);
          return;
        case "run-start": {
          if (e.diagnostics.length) write(formatDiagnostics(e.diagnostics, { sources: e.sources, color: opts.color }) + "\n");
          const figure = figureSpecOf(e.scenario.value.figure);
          run = opts.quiet ? undefined : plainReporter(runInfo(e.plan, figure ? { figure } : {}), write, { color: opts.color });
          tellWatching(e.watched);
          return;
        }
        case "run-end":
          if (e.cancelled === "change") write("run cancelled: a newer save arrived\n");
          else if (e.doc && run) {
            // run's summary, less its hint about --json (refused with --watch).
            const summary = buildSummary(e.doc, figureDataOfDoc(e.doc), { written: e.written ?? [], wallSeconds: e.wallMs / 1000, json: false, ...(e.figureSkipped ? { figureSkipped: e.figureSkipped } : {}) });
            write("\n" + summaryLines(summary).filter((l) => !l.startsWith("(no files written")).join("\n") + "\n");
            if (e.savedAt !== undefined) write(`${((e.endedAt - e.savedAt) / 1000).toFixed(2)} s from save to results; ${e.outcome.simulated} simulated, ${e.outcome.cached} from the cache\n`);
          }
          if (e.outputError) write(`error: ${e.outputError}\n`);
          run = undefined;
          return;
      }
    },
    onProgress(e) {
      run?.onEvent(e);
    },
    close(why) {
      if (!opts.quiet) write(`stopped watching${why ? ` (${why})` : ""}\n`);
    },
  };
}

export async function watchCommand(io: Io, file: string, opts: RunCommandOptions): Promise<number> {
  const refuse = (text: string, hint: string) => {
    io.err(`error: ${text} [usage]\n  = hint: ${hint}\n`);
    return EXIT.badInput;
  };
  if (opts.json) return refuse("--watch cannot be used with --json: a watch makes a new document at every save", "--out DIR rewrites results.json (and the CSV and the figure) after each rerun");
  if (opts.shard) return refuse("--watch cannot be used with --shard: shards are for batch runs on several machines", "watch the whole scenario; shard it when the campaign is settled");

  // A mistyped name is refused (with the loader's suggestion), not waited for.
  try {
    await fs.access(path.resolve(opts.cwd, file));
  } catch {
    const first = await loadScenario(file, { set: opts.set });
    io.err(formatDiagnostics(first.diagnostics.filter((d) => d.code === "file-not-found"), { sources: first.sources, color: opts.color }) + "\n");
    return EXIT.badInput;
  }

  const outDir = await checkOutDir(io, opts.out);
  if (outDir === null) return EXIT.badInput;

  const dashboard = !opts.quiet && io.terminal && !isCi(io.env) && io.env.TERM !== "dumb";
  // The dashboard (Ink, React) is loaded only when it is drawn, as run.ts does.
  const reporter: Closing = dashboard
    ? (await import("../../src/tui/watch-reporter.js")).watchDashboard({
        file,
        cwd: opts.cwd,
        output: io.terminal!.output,
        ...(io.terminal!.input ? { input: io.terminal!.input } : {}),
        color: opts.color,
        onStop: (why) => io.requestStop?.(why),
        stopRequested: () => io.stopRequested?.(),
      })
    : plainWatchReporter(io, file, { color: opts.color, quiet: opts.quiet, cwd: opts.cwd });

  const cacheDir = opts.cache ? cacheDirFrom(io.env) : undefined;
  try {
    await watchScenario({
      file,
      set: opts.set,
      quick: opts.quick,
      force: opts.force,
      jobs: opts.jobs ?? 1,
      ...(cacheDir ? { cache: new DirectoryCache(path.resolve(opts.cwd, cacheDir), modelVersion()) } : {}),
      version: VERSION,
      cwd: opts.cwd,
      reporter,
      shouldQuit: () => io.stopRequested?.() !== undefined,
      ...(outDir
        ? {
            onResults: async (doc, text) => {
              try {
                const w = await writeOutputs(outDir, doc, text);
                const written = w.files.map((f) => path.relative(opts.cwd, f) || f);
                return {
                  written,
                  ...(w.figureSkipped ? { figureSkipped: w.figureSkipped } : {}),
                  ...(w.figureError ? { error: `the figure could not be drawn (this is a bug in loopdrv): ${w.figureError}` } : {}),
                };
              } catch (e) {
                // The directory went away or the disk is full: say so on screen and keep watching.
                if (!(e instanceof OutputWriteError)) throw e;
                return { written: [], error: e.message };
              }
            },
          }
        : {}),
    });
  } finally {
    await reporter.close(io.stopRequested?.());
  }
  const why = io.stopRequested?.();
  if (why === "SIGINT") return EXIT.sigint;
  if (why === "SIGTERM") return EXIT.sigterm;
  return EXIT.ok;
}
