/**
 * Reference overlays: the packaged numbers a paper states (src/presets/references/*.yaml,
 * each point with its provenance note) converted to SI, attached to the run's series, and
 * compared with the run's curves at the same x (linear interpolation between neighbouring
 * sweep values; nothing outside the sweep).
 *
 * A reference series selects the run's series with `where` (short keys such as
 * `placement`, or dotted paths), matched against a point's parameters or, for what was not
 * swept, the scenario's values.
 */
import { references, type ReferenceData } from "../dsl/presets.js";
import { fromDotted, isPlainObject } from "../dsl/pointer.js";
import { resolveSchemaPath } from "../dsl/schema-path.js";
import { parseQuantity, type Accepts } from "../dsl/units.js";
import { whereValues } from "../dsl/where.js";
import { parseMetricValue } from "../run/metric-values.js";
import { placementOf, type Axes, type Curve, type PointLike } from "./axes.js";

export interface ReferencePoint {
  /** The reference series' label ("kernel"). */
  series: string;
  /** Key of the run's series it describes, when one matches. */
  seriesKey?: string;
  placement?: "kernel" | "user";
  metric: string;
  x: number;
  y: number;
  /** A stated maximum ("peak 850 Mb/s"): compared with the run's maximum, not its value at x. */
  peak: boolean;
  note: string;
}

export interface Overlay {
  name: string;
  description: string;
  provenance: string;
  claims: string[];
  points: ReferencePoint[];
  /** Why nothing (or not everything) could be overlaid. */
  notes: string[];
}

function matchesRefWhere(point: PointLike, normalised: unknown, where: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(where)) {
    if (k === "placement" && !Object.keys(point.params).some((p) => p.endsWith(".placement"))) {
      if (placementOf(point, normalised) !== v) return false;
      continue;
    }
    const w = whereValues(point, normalised, k, v);
    if (!w || w.have !== w.want) return false;
  }
  return true;
}

function xAccepts(normalised: unknown, path: string): Accepts | undefined {
  const r = resolveSchemaPath(normalised, fromDotted(path));
  return r.ok ? (r.schema.unit as { accepts: Accepts } | undefined)?.accepts : undefined;
}

/**
 * The overlay of reference `name` on a run whose x axis and series are `axes`: every stated
 * value that lies on one of the figure's y metrics. `points` are the run's points (any
 * status), used to tell which of the run's series each reference series describes.
 */
export function referenceOverlay(name: string, axes: Axes, points: readonly PointLike[], normalised: unknown, seriesKeyOf: (p: PointLike) => string): Overlay | undefined {
  const ref: ReferenceData | undefined = references().get(name);
  if (!ref) return undefined;
  const out: Overlay = { name, description: ref.description, provenance: ref.provenance, claims: ref.claims ?? [], points: [], notes: [] };
  if (axes.x !== ref.x) {
    out.notes.push(`${name} is stated against ${ref.x}; ${axes.x ? `this run's x axis is ${axes.x}` : "this run sweeps no numeric parameter"}`);
    return out;
  }
  const accepts = xAccepts(normalised, ref.x);
  for (const s of ref.series) {
    const where = isPlainObject(s.where) ? s.where : {};
    const match = points.find((p) => matchesRefWhere(p, normalised, where));
    const placement = where.placement === "kernel" || where.placement === "user" ? where.placement : undefined;
    for (const rp of s.points) {
      const xq = accepts && typeof rp.x === "string" ? parseQuantity(rp.x, accepts) : undefined;
      const x = typeof rp.x === "number" ? rp.x : xq?.ok ? xq.quantity.si : undefined;
      if (x === undefined) {
        out.notes.push(`${name}: cannot read x ${JSON.stringify(rp.x)}`);
        continue;
      }
      for (const [metric, raw] of Object.entries(rp)) {
        if (metric === "x" || metric === "note" || metric === "at") continue;
        if (!axes.y.includes(metric)) continue;
        const y = parseMetricValue(metric, raw);
        if (!y.ok) {
          out.notes.push(`${name}: ${metric} ${JSON.stringify(raw)}: ${y.message}`);
          continue;
        }
        out.points.push({
          series: s.label,
          ...(match ? { seriesKey: seriesKeyOf(match) } : {}),
          ...(placement ? { placement } : {}),
          metric,
          x,
          y: y.si,
          peak: rp.at === "peak",
          note: typeof rp.note === "string" ? rp.note : "",
        });
      }
    }
  }
  return out;
}

/** The run's value on a curve at x: exact, or linearly interpolated inside the sweep. */
export function valueAt(curve: Curve | undefined, x: number): number | undefined {
  const pts = curve?.points ?? [];
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i]!;
    if (p.x === x) return p.y;
    if (i > 0 && pts[i - 1]!.x < x && x < p.x) {
      const q = pts[i - 1]!;
      return q.y + ((p.y - q.y) * (x - q.x)) / (p.x - q.x);
    }
  }
  return undefined;
}

export interface Comparison {
  point: ReferencePoint;
  /** The run's value at the same x (its maximum, for a stated peak), when the sweep covers it. */
  run?: number;
  /** Where the run's maximum is, for a stated peak. */
  runX?: number;
  /** (run − reference) / reference. */
  relative?: number;
  /** A stated peak not compared: its series has points not finished. */
  unfinished?: true;
}

/**
 * Each reference value beside the run's value at the same x. A stated peak is compared with
 * the curve's maximum only when every point of that series finished (`incomplete` names the
 * series that have points not run, failed or still running): the maximum of part of a sweep
 * is not the run's peak.
 */
export function compareWithReference(overlay: Overlay, curves: readonly Curve[], incomplete: ReadonlySet<string> = new Set()): Comparison[] {
  return overlay.points.map((point) => {
    if (point.peak && point.seriesKey !== undefined && incomplete.has(point.seriesKey)) return { point, unfinished: true };
    const curve = curves.find((c) => c.metric === point.metric && c.key === point.seriesKey);
    const max = point.peak && curve?.points.length ? curve.points.reduce((a, b) => (b.y > a.y ? b : a)) : undefined;
    const run = max ? max.y : valueAt(curve, point.x);
    if (run === undefined) return { point };
    return { point, run, ...(max ? { runX: max.x } : {}), ...(point.y !== 0 ? { relative: (run - point.y) / point.y } : {}) };
  });
}
