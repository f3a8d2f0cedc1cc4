/**
 * The dashboard's live chart as data: one panel per y metric (throughput, CPU), the swept x
 * across, one braille line per series (kernel solid, user dashed, as in the paper), the
 * reference's stated values as ◆. The x range is the whole sweep from the start, so points
 * fill in where they belong; the y range follows the values so far. Pure: a component only
 * prints the rows it gets.
 *
 * In watch mode a panel may also carry a ghost: the previous run's curves, drawn first as
 * sparse dots in a faint tone (the new curves paint over them), only where they differ from
 * the new ones (ghostCurves), so what an edit moved stands out and the rest stays clean.
 */
import { formatParam } from "../dsl/format-value.js";
import type { Axes, Curve } from "../report/axes.js";
import type { FigureData } from "../report/figure-data.js";
import { logTicks, niceTicks } from "../report/figure.js";
import { formatMetric, metricKind, metricTitle } from "../report/labels.js";
import { valueAt } from "../report/reference.js";
import { formatQuantity } from "../dsl/units.js";
import { BrailleCanvas, type Segment } from "./braille.js";

export interface ChartPanelModel {
  title: string;
  /** Canvas rows (cols cells each). */
  rows: Segment[][];
  /** Label at the top, middle and bottom of the y axis. */
  yLabels: [string, string, string];
  /** Width of the y-label gutter, cells. */
  gutter: number;
  xLeft: string;
  xRight: string;
  /** The x labels as one line of `cols` cells: both ends, and sweep values between where they fit. */
  xAxis: string;
  cols: number;
}

export interface LegendItem {
  label: string;
  tone?: string;
  dashed: boolean;
  marker?: string;
}

/** The previous run's curves on a chart (watch mode). */
export interface Ghost {
  /** Pieces of the previous curves, any metric (each panel takes its own). */
  curves: readonly Curve[];
  tone?: string;
  /** The legend's words for it. */
  label: string;
}

/** Dots per dash and gap of a ghost: every other dot, fainter than either line style. */
const GHOST_DASH = 1;

/** Whether two metric values are the same for the eye (and for rounding noise). */
function sameValue(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * The parts of `before`'s curves that `now` does not repeat: for each series and metric,
 * every segment between neighbouring x values one of whose ends is missing from `now` or
 * has another value there, as runs of connected points. A point with no neighbour in the
 * run is kept alone (drawn as a dot). Curves of another x parameter give no ghost.
 */
export function ghostCurves(before: FigureData, now: FigureData): Curve[] {
  if (!before.axes.x || before.axes.x !== now.axes.x) return [];
  const xs = now.axes.xValues;
  const planned = new Set(xs);
  const out: Curve[] = [];
  for (const c0 of before.curves) {
    // Off the new sweep's x range: not on the chart at all (nor in its y range).
    const c = { ...c0, points: xs.length ? c0.points.filter((p) => p.x >= xs[0]! && p.x <= xs[xs.length - 1]!) : c0.points };
    const match = now.curves.find((n) => n.metric === c.metric && n.label === c.label);
    const newPts = match?.points ?? [];
    const at = new Map(newPts.map((p) => [p.x, p.y]));
    const scale = Math.max(0, ...c.points.map((p) => Math.abs(p.y)));
    const moved = c.points.map((p) => {
      if (planned.has(p.x)) {
        const y = at.get(p.x);
        return y === undefined || !sameValue(y, p.y);
      }
      // An x the new sweep does not have (the grid changed): compare with the new curve
      // between its neighbours once both have finished, within 2 % of the curve's scale.
      const y = valueAt({ ...c, points: newPts }, p.x);
      return y === undefined || Math.abs(y - p.y) > 0.02 * scale;
    });
    let run: Curve["points"] = [];
    const flush = () => {
      if (run.length) out.push({ ...c, points: run });
      run = [];
    };
    c.points.forEach((p, k) => {
      const keep = moved[k] || (k > 0 && moved[k - 1]) || (k < c.points.length - 1 && moved[k + 1]);
      if (!keep) return flush();
      // Two kept neighbours are joined only when their segment moved.
      if (run.length && !(moved[k] || moved[k - 1])) flush();
      run.push(p);
    });
    flush();
  }
  return out;
}

/** Dots per dash and gap of a user-level (dashed) series. */
const DASH = 2;

/** A short y label: "900 Mb/s", "60%", "12k/s". */
export function yLabel(metric: string, v: number): string {
  const kind = metricKind(metric);
  if (v === 0) return kind === "fraction" ? "0%" : "0";
  if (kind === "fraction") return `${Math.round(v * 100)}%`;
  if (kind === "data_rate") return formatQuantity(v, "data_rate");
  return formatMetric(metric, v);
}

/** The y range of a panel: fractions to the nearest 10% around the data, others from 0 to a nice top. */
export function yDomain(metric: string, values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (metricKind(metric) === "fraction") {
    let a = Math.max(0, Math.floor(lo * 10 + 1e-9) / 10);
    let b = Math.min(1, Math.ceil(hi * 10 - 1e-9) / 10);
    if (b <= a) {
      if (b < 1) b = Math.min(1, a + 0.1);
      else a = Math.max(0, b - 0.1);
    }
    return [a, b];
  }
  if (hi <= 0) return [0, 1];
  const ticks = niceTicks(0, hi, 4);
  return [0, ticks[ticks.length - 1]!];
}

function xPosition(axes: Axes, x: number, width: number): number {
  const xs = axes.xValues;
  const lo = xs[0]!;
  const hi = xs[xs.length - 1]!;
  if (hi === lo) return (width - 1) / 2;
  const f = axes.xScale === "log" ? (Math.log(x) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (x - lo) / (hi - lo);
  return f * (width - 1);
}

/** The series of a figure, in order, with their tones: what the legend shows. */
export function legendOf(fig: FigureData, toneOf: (i: number) => string | undefined, referenceTone?: string, ghost?: Ghost): LegendItem[] {
  const metric = fig.axes.y[0];
  const curves = fig.curves.filter((c) => c.metric === metric);
  const items: LegendItem[] = curves.map((c, i) => ({ label: c.label, dashed: c.placement === "user", ...(toneOf(i) ? { tone: toneOf(i)! } : {}) }));
  if (fig.overlay && fig.overlay.points.length) items.push({ label: fig.overlay.name, dashed: false, marker: "◆", ...(referenceTone ? { tone: referenceTone } : {}) });
  if (ghost && ghost.curves.some((c) => c.points.length)) items.push({ label: ghost.label, dashed: false, marker: "⠒⠒", ...(ghost.tone ? { tone: ghost.tone } : {}) });
  return items;
}

export function chartPanel(
  fig: FigureData,
  metric: string,
  normalised: unknown,
  size: { cols: number; rows: number },
  toneOf: (i: number) => string | undefined,
  referenceTone?: string,
  ghost?: Ghost,
): ChartPanelModel {
  const { axes } = fig;
  const curves: Curve[] = fig.curves.filter((c) => c.metric === metric);
  const refs = (fig.overlay?.points ?? []).filter((r) => r.metric === metric);
  const ghosts = (ghost?.curves ?? []).filter((c) => c.metric === metric);
  // The ghost counts for the y range, so the axis holds still while a rerun fills in.
  const values = [...curves.flatMap((c) => c.points.map((p) => p.y)), ...refs.map((r) => r.y), ...ghosts.flatMap((c) => c.points.map((p) => p.y))];
  const [lo, hi] = yDomain(metric, values);
  const labels: [string, string, string] = values.length ? [yLabel(metric, hi), yLabel(metric, (lo + hi) / 2), yLabel(metric, lo)] : ["", "", ""];
  const gutter = Math.max(...labels.map((l) => l.length)) + 1;
  const cols = Math.max(4, size.cols - gutter - 1);
  const canvas = new BrailleCanvas(cols, Math.max(1, size.rows));
  const py = (y: number) => (canvas.height - 1) * (1 - (y - lo) / (hi - lo));
  if (axes.x) {
    // The ghost first: the new curves paint over the cells they share with it.
    for (const c of ghosts) {
      const pts = c.points.map((p) => [xPosition(axes, p.x, canvas.width), py(p.y)] as const);
      pts.forEach(([x, y], k) => {
        canvas.set(x, y, ghost?.tone);
        if (k > 0) canvas.line(pts[k - 1]![0], pts[k - 1]![1], x, y, ghost?.tone, GHOST_DASH);
      });
    }
    curves.forEach((c, i) => {
      const tone = toneOf(i);
      const dash = c.placement === "user" ? DASH : 0;
      const pts = c.points.map((p) => [xPosition(axes, p.x, canvas.width), py(p.y)] as const);
      pts.forEach(([x, y], k) => {
        canvas.set(x, y, tone);
        if (k > 0) canvas.line(pts[k - 1]![0], pts[k - 1]![1], x, y, tone, dash);
      });
      // A lone point (the first to finish) as a 2 × 2 block of dots: one dot is easy to miss.
      if (pts.length === 1) for (const [dx, dy] of [[1, 0], [0, 1], [1, 1]] as const) canvas.set(pts[0]![0] + dx, pts[0]![1] + dy, tone);
    });
    // A stated peak is a ceiling, wherever the run's maximum falls: a dotted rule across the
    // plot, its ◆ at the left end (at the stated x it would read as "the peak is here").
    for (const r of refs.filter((q) => q.peak)) {
      const y = py(Math.min(hi, Math.max(lo, r.y)));
      for (let x = 0; x < canvas.width; x += 4) canvas.set(x, y, referenceTone);
      canvas.glyph(0, y, "◆", referenceTone);
    }
    for (const r of refs.filter((q) => !q.peak)) {
      if (r.x < axes.xValues[0]! || r.x > axes.xValues[axes.xValues.length - 1]!) continue;
      canvas.glyph(xPosition(axes, r.x, canvas.width), py(Math.min(hi, Math.max(lo, r.y))), "◆", referenceTone);
    }
  }
  const xs = axes.xValues;
  const xLeft = axes.x && xs.length ? formatParam(normalised, axes.x, xs[0]) : "";
  const xRight = axes.x && xs.length > 1 ? formatParam(normalised, axes.x, xs[xs.length - 1]) : "";
  return {
    title: axes.x ? `${metricTitle(metric)} vs ${axes.labels[axes.x] ?? axes.x}${axes.xScale === "log" ? " (log scale)" : ""}` : metricTitle(metric),
    rows: canvas.segments(),
    yLabels: labels,
    gutter,
    xLeft,
    xRight,
    xAxis: axes.x ? xAxisLine(axes, cols, xLeft, xRight, (x) => formatParam(normalised, axes.x!, x)) : "",
    cols,
  };
}

/**
 * The x labels under a chart: the two ends, then round values between them — a linear axis's
 * nice ticks, a log axis's powers of two among the swept values — each centred under its
 * position where it fits with two spaces to spare, the middle one first (a value is read off
 * the chart, not guessed from its ends).
 */
function xAxisLine(axes: Axes, cols: number, left: string, right: string, format: (x: number) => string): string {
  const line = Array.from({ length: cols }, () => " ");
  const taken: [number, number][] = [];
  const place = (text: string, at: number) => {
    const end = at + text.length;
    if (at < 0 || end > cols || !taken.every(([a, b]) => end + 2 <= a || at >= b + 2)) return;
    [...text].forEach((ch, i) => (line[at + i] = ch));
    taken.push([at, end]);
  };
  place(left, 0);
  if (right) place(right, cols - right.length);
  const xs = axes.xValues;
  if (xs.length >= 2) {
    const lo = xs[0]!;
    const hi = xs[xs.length - 1]!;
    const inner = (axes.xScale === "log" ? logTicks(xs) : niceTicks(lo, hi, 4)).filter((x) => x > lo && x < hi);
    const mid = (cols - 1) / 2;
    const colOf = (x: number) => Math.round(xPosition(axes, x, cols * 2) / 2);
    for (const x of [...inner].sort((a, b) => Math.abs(colOf(a) - mid) - Math.abs(colOf(b) - mid))) {
      const text = format(x);
      place(text, colOf(x) - Math.floor(text.length / 2));
    }
  }
  return line.join("").trimEnd();
}
