/**
 * What a reporter knows before the first event: the run's name, machine, devices, workload,
 * the variants compared and the swept x, each point's params and share of the work. Built
 * from the plan, so reporters (and the dashboard) never read the plan's internals.
 */
import { formatParam } from "../dsl/format-value.js";
import type { Plan } from "../dsl/plan.js";
import { formatQuantity } from "../dsl/units.js";
import { estimatedCost } from "../run/cost.js";
import { inShard, type Shard } from "../run/shard.js";
import { resolveAxes, type FigureSpec, type PointLike } from "./axes.js";

export interface RunInfo {
  name: string;
  description?: string;
  file: string;
  quick: boolean;
  /** "hp-zx2000 · 900 MHz · 1 core". */
  machine: string;
  /** One entry per device: "tick: timer (driver kernel)". */
  devices: string[];
  workload: string;
  /** "placement: kernel vs user", one entry per series parameter. */
  variants: string[];
  /** Values fixed on the command line (`--set`), as "label value", for the header. */
  sets: string[];
  /** "tick rate 1000/s … 20000/s (3 values)". */
  x?: string;
  reference?: string;
  points: PointLike[];
  paramPaths: string[];
  /**
   * Each point's share of the work, in plan order: its estimated cost (run/cost.ts, the
   * estimate the pool orders points by), so the progress bar and the ETA weigh a 1-sector
   * disk point as the long run it is, whatever order the points run in.
   */
  work: number[];
  normalised: unknown;
  figure?: FigureSpec;
  /** The shard this run covers (`--shard`), if any: it runs `shardPoints` of `points`. */
  shard?: Shard;
  shardPoints?: number;
}

export function runInfo(plan: Plan, extra: { figure?: FigureSpec; description?: string; shard?: Shard } = {}): RunInfo {
  const base = plan.points[0]!.scenario;
  const n = base as unknown as Record<string, unknown>;
  const points: PointLike[] = plan.points.map((p) => ({ id: p.id, params: p.params }));
  const axes = resolveAxes(points, plan.paramPaths, extra.figure);
  const values = (path: string) => [...new Map(plan.points.map((p) => [JSON.stringify(p.params[path]), p.params[path]])).values()];
  const show = (path: string, v: unknown) => formatParam(n, path, v);

  const m = base.machine;
  const machine = `${m.preset} · ${formatQuantity(m.clock, "frequency")} · ${m.cores} core${m.cores === 1 ? "" : "s"}`;
  const devices = Object.entries(base.devices)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, d]) => {
      const swept = plan.paramPaths.includes(`devices.${name}.driver.placement`);
      const model = d.model && d.model !== d.type ? ` ${d.model}` : "";
      return `${name}: ${d.type}${model} (driver ${swept ? values(`devices.${name}.driver.placement`).join("|") : d.driver.placement})`;
    });
  const variants = axes.series.map((p) => `${axes.labels[p]}: ${values(p).map((v) => show(p, v)).join(" vs ")}`);
  const swept = new Set(plan.axes.map((a) => a.path));
  const sets = plan.paramPaths.filter((p) => !swept.has(p)).map((p) => `${axes.labels[p]} ${show(p, plan.points[0]!.params[p])}`);
  let x: string | undefined;
  if (axes.x) {
    const xs = axes.xValues;
    x = `${axes.labels[axes.x]} ${show(axes.x, xs[0])} … ${show(axes.x, xs[xs.length - 1])} (${xs.length} values${axes.xScale === "log" ? ", log scale" : ""})`;
  }
  const description = extra.description ?? (typeof n.description === "string" ? n.description : undefined);
  return {
    name: plan.name,
    ...(description ? { description } : {}),
    file: plan.file,
    quick: plan.quick,
    machine,
    devices,
    workload: String(base.workload.type),
    variants,
    sets,
    ...(x ? { x } : {}),
    ...(typeof n.reference === "string" ? { reference: n.reference } : {}),
    points,
    paramPaths: plan.paramPaths,
    work: plan.points.map((p) => estimatedCost(p.scenario)),
    normalised: n,
    ...(extra.figure ? { figure: extra.figure } : {}),
    ...(extra.shard ? { shard: extra.shard, shardPoints: plan.points.filter((p) => inShard(p.index, extra.shard!)).length } : {}),
  };
}
