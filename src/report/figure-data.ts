/**
 * Everything a chart needs, computed once from points: the axes, one curve per series and
 * y metric, and the reference overlay. The dashboard builds it from the plan and the points
 * finished so far; the figure files and the summary from the results document, so a
 * document written by `merge` draws the same figure.
 */
import { isPlainObject } from "../dsl/pointer.js";
import { references } from "../dsl/presets.js";
import type { ResultsDocument } from "../run/results.js";
import { curvesOf, resolveAxes, seriesOf, type Axes, type Curve, type FigureSpec, type PointLike } from "./axes.js";
import { compareWithReference, referenceOverlay, type Comparison, type Overlay } from "./reference.js";

export interface FigureData {
  axes: Axes;
  /** One curve per series for each y metric (metric-major order). */
  curves: Curve[];
  overlay?: Overlay;
  comparisons: Comparison[];
}

export interface FigureInput {
  points: readonly PointLike[];
  paramPaths: readonly string[];
  /** The normalised scenario of the base point (units of params, unswept values). */
  normalised: unknown;
  figure?: FigureSpec;
  reference?: string;
}

export function figureData(input: FigureInput): FigureData {
  const axes = resolveAxes(input.points, input.paramPaths, input.figure, referenceMetrics(input.reference));
  const curves = axes.y.flatMap((m) => curvesOf(input.points, axes, m, input.normalised));
  const overlay = input.reference
    ? referenceOverlay(input.reference, axes, input.points, input.normalised, (p) => seriesOf(p, axes, input.normalised).key)
    : undefined;
  if (!overlay) return { axes, curves, comparisons: [] };
  const incomplete = new Set(input.points.filter((p) => p.status !== "ok").map((p) => seriesOf(p, axes, input.normalised).key));
  return { axes, curves, overlay, comparisons: compareWithReference(overlay, curves, incomplete) };
}

/** The metrics a packaged reference states values of. */
function referenceMetrics(name: string | undefined): string[] {
  const ref = name ? references().get(name) : undefined;
  const out = new Set<string>();
  for (const s of ref?.series ?? []) for (const p of s.points) for (const k of Object.keys(p)) if (k !== "x" && k !== "note" && k !== "at") out.add(k);
  return [...out];
}

/** The `figure:` block recorded in a document (or a scenario), when it is one. */
export function figureSpecOf(v: unknown): FigureSpec | undefined {
  if (!isPlainObject(v)) return undefined;
  const strings = (a: unknown) => (Array.isArray(a) ? a.filter((s): s is string => typeof s === "string") : undefined);
  const series = strings(v.series);
  const y = strings(v.y);
  return {
    ...(typeof v.x === "string" ? { x: v.x } : {}),
    ...(series ? { series } : {}),
    ...(y ? { y } : {}),
    ...(v.x_scale === "linear" || v.x_scale === "log" || v.x_scale === "auto" ? { x_scale: v.x_scale } : {}),
  };
}

/** Parameter paths of a document: the sweep's axes in sweep order, then --set paths. */
export function paramPathsOf(doc: ResultsDocument): string[] {
  const sweep = doc.scenario.normalised.sweep;
  const axes = isPlainObject(sweep) && Array.isArray(sweep.axes) ? sweep.axes.map((a) => (isPlainObject(a) ? String(a.path) : "")).filter(Boolean) : [];
  const rest = new Set<string>();
  for (const p of doc.points) for (const k of Object.keys(p.params)) if (!axes.includes(k)) rest.add(k);
  return [...axes, ...rest];
}

export function figureDataOfDoc(doc: ResultsDocument): FigureData {
  const n = doc.scenario.normalised;
  const figure = figureSpecOf(n.figure);
  return figureData({
    points: doc.points,
    paramPaths: paramPathsOf(doc),
    normalised: n,
    ...(figure ? { figure } : {}),
    ...(typeof n.reference === "string" ? { reference: n.reference } : {}),
  });
}
