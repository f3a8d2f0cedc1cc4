// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/**
 * The dashboard as a Reporter: progress events go into the tracker (plain arithmetic), and
 * the screen is redrawn from it at most every FRAME_MS, never per event. Finished points go
 * to <Static> once; on resize the live area is laid out again for the new size.
 *
 * Streams come from the caller (only cli/ touches the process): `output` is the terminal
 * to draw on, `input` the one to read keys from (keys are off when it cannot be put in raw
 * mode, and Ctrl-C then stays a signal).
 */
import { render, type Instance } from "ink";
import { figureData, figureDataOfDoc, type FigureData } from "../report/figure-data.js";
import { paramLabels } from "../report/labels.js";
import { ProgressTracker } from "../report/progress.js";
import type { RunInfo } from "../report/run-info.js";
import { buildSummary } from "../report/summary.js";
import type { Reporter, RunSummary } from "../run/reporter.js";
import type { PointResult, ProgressEvent } from "../run/runner.js";
import { App, type DashboardKey } from "./App.js";
import { rowCells, tableColumns, type Column } from "./table.js";
import { themeFor } from "./theme.js";
import { chartView, liveView, type StaticItem } from "./view.js";

/** Least time between two frames of the live area, ms (about 8 frames a second). */
export const FRAME_MS = 120;
/** Canvas rows of the final chart printed with the summary (not bound by the terminal's height). */
const FINAL_CHART_ROWS = 10;

export interface DashboardOptions {
  output: NodeJS.WriteStream;
  input?: NodeJS.ReadStream;
  color: boolean;
  /** The user asked to stop (`q`, or Ctrl-C read as a key). */
  onStop(reason: "q" | "SIGINT"): void;
  /** Why the run is stopping, if it is (a signal, or the key above). */
  stopRequested(): string | undefined;
  now?: () => number;
}

export function dashboardReporter(info: RunInfo, opts: DashboardOptions): Reporter {
  const now = opts.now ?? (() => Date.now());
  const theme = themeFor(opts.color);
  const tracker = new ProgressTracker(info.work);
  const labels = paramLabels(info.paramPaths);
  const points: PointResult[] = info.points.map((p) => ({ id: p.id, params: { ...p.params }, status: "not-run", metrics: {} }));
  const done = new Set<number>();
  const items: StaticItem[] = [{ kind: "header", key: "header" }];
  let columns: Column[] | undefined;
  let fig: FigureData = computeFigure();
  // Recomputed when drawn, not per finished point: O(points) each time, at most once a frame.
  let figStale = false;
  let timer: NodeJS.Timeout | undefined;
  let lastFrame = 0;
  let finished = false;
  const keysEnabled = !!opts.input?.isTTY && typeof opts.input.setRawMode === "function";

  function computeFigure(): FigureData {
    return figureData({
      points: points.map((p, i) => (done.has(i) ? p : { id: p.id, params: p.params })),
      paramPaths: info.paramPaths,
      normalised: info.normalised,
      ...(info.figure ? { figure: info.figure } : {}),
      ...(info.reference ? { reference: info.reference } : {}),
    });
  }
  const size = () => ({ width: Math.max(40, opts.output.columns || 80), rows: Math.max(10, opts.output.rows || 24) });

  const onKey = (k: DashboardKey) => {
    if (finished) return;
    opts.onStop(k === "q" ? "q" : "SIGINT");
    draw();
  };

  const tree = (live: boolean) => {
    const { width, rows } = size();
    const stopping = opts.stopRequested();
    if (live && figStale) {
      fig = computeFigure();
      figStale = false;
    }
    const view = live
      ? liveView({
          info,
          snap: tracker.snapshot(now()),
          fig,
          labels,
          columns: width,
          rows,
          theme,
          keys: keysEnabled ? "q" : "ctrl-c",
          ...(stopping ? { stopping: `stopping (${stopping}): finishing the current slice, then writing the finished points…` } : {}),
        })
      : undefined;
    return <App info={info} items={items} {...(view ? { live: view } : {})} width={width} theme={theme} keysEnabled={keysEnabled && live} onKey={onKey} />;
  };

  const instance: Instance = render(tree(true), {
    stdout: opts.output,
    stderr: opts.output,
    ...(opts.input ? { stdin: opts.input } : {}),
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: Math.round(1000 / FRAME_MS),
  });

  function draw(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (finished) return;
    lastFrame = now();
    instance.rerender(tree(true));
  }
  function schedule(): void {
    if (timer || finished) return;
    timer = setTimeout(draw, Math.max(0, FRAME_MS - (now() - lastFrame)));
  }
  // Before Ink's own listener, so Ink's redraw on resize already has the new layout.
  const onResize = () => draw();
  opts.output.prependListener("resize", onResize);

  const stopDrawing = () => {
    finished = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
    opts.output.off("resize", onResize);
  };

  return {
    onEvent(e: ProgressEvent) {
      tracker.onEvent(e, now());
      if (e.type === "point-done") {
        points[e.index] = e.result;
        done.add(e.index);
        figStale = true;
        // The table's columns are fixed by its first row (finished rows are never redrawn).
        if (!columns) {
          fig = computeFigure();
          figStale = false;
          columns = tableColumns(info, fig.axes.y, size().width - 1, labels);
          items.push({ kind: "table-head", key: "table-head", columns });
        }
        items.push({ kind: "row", key: `row-${e.index}`, columns, row: rowCells(info, e.result, e.wallMs, !!e.cached, columns) });
      }
      schedule();
    },
    async finish(s: RunSummary) {
      stopDrawing();
      const docFig = figureDataOfDoc(s.doc);
      const { width } = size();
      const sideBySide = docFig.axes.y.length === 2 && width - 2 >= 2 * 36;
      const chart = chartView(docFig, s.doc.scenario.normalised, theme, {
        panels: docFig.axes.y.length,
        sideBySide,
        rows: FINAL_CHART_ROWS,
        cols: sideBySide ? Math.floor((width - 2) / 2) : width - 1,
      });
      if (chart && docFig.curves.some((c) => c.points.length)) items.push({ kind: "chart", key: "final-chart", chart });
      const summary = buildSummary(s.doc, docFig, s); // a RunSummary is RunFacts and more
      items.push({ kind: "summary", key: "summary", summary });
      instance.rerender(tree(false));
      instance.unmount();
      await instance.waitUntilExit();
    },
    abort() {
      stopDrawing();
      instance.unmount();
    },
  };
}
