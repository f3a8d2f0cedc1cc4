/**
 * What a figure (and the dashboard's chart) plots: the swept parameter on x, one series per
 * combination of the other swept parameters (e.g. kernel vs user), and the y metrics.
 *
 * Default (design: "x = the numeric axis with the most values"): x is the numeric parameter
 * with the most distinct values (the first in sweep order on a tie); every other parameter
 * with more than one value makes the series; y is throughput and CPU utilisation, those of
 * them that were measured. A scenario's `figure: {x, series, y, x_scale}` overrides any of
 * these; a multi-valued parameter it leaves out still makes series (two points of one
 * series never share an x). Works from params alone, so the dashboard can lay out its chart
 * from the plan before any point has finished.
 */
import { formatParam } from "../dsl/format-value.js";
import { getAt, isPlainObject, fromDotted } from "../dsl/pointer.js";
import { metricValue, paramLabels } from "./labels.js";

/** The scenario's `figure:` block, as written (checked against the plan by `resolveAxes`). */
export interface FigureSpec {
  x?: string;
  series?: string[];
  y?: string[];
  x_scale?: "linear" | "log" | "auto";
}

export interface PointLike {
  id: string;
  params: Readonly<Record<string, unknown>>;
  status?: string;
  metrics?: Readonly<Record<string, unknown>>;
}

export interface Axes {
  /** Dotted param path on x; absent when no numeric parameter varies (no chart, table only). */
  x?: string;
  xScale: "linear" | "log";
  /** Distinct x values, ascending (SI). */
  xValues: number[];
  series: string[];
  /** Metric names on y (at most two: left and right axis). */
  y: string[];
  /** Short labels of every param path. */
  labels: Record<string, string>;
  /** Problems with the `figure:` block, in words (the figure falls back to defaults). */
  notes: string[];
}

/** Metrics a paper-style figure shows, in order, when the scenario does not say. */
export const DEFAULT_Y = ["throughput_bits_per_s", "cpu_utilization"] as const;

/** A log x axis when the values span more than this ratio (Fig. 2: 1 to 8192 sectors). */
const LOG_SPAN = 100;

function distinct(points: readonly PointLike[], path: string): unknown[] {
  const seen = new Map<string, unknown>();
  for (const p of points) if (path in p.params) seen.set(JSON.stringify(p.params[path]), p.params[path]);
  return [...seen.values()];
}

/**
 * `expected`: metrics the run is known to measure before any point has finished (the ones
 * its reference states), so the dashboard's chart has its panels from the start.
 */
export function resolveAxes(points: readonly PointLike[], paramPaths: readonly string[], spec?: FigureSpec, expected: readonly string[] = []): Axes {
  const notes: string[] = [];
  const multi = paramPaths.filter((p) => distinct(points, p).length > 1);
  const numeric = multi.filter((p) => distinct(points, p).every((v) => typeof v === "number"));
  let x: string | undefined;
  if (spec?.x !== undefined) {
    if (numeric.includes(spec.x)) x = spec.x;
    else notes.push(`figure.x ${spec.x} is not a swept numeric parameter; using the default`);
  }
  if (x === undefined) {
    let best = -1;
    for (const p of numeric) {
      const n = distinct(points, p).length;
      if (n > best) {
        best = n;
        x = p;
      }
    }
  }
  const series: string[] = [];
  for (const s of spec?.series ?? []) {
    if (s === x) notes.push(`figure.series ${s} is the x axis`);
    else if (!multi.includes(s)) notes.push(`figure.series ${s} is not a swept parameter`);
    else series.push(s);
  }
  for (const p of multi) if (p !== x && !series.includes(p)) series.push(p);

  // A crashed point (a simulated kernel crash) measured until the crash: its metrics count too.
  const finished = (p: PointLike) => p.status === "ok" || p.status === "crashed";
  const anyFinished = points.some(finished);
  const measured = (m: string) => (anyFinished ? points.some((p) => finished(p) && metricValue(p.metrics, m) !== undefined) : expected.includes(m));
  let y = spec?.y?.length ? spec.y.slice(0, 2) : DEFAULT_Y.filter(measured);
  if (!spec?.y?.length && y.length === 0) y = ["cpu_utilization"];
  const xValues = x ? (distinct(points, x) as number[]).sort((a, b) => a - b) : [];
  const positive = xValues.length > 0 && xValues[0]! > 0;
  const span = positive ? xValues[xValues.length - 1]! / xValues[0]! : 0;
  let xScale: "linear" | "log" = positive && span > LOG_SPAN ? "log" : "linear";
  if (spec?.x_scale === "linear") xScale = "linear";
  if (spec?.x_scale === "log") {
    if (positive) xScale = "log";
    else notes.push("figure.x_scale log needs positive x values; using linear");
  }
  return { ...(x ? { x } : {}), xScale, xValues, series, y, labels: paramLabels(paramPaths), notes };
}

/** Where a point's driver runs: its swept placement, else the scenario's if all devices agree. */
export function placementOf(point: PointLike, normalised: unknown): "kernel" | "user" | undefined {
  for (const [k, v] of Object.entries(point.params)) {
    if (k.endsWith(".driver.placement") && (v === "kernel" || v === "user")) return v;
  }
  const devices = isPlainObject(normalised) && isPlainObject(normalised.devices) ? normalised.devices : {};
  const all = new Set<unknown>();
  for (const d of Object.values(devices)) if (isPlainObject(d) && isPlainObject(d.driver)) all.add(d.driver.placement);
  const [only] = [...all];
  return all.size === 1 && (only === "kernel" || only === "user") ? only : undefined;
}

export interface SeriesId {
  key: string;
  /** "kernel", or "kernel · itr 2000/s" with several series parameters. */
  label: string;
  placement?: "kernel" | "user";
}

/** The series a point belongs to; `keep[i]` false leaves series parameter i out of the label. */
export function seriesOf(point: PointLike, axes: Axes, normalised: unknown, keep?: readonly boolean[]): SeriesId {
  const parts = axes.series.flatMap((p, i) => {
    if (keep && !keep[i]) return [];
    const v = formatParam(normalised, p, point.params[p]);
    return [p.endsWith(".driver.placement") ? v : `${axes.labels[p]} ${v}`];
  });
  const placement = placementOf(point, normalised);
  const label = parts.length ? parts.join(" · ") : (placement ?? "run");
  return { key: JSON.stringify(axes.series.map((p) => point.params[p])), label, ...(placement ? { placement } : {}) };
}

/**
 * Which series parameters each series' label shows: with the placement among them, a
 * parameter that takes one value over all the series of a placement is left out of that
 * placement's labels (`kernel`, not `kernel · loopback rings`, when only the user-level
 * driver has a loopback to vary). Every label is kept whole if leaving parts out would make
 * two the same.
 */
function labelMasks(keys: readonly string[], series: readonly string[]): boolean[][] {
  const vals = keys.map((k) => JSON.parse(k) as unknown[]);
  const whole = vals.map((a) => a.map(() => true));
  const at = series.findIndex((p) => p.endsWith(".driver.placement"));
  if (at < 0) return whole;
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  const masks = vals.map((a) => a.map((v, j) => j === at || vals.some((b) => same(b[at], a[at]) && !same(b[j], v))));
  const shown = masks.map((m, i) => JSON.stringify(vals[i]!.map((v, j) => (m[j] ? v : null))));
  return new Set(shown).size === shown.length ? masks : whole;
}

export interface CurvePoint {
  id: string;
  x: number;
  y: number;
}

export interface Curve extends SeriesId {
  metric: string;
  points: CurvePoint[];
}

/**
 * One curve per series for `metric`, from the points that finished ok, in the order the
 * series first appear in `points`; each curve's points sorted by x.
 */
export function curvesOf(points: readonly PointLike[], axes: Axes, metric: string, normalised: unknown): Curve[] {
  if (!axes.x) return [];
  const byKey = new Map<string, Curve>();
  const first = new Map<string, PointLike>(); // a point of each series, for its label
  for (const p of points) {
    const s = seriesOf(p, axes, normalised);
    if (!byKey.has(s.key)) {
      byKey.set(s.key, { ...s, metric, points: [] });
      first.set(s.key, p);
    }
    if (p.status !== "ok") continue;
    const x = p.params[axes.x];
    const y = metricValue(p.metrics, metric);
    if (typeof x === "number" && y !== undefined) byKey.get(s.key)!.points.push({ id: p.id, x, y });
  }
  for (const c of byKey.values()) c.points.sort((a, b) => a.x - b.x);
  const curves = [...byKey.values()];
  const masks = labelMasks(curves.map((c) => c.key), axes.series);
  curves.forEach((c, i) => {
    if (masks[i]!.every(Boolean)) return;
    c.label = seriesOf(first.get(c.key)!, axes, normalised, masks[i]).label;
  });
  return curves;
}

/** A value of the normalised scenario by dotted path (for parameters that were not swept). */
export function scenarioValue(normalised: unknown, dotted: string): unknown {
  return getAt(normalised, fromDotted(dotted));
}
