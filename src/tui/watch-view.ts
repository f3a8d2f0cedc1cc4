/**
 * The watch dashboard (`run --watch`) as data: what the session knows (WatchState, kept by
 * watch-reporter.tsx) → what the screen shows (WatchView), for a terminal size. Pure, so
 * every frame is decided here and tested without React or a clock.
 *
 * The whole dashboard is one live area, redrawn in place (nothing goes to Ink's <Static>:
 * a session may rerun a hundred times and must not scroll the terminal). So it is planned
 * to stay at least two lines shorter than the terminal (see layout.ts), giving up, in
 * order: chart height, the points table, the second chart panel, the chart. The
 * diagnostics of a broken file come before the chart.
 *
 *   loopdrv · gige-user — UDP echo, e1000 driver at user level, …      title
 *   watching scenarios/gige-user.yaml (extends gige-kernel.yaml) · … what is watched
 *   run 3 · gige-user.yaml saved · up to date in 0.54 s · 1 simu…   the status line
 *   10 ok of 10 points · expect: 2 passed                           outcome, or progress
 *   [diagnostics]  [chart, with the previous run faint]  [table]
 *   q quit · Ctrl-C quit                                            keys
 */
import { formatParam } from "../dsl/format-value.js";
import type { FigureData } from "../report/figure-data.js";
import type { ProgressSnapshot } from "../report/progress.js";
import { formatDuration } from "../report/progress.js";
import type { RunInfo } from "../report/run-info.js";
import type { PointResult } from "../run/runner.js";
import { ghostCurves, type Ghost } from "./chart-model.js";
import { rowCells, tableColumns, type Column } from "./table.js";
import type { Theme } from "./theme.js";
import { chartView, progressView, type ChartView, type ProgressView } from "./view.js";

export type WatchPhase = "loading" | "running" | "done" | "invalid" | "cancelled";

/** One point of the current run, as far as it got. */
export interface WatchPoint {
  result?: PointResult;
  cached?: boolean;
  wallMs?: number;
  /** Set while it is being simulated. */
  fraction?: number;
  /** Until it finishes: the same point's result in the last complete run, shown faint. */
  previous?: PointResult;
}

export interface LastRun {
  /** Run number (complete runs, from 1). */
  n: number;
  simulated: number;
  cached: number;
  wallMs: number;
  /** From the save to the last point on the chart, ms (absent for the first run). */
  latencyMs?: number;
  ok: number;
  total: number;
  failed: number;
  /** Why no figure was written with the files, if none was. */
  figureSkipped?: string;
  /** `expect: 3 passed, 1 failed` as `run` counts them, or "" without checks. */
  expectLine: string;
  expectFailed: number;
  written: string[];
  /** What went wrong writing --out's files (a sentence). */
  outputError?: string;
}

export interface WatchState {
  /** The scenario as given on the command line. */
  file: string;
  /** Every file watched, display names, the scenario first. */
  watched: string[];
  phase: WatchPhase;
  /** Loads so far (valid or not). */
  attempt: number;
  /** Files whose save led to this attempt (display names); empty for the first. */
  changed: string[];
  /** Of those, the ones that are gone (deleted or moved away): "removed", not "saved". */
  removed?: string[];
  /** The plan of the current run, or of the last good one while the file is broken. */
  info?: RunInfo;
  snap?: ProgressSnapshot;
  /** Curves of the current run's finished points (or of the last complete run). */
  fig?: FigureData;
  /** Curves of the complete run before it: the faint overlay. */
  before?: { fig: FigureData; n: number };
  /** Points of `info`, by plan index. */
  points: WatchPoint[];
  /** Problems of the last load, formatted (errors stop the run; warnings are shown above the chart). */
  diagnostics?: { lines: string[]; errors: number; warnings: number };
  last?: LastRun;
  /** Why the run of phase "cancelled" stopped: a newer save, or the end of the watch. */
  cancelled?: "change" | "quit";
  keys: "q" | "ctrl-c";
  /** Set once the watch is ending: the keys line says so. */
  ending?: string;
}

export interface WatchRow {
  cells: string[];
  problem?: string;
  /** "fresh": simulated in this run after an edit; "running"; "queued"; "cached"; "plain". */
  tone: "fresh" | "running" | "queued" | "cached" | "plain";
}

export type Tone = "ok" | "warn" | "error" | "muted" | "accent" | "plain";

export interface WatchView {
  title: string;
  description?: string;
  watching: string;
  status: { text: string; tone: Tone };
  /** While running: the progress bar line; else the outcome line. */
  progress?: ProgressView;
  outcome?: { text: string; tone: Tone };
  diagnostics?: string[];
  chart?: ChartView;
  table?: { columns: Column[]; rows: WatchRow[] };
  keys: string;
}

// ───────────────────────────── layout ─────────────────────────────

export interface WatchLayoutInput {
  columns: number;
  rows: number;
  /** Y metrics the chart would show (0: no chart possible). */
  metrics: number;
  /** Points in the table (0: none). */
  points: number;
  /** Diagnostic lines there are to show. */
  diagnostics: number;
}

export interface WatchLayout {
  diagnostics: number;
  table: boolean;
  chart?: { panels: number; sideBySide: boolean; rows: number; cols: number };
}

/** Title, watching, status, outcome or progress, keys. */
const FIXED = 5;
/** Around a chart: the blank line above, title, x axis, x labels, legend. */
const CHART_CHROME = 5;
const MIN_CHART_ROWS = 4;
/** Taller than the run dashboard's (10): here the chart is the point, and nothing else scrolls. */
const MAX_CHART_ROWS = 16;
const MIN_PANEL_COLS = 36;
/** Diagnostic lines shown before the chart gets any room. */
const FIRST_DIAGNOSTICS = 8;

export function watchLayout(i: WatchLayoutInput): WatchLayout {
  let avail = Math.max(0, i.rows - 2) - FIXED;
  const out: WatchLayout = { diagnostics: 0, table: false };
  const takeDiagnostics = (n: number) => {
    const want = Math.min(i.diagnostics - out.diagnostics, n - (out.diagnostics ? 0 : 1));
    if (want <= 0) return;
    avail -= want + (out.diagnostics ? 0 : 1);
    out.diagnostics += want;
  };
  if (i.diagnostics) takeDiagnostics(Math.min(avail, FIRST_DIAGNOSTICS + 1));
  let rows = 0;
  let shape: { panels: number; sideBySide: boolean; cols: number } | undefined;
  if (i.metrics > 0 && avail >= CHART_CHROME + MIN_CHART_ROWS) {
    const wide = i.metrics >= 2 && i.columns - 2 >= 2 * MIN_PANEL_COLS;
    const cols = wide ? Math.floor((i.columns - 2) / 2) : i.columns - 1;
    if (cols >= MIN_PANEL_COLS) {
      shape = { panels: wide ? 2 : 1, sideBySide: wide, cols };
      rows = MIN_CHART_ROWS;
      avail -= CHART_CHROME + MIN_CHART_ROWS;
    }
  }
  if (i.diagnostics > out.diagnostics) takeDiagnostics(avail);
  const tableLines = i.points ? i.points + 2 : 0;
  if (tableLines && avail >= tableLines) {
    out.table = true;
    avail -= tableLines;
  }
  if (shape) {
    const grow = Math.max(0, Math.min(MAX_CHART_ROWS - rows, avail));
    out.chart = { ...shape, rows: rows + grow };
  }
  return out;
}

// ───────────────────────────── the view ─────────────────────────────

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "gige-user.yaml" for a file next to the scenario, else the display name as is. */
function shortName(file: string, scenario: string): string {
  const dir = scenario.includes("/") ? scenario.slice(0, scenario.lastIndexOf("/") + 1) : "";
  return dir && file.startsWith(dir) ? file.slice(dir.length) : file;
}

export function watchingLine(s: Pick<WatchState, "file" | "watched">): string {
  const others = s.watched.filter((f) => f !== s.file).map((f) => shortName(f, s.file));
  const ext = others.length ? ` (extends ${others.join(", ")})` : "";
  return `watching ${s.file}${ext} · save to rerun what changed`;
}

function savedText(s: WatchState): string {
  if (!s.changed.length) return "";
  const gone = new Set(s.removed ?? []);
  const saved = s.changed.filter((f) => !gone.has(f)).map((f) => shortName(f, s.file));
  const removed = s.changed.filter((f) => gone.has(f)).map((f) => shortName(f, s.file));
  return `${[...(saved.length ? [`${saved.join(", ")} saved`] : []), ...(removed.length ? [`${removed.join(", ")} removed`] : [])].join(", ")} · `;
}

function statusOf(s: WatchState): { text: string; tone: Tone } {
  const saved = savedText(s);
  const run = s.last ? s.last.n + (s.phase === "done" ? 0 : 1) : 1;
  switch (s.phase) {
    case "loading":
      return { text: s.attempt <= 1 ? `loading ${s.file}…` : `${saved}validating…`, tone: "muted" };
    case "invalid": {
      const n = s.diagnostics?.errors ?? 0;
      const keeps = s.last ? ` (the chart shows run ${s.last.n})` : "";
      return { text: `${saved}not run: ${plural(n, "error")} below — fix and save${keeps}`, tone: "error" };
    }
    case "cancelled":
      return s.cancelled === "quit"
        ? { text: `run ${run} stopped${s.last ? `; the chart shows run ${s.last.n}` : ""}`, tone: "warn" }
        : { text: `run ${run} cancelled: a newer save arrived`, tone: "warn" };
    case "running": {
      const snap = s.snap;
      const total = snap?.total ?? s.points.length;
      const cached = snap?.cached ?? 0;
      const toDo = total - cached;
      // Until the first point is done or running, the points are being looked up.
      const started = (snap?.done ?? 0) > 0 || (snap?.running.length ?? 0) > 0;
      const what = !started
        ? `looking ${total === 1 ? "the point" : `the ${total} points`} up in the cache…`
        : cached
          ? `simulating ${plural(toDo, "changed point")}, ${cached} unchanged from the cache`
          : `simulating ${plural(total, "point")}`;
      return { text: `run ${run} · ${saved}${what}`, tone: "accent" };
    }
    case "done": {
      // After a save: how long from the save to the curve on screen, then what it cost.
      const l = s.last!;
      if (l.latencyMs === undefined) return { text: `run ${l.n} · up to date: ${plural(l.simulated, "point")} simulated${l.cached ? `, ${l.cached} cached` : ""} in ${formatDuration(l.wallMs / 1000)}`, tone: "ok" };
      return { text: `run ${l.n} · ${saved}up to date in ${(l.latencyMs / 1000).toFixed(2)} s · ${l.simulated} simulated, ${l.cached} cached`, tone: "ok" };
    }
  }
}

function outcomeOf(s: WatchState): { text: string; tone: Tone } | undefined {
  const l = s.last;
  if (!l) return undefined;
  const parts = [`${l.ok} ok of ${plural(l.total, "point")}${s.info?.quick ? " (quick)" : ""}`];
  if (l.failed) parts.push(`${l.failed} failed`);
  if (l.expectLine) parts.push(l.expectLine);
  if (l.outputError) parts.push(l.outputError);
  else if (l.written.length) parts.push(`wrote ${l.written.join(", ")}${l.figureSkipped ? ` (${l.figureSkipped})` : ""}`);
  const bad = l.failed > 0 || l.expectFailed > 0 || !!l.outputError;
  return { text: `${s.phase === "done" ? "" : `run ${l.n}: `}${parts.join(" · ")}`, tone: bad ? "error" : "muted" };
}

function tableOf(s: WatchState, fig: FigureData, width: number, labels: Readonly<Record<string, string>>): { columns: Column[]; rows: WatchRow[] } {
  const info = s.info!;
  let columns = tableColumns(info, fig.axes.y, width, labels);
  // The wall column says which points were simulated again: it stays, metrics give way.
  if (!columns.some((c) => c.kind === "wall")) {
    const wall: Column = { key: "wall", title: "wall", width: 7, align: "right", kind: "wall" };
    const used = () => columns.reduce((n, c) => n + c.width + 2, 0);
    while (columns.length > 1 && columns[columns.length - 1]!.kind === "metric" && used() + wall.width + 2 > width) columns = columns.slice(0, -1);
    columns = [...columns, wall];
  }
  // After an edit, the points simulated again stand out from those the cache gave back.
  const rerun = s.before !== undefined;
  const rows = info.points.map((p, i): WatchRow => {
    const w = s.points[i] ?? {};
    if (w.result) {
      const r = rowCells(info, w.result, w.wallMs ?? 0, !!w.cached, columns);
      return { cells: r.cells, ...(r.problem ? { problem: r.problem } : {}), tone: w.cached ? "cached" : rerun ? "fresh" : "plain" };
    }
    const wall = w.fraction !== undefined ? `▸ ${Math.floor(w.fraction * 100)}%` : s.phase === "running" ? "queued" : "";
    // Not finished yet: the last run's values stay, faint, until the new ones replace them.
    const was = w.previous ? rowCells(info, w.previous, 0, false, columns).cells : undefined;
    const cells = columns.map((c, k) => {
      if (c.kind === "id") return p.id;
      if (c.kind === "param") return formatParam(info.normalised, c.key, p.params[c.key]);
      if (c.kind === "wall") return wall;
      return was?.[k] ?? "";
    });
    return { cells, tone: w.fraction !== undefined ? "running" : "queued" };
  });
  return { columns, rows };
}

export function watchView(s: WatchState, size: { columns: number; rows: number }, theme: Theme, labels: Readonly<Record<string, string>>): WatchView {
  const info = s.info;
  const fig = s.fig;
  const diagLines = s.diagnostics?.lines ?? [];
  const layout = watchLayout({
    columns: size.columns,
    rows: size.rows,
    metrics: fig?.axes.x ? fig.axes.y.length : 0,
    points: info && fig ? info.points.length : 0,
    diagnostics: diagLines.length,
  });
  let diagnostics: string[] | undefined;
  if (layout.diagnostics) {
    diagnostics = diagLines.slice(0, layout.diagnostics);
    if (diagLines.length > layout.diagnostics) {
      const more = diagLines.length - layout.diagnostics + 1;
      diagnostics[diagnostics.length - 1] = `… ${plural(more, "more line")}: \`loopdrv validate ${s.file}\` shows them all`;
    }
  }
  let chart: ChartView | undefined;
  if (layout.chart && fig && info) {
    const ghost: Ghost | undefined = s.before ? { curves: ghostCurves(s.before.fig, fig), label: `run ${s.before.n}, before the save`, ...(theme.muted ? { tone: theme.muted } : {}) } : undefined;
    chart = chartView(fig, info.normalised, theme, layout.chart, ghost);
  }
  const table = layout.table && info && fig ? tableOf(s, fig, size.columns - 1, labels) : undefined;
  const outcome = outcomeOf(s);
  const keys = s.ending ?? (s.keys === "q" ? "q quit · Ctrl-C quit" : "Ctrl-C quit");
  return {
    title: `loopdrv · ${info?.name ?? s.file}`,
    ...(info?.description ? { description: info.description } : {}),
    watching: watchingLine(s),
    status: statusOf(s),
    ...(s.phase === "running" && s.snap ? { progress: progressView(s.snap) } : outcome ? { outcome } : {}),
    ...(diagnostics ? { diagnostics } : {}),
    ...(chart ? { chart } : {}),
    ...(table ? { table } : {}),
    keys,
  };
}
