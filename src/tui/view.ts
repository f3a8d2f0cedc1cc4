/**
 * View models of the dashboard: everything the components print, computed from the run's
 * info, the progress snapshot, the figure data and the terminal size. Pure, so the frames a
 * run produces are decided here and tested without React; the components only lay text out.
 */
import { formatParam } from "../dsl/format-value.js";
import type { FigureData } from "../report/figure-data.js";
import { formatCount, formatDuration, liveRates, type LiveRates, type ProgressSnapshot } from "../report/progress.js";
import type { RunInfo } from "../report/run-info.js";
import type { SummaryData } from "../report/summary.js";
import { chartPanel, legendOf, type ChartPanelModel, type Ghost, type LegendItem } from "./chart-model.js";
import { liveLayout } from "./layout.js";
import type { Column, RowCells } from "./table.js";
import { seriesTone, type Theme } from "./theme.js";

export type StaticItem =
  | { kind: "header"; key: string }
  | { kind: "table-head"; key: string; columns: Column[] }
  | { kind: "row"; key: string; columns: Column[]; row: RowCells }
  | { kind: "chart"; key: string; chart: ChartView }
  | { kind: "summary"; key: string; summary: SummaryData };

export interface ChartView {
  panels: ChartPanelModel[];
  sideBySide: boolean;
  legend: LegendItem[];
}

export interface ProgressView {
  fraction: number;
  done: number;
  total: number;
  failed: number;
  cached: number;
  elapsed: string;
  /** "ETA 12 s", or a note while there is nothing to estimate from. */
  eta: string;
  speed?: string;
}

export interface RunningView {
  id: string;
  params: string;
  fraction: number;
  sim: string;
}

export type KeysHint = "q" | "ctrl-c";

export interface LiveView {
  progress: ProgressView;
  running: RunningView[];
  counters?: { id: string; rates: LiveRates };
  chart?: ChartView;
  keys: KeysHint;
  /** Set once a stop was asked for: the live area says what happens next. */
  stopping?: string;
}

export function progressView(s: ProgressSnapshot): ProgressView {
  const eta =
    s.done === s.total ? "done" : s.etaS !== undefined ? `ETA ${formatDuration(s.etaS)}` : s.running.length ? "ETA after the first slices" : "starting";
  return {
    fraction: s.fraction,
    done: s.done,
    total: s.total,
    failed: s.failed,
    cached: s.cached,
    elapsed: formatDuration(s.elapsedS),
    eta,
    ...(s.eventsPerS !== undefined
      ? { speed: `${formatCount(s.eventsPerS)} events/s · ${s.simSecondsPerS!.toPrecision(3)} simulated s per wall s` }
      : {}),
  };
}

export function runningView(info: RunInfo, s: ProgressSnapshot, labels: Readonly<Record<string, string>>): RunningView[] {
  return s.running.map((r) => ({
    id: r.id,
    params: info.paramPaths
      .filter((k) => k in r.params)
      .map((k) => `${labels[k] ?? k}=${formatParam(info.normalised, k, r.params[k])}`)
      .join(" "),
    fraction: r.fraction,
    sim: `sim ${r.simSeconds < 1 ? r.simSeconds.toFixed(3) : r.simSeconds.toPrecision(4)} s`,
  }));
}

export function chartView(
  fig: FigureData,
  normalised: unknown,
  theme: Theme,
  size: { panels: number; sideBySide: boolean; rows: number; cols: number },
  /** Watch mode: the previous run's curves, drawn faint under the new ones. */
  ghost?: Ghost,
): ChartView | undefined {
  if (!fig.axes.x) return undefined;
  const toneOf = (i: number) => seriesTone(theme, i);
  const panels = fig.axes.y.slice(0, size.panels).map((m) => chartPanel(fig, m, normalised, { cols: size.cols, rows: size.rows }, toneOf, theme.reference, ghost));
  return { panels, sideBySide: size.sideBySide, legend: legendOf(fig, toneOf, theme.reference, ghost) };
}

export function liveView(a: {
  info: RunInfo;
  snap: ProgressSnapshot;
  fig: FigureData;
  labels: Readonly<Record<string, string>>;
  columns: number;
  rows: number;
  theme: Theme;
  keys: KeysHint;
  stopping?: string;
}): LiveView {
  const layout = liveLayout({ columns: a.columns, rows: a.rows, running: a.snap.running.length, metrics: a.fig.axes.x ? a.fig.axes.y.length : 0 });
  const running = runningView(a.info, a.snap, a.labels).slice(0, layout.running);
  const first = a.snap.running.find((r) => r.live);
  const chart = layout.chart ? chartView(a.fig, a.info.normalised, a.theme, layout.chart) : undefined;
  return {
    progress: progressView(a.snap),
    running,
    ...(layout.counters && first?.live ? { counters: { id: first.id, rates: liveRates(first.live, first.prevLive) } } : {}),
    ...(chart ? { chart } : {}),
    keys: a.keys,
    ...(a.stopping ? { stopping: a.stopping } : {}),
  };
}
