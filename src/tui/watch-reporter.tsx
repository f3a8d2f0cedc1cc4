// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/**
 * The watch dashboard as a WatchReporter (src/run/watch.ts): the loop's events and the
 * runner's progress go into a WatchState, and the screen is redrawn from it — at once when
 * the session changes phase (a save seen, a run ended, the file broke), at most every
 * FRAME_MS while a run reports progress.
 *
 * Between runs the state keeps the last complete run: while the file is broken its chart
 * and table stay (under the diagnostics), and when a rerun starts its curves become the
 * faint overlay the new points are drawn over.
 *
 * Streams come from the caller (only cli/ touches the process), as for dashboardReporter.
 */
import path from "node:path";
import { render, type Instance } from "ink";
import { formatDiagnostics } from "../diag/format.js";
import { figureData, figureSpecOf, type FigureData } from "../report/figure-data.js";
import { paramLabels } from "../report/labels.js";
import { ProgressTracker } from "../report/progress.js";
import { runInfo } from "../report/run-info.js";
import { expectCountLine } from "../report/summary.js";
import type { PointResult, ProgressEvent } from "../run/runner.js";
import type { WatchEvent, WatchReporter } from "../run/watch.js";
import type { DashboardKey } from "./App.js";
import { FRAME_MS, type DashboardOptions } from "./reporter.js";
import { themeFor } from "./theme.js";
import { WatchApp } from "./WatchApp.js";
import { watchView, type WatchState } from "./watch-view.js";

export interface WatchDashboardOptions extends DashboardOptions {
  /** The scenario as given on the command line. */
  file: string;
  /** Directory display names are relative to. */
  cwd: string;
}

export interface WatchDashboard extends WatchReporter {
  /** The watch is over: draw the last frame (it stays on the terminal) and let the terminal go. */
  close(why?: string): Promise<void>;
}

export function watchDashboard(opts: WatchDashboardOptions): WatchDashboard {
  const now = opts.now ?? (() => Date.now());
  const theme = themeFor(opts.color);
  const keysEnabled = !!opts.input?.isTTY && typeof opts.input.setRawMode === "function";
  const display = (f: string) => {
    const rel = path.relative(opts.cwd, f);
    return rel && !rel.startsWith("..") ? rel : f;
  };
  const state: WatchState = { file: opts.file, watched: [opts.file], phase: "loading", attempt: 0, changed: [], points: [], keys: keysEnabled ? "q" : "ctrl-c" };
  let tracker: ProgressTracker | undefined;
  let labels: Record<string, string> = {};
  let figStale = false;
  let timer: NodeJS.Timeout | undefined;
  let lastFrame = 0;
  let closed = false;
  /** The last complete run, as the screen showed it: what a broken file or a cancelled run falls back to. */
  let complete: Pick<WatchState, "info" | "points" | "fig"> & { labels: Record<string, string> } | undefined;
  const restoreComplete = () => {
    if (!complete) return;
    state.info = complete.info;
    state.points = complete.points;
    state.fig = complete.fig;
    labels = complete.labels;
    figStale = false;
  };

  const computeFigure = (final = false): FigureData | undefined => {
    const info = state.info;
    if (!info) return undefined;
    // While a rerun fills in, its panels are the last run's (the metrics on the y axes
    // would otherwise come and go with the points finished so far).
    const y = !final && !info.figure?.y && state.before ? state.before.fig.axes.y : undefined;
    const figure = y ? { ...info.figure, y } : info.figure;
    return figureData({
      points: info.points.map((p, i) => state.points[i]?.result ?? { id: p.id, params: p.params }),
      paramPaths: info.paramPaths,
      normalised: info.normalised,
      ...(figure ? { figure } : {}),
      ...(info.reference ? { reference: info.reference } : {}),
    });
  };
  /** The results of the last complete run by the points' parameters (a point's id is only its place in the sweep). */
  const previousByParams = () => {
    const out = new Map<string, PointResult>();
    complete?.info?.points.forEach((p, i) => {
      const r = complete!.points[i]?.result;
      if (r) out.set(JSON.stringify(p.params), r);
    });
    return out;
  };
  const size = () => ({ columns: Math.max(40, opts.output.columns || 80), rows: Math.max(10, opts.output.rows || 24) });

  const onKey = (k: DashboardKey) => {
    if (closed) return;
    opts.onStop(k === "q" ? "q" : "SIGINT");
    state.ending = "stopping…";
    draw();
  };

  const tree = () => {
    if (figStale) {
      state.fig = computeFigure();
      figStale = false;
    }
    if (state.phase === "running" && tracker) state.snap = tracker.snapshot(now());
    const sz = size();
    const view = watchView(state, sz, theme, labels);
    return <WatchApp view={view} width={sz.columns} theme={theme} keysEnabled={keysEnabled && !closed} onKey={onKey} />;
  };

  const instance: Instance = render(tree(), {
    stdout: opts.output,
    stderr: opts.output,
    ...(opts.input ? { stdin: opts.input } : {}),
    exitOnCtrlC: false,
    patchConsole: false,
    // Our own throttle keeps progress frames to FRAME_MS; a save's result goes out at once.
    maxFps: 60,
  });

  function draw(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (closed) return;
    lastFrame = now();
    instance.rerender(tree());
  }
  function schedule(): void {
    if (timer || closed) return;
    timer = setTimeout(draw, Math.max(0, FRAME_MS - (now() - lastFrame)));
  }
  const onResize = () => draw();
  opts.output.prependListener("resize", onResize);

  const onWatch = (e: WatchEvent) => {
    switch (e.type) {
      case "load":
        state.attempt = e.attempt;
        state.changed = e.changed.map(display);
        state.removed = (e.removed ?? []).map(display);
        state.phase = "loading";
        break;
      case "invalid": {
        state.phase = "invalid";
        restoreComplete();
        state.watched = orderWatched(e.watched.map(display));
        const errors = e.diagnostics.filter((d) => d.severity === "error").length;
        state.diagnostics = {
          lines: formatDiagnostics(e.diagnostics, { sources: e.sources, color: opts.color }).split("\n"),
          errors,
          warnings: e.diagnostics.length - errors,
        };
        break;
      }
      case "run-start": {
        const figure = figureSpecOf(e.scenario.value.figure);
        state.info = runInfo(e.plan, figure ? { figure } : {});
        labels = paramLabels(state.info.paramPaths);
        tracker = new ProgressTracker(state.info.work);
        state.watched = orderWatched(e.watched.map(display));
        // The last complete run's curves become the overlay of this one.
        if (state.last && complete?.fig) state.before = { fig: complete.fig, n: state.last.n };
        delete state.cancelled;
        const previous = previousByParams();
        state.points = state.info.points.map((p) => {
          const r = previous.get(JSON.stringify(p.params));
          return r ? { previous: r } : {};
        });
        state.fig = computeFigure();
        state.phase = "running";
        const warnings = e.diagnostics.filter((d) => d.severity !== "error");
        if (warnings.length) state.diagnostics = { lines: formatDiagnostics(warnings, { sources: e.sources, color: opts.color }).split("\n"), errors: 0, warnings: warnings.length };
        else delete state.diagnostics;
        break;
      }
      case "run-end": {
        if (e.cancelled) {
          // Stopped for good: the screen goes back to the last complete run.
          if (e.cancelled === "quit") restoreComplete();
          state.phase = "cancelled";
          state.cancelled = e.cancelled;
          break;
        }
        const doc = e.doc!;
        const count = (s: string) => doc.points.filter((p) => p.status === s).length;
        const failedChecks = doc.expect.filter((x) => !x.passed).length;
        state.last = {
          n: (state.last?.n ?? 0) + 1,
          simulated: e.outcome.simulated,
          cached: e.outcome.cached,
          wallMs: e.wallMs,
          ...(e.savedAt !== undefined ? { latencyMs: Math.max(0, e.endedAt - e.savedAt) } : {}),
          ok: count("ok"),
          total: doc.points.length,
          failed: count("failed") + count("crashed"),
          expectLine: doc.expect.length ? expectCountLine(doc.expect) : "",
          expectFailed: failedChecks,
          written: (e.written ?? []).map(display),
          ...(e.figureSkipped ? { figureSkipped: e.figureSkipped } : {}),
          ...(e.outputError ? { outputError: e.outputError } : {}),
        };
        state.fig = computeFigure(true);
        figStale = false;
        complete = { info: state.info, points: state.points, fig: state.fig, labels };
        state.phase = "done";
        break;
      }
    }
    draw();
  };

  /** The scenario first, then what it extends in the order read. */
  function orderWatched(files: string[]): string[] {
    const main = display(path.resolve(opts.cwd, opts.file));
    const rest = files.filter((f) => f !== main);
    return [opts.file, ...rest];
  }

  return {
    onWatch,
    onProgress(e: ProgressEvent) {
      tracker?.onEvent(e, now());
      if (e.type === "point-start" && !e.cached) state.points[e.index] = { ...state.points[e.index], fraction: 0 };
      else if (e.type === "slice") {
        const p = state.points[e.index];
        if (p) p.fraction = e.fraction;
      } else if (e.type === "point-done") {
        state.points[e.index] = { result: e.result, cached: !!e.cached, wallMs: e.wallMs };
        figStale = true;
      }
      schedule();
    },
    async close(why?: string) {
      if (closed) return;
      if (timer) clearTimeout(timer);
      timer = undefined;
      state.ending = `stopped watching${why ? ` (${why})` : ""}`;
      if (state.phase === "running" || state.phase === "loading") {
        state.phase = "cancelled";
        state.cancelled = "quit";
      }
      instance.rerender(tree());
      closed = true;
      opts.output.off("resize", onResize);
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
