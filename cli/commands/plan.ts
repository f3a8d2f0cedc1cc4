import { loadScenario } from "../../src/dsl/load.js";
import { planScenario, type Plan } from "../../src/dsl/plan.js";
import { formatOrigin, formatParam } from "../../src/dsl/format-value.js";
import { formatDiagnostics } from "../../src/diag/format.js";
import { hasErrors } from "../../src/diag/diagnostic.js";
import type { Origin } from "../../src/dsl/layers.js";
import { EXIT } from "../exit-codes.js";
import type { Io } from "../io.js";

export interface PlanCommandOptions {
  set: string[];
  force: boolean;
  quick: boolean;
  json: boolean;
  point?: string;
  color: boolean;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => "  " + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")).join("\n") + "\n";
}

function leaves(o: unknown, prefix = ""): [string, unknown][] {
  if (o && typeof o === "object" && !Array.isArray(o)) {
    return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, o]];
}

function originJson(o: Origin | undefined) {
  if (!o) return { kind: "default" };
  return {
    kind: o.kind,
    ...(o.range ? { file: o.range.file, line: o.range.start.line, col: o.range.start.col } : {}),
    ...(o.chain && o.chain.length > 1 ? { chain: o.chain } : {}),
    ...(o.note ? { note: o.note } : {}),
  };
}

export function planToJson(plan: Plan) {
  return {
    name: plan.name,
    file: plan.file,
    quick: plan.quick,
    points_total: plan.points.length,
    excluded: plan.excluded,
    axes: plan.axes.map((a) => ({ path: a.path, group: a.group, values: a.values.map((v) => v.raw) })),
    replaced_axes: plan.replacedAxes,
    points: plan.points.map((p) => ({
      id: p.id,
      params: p.params,
      scenario: p.scenario,
      provenance: Object.fromEntries([...p.provenance].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, o]) => [k, originJson(o)])),
    })),
  };
}

export async function planCommand(io: Io, file: string, opts: PlanCommandOptions): Promise<number> {
  const r = await loadScenario(file, { set: opts.set });
  const p = r.scenario ? planScenario(r.scenario, { quick: opts.quick, force: opts.force }) : undefined;
  const diags = [...r.diagnostics, ...(p?.diagnostics ?? [])];
  if (diags.length) io.err(formatDiagnostics(diags, { sources: r.sources, color: opts.color }) + "\n");
  if (!p?.plan || hasErrors(diags)) return EXIT.badInput;
  const plan = p.plan;
  if (opts.json) {
    io.out(JSON.stringify(planToJson(plan), null, 2) + "\n");
    return EXIT.ok;
  }
  if (opts.point !== undefined) {
    const pt = plan.points.find((x) => x.id === opts.point || String(x.index) === opts.point);
    if (!pt) {
      io.err(`error: no point ${JSON.stringify(opts.point)}; this plan has ${plan.points[0]!.id} … ${plan.points[plan.points.length - 1]!.id}\n`);
      return EXIT.badInput;
    }
    io.out(`${plan.name} (${plan.file}), point ${pt.id}\n\n`);
    const rows = [["parameter", "value", "from"]];
    for (const [k, v] of leaves(pt.scenario)) rows.push([k, formatParam(pt.scenario, k, v), formatOrigin(pt.provenance.get(k))]);
    io.out(table(rows));
    return EXIT.ok;
  }

  const n = plan.points.length;
  const axesText = plan.axes.length ? plan.axes.map((a) => `${a.path} × ${a.values.length}`).join(", ") : "no sweep";
  io.out(`${plan.name} (${plan.file})${plan.quick ? " — quick" : ""}\n`);
  io.out(`${n} point${n === 1 ? "" : "s"}: ${axesText}${plan.excluded ? ` (${plan.excluded} excluded)` : ""}\n`);
  for (const x of plan.replacedAxes) {
    io.out(x.source ? `note: ${x.text} in ${x.source} replaces the sweep axis ${x.path} of the file it extends\n` : `note: --set ${x.text} replaces the sweep axis ${x.path}\n`);
  }
  io.out("\n");
  // The swept paths, a column each (a `--set` path is a point parameter too, but it has one
  // value: it is listed with the others below, with where it came from).
  const sweptPaths = plan.axes.map((a) => a.path);
  if (sweptPaths.length) {
    const rows = [["point", ...sweptPaths]];
    for (const pt of plan.points) rows.push([pt.id, ...sweptPaths.map((k) => formatParam(pt.scenario, k, pt.params[k]))]);
    io.out(table(rows) + "\n");
  }
  // Values shared by every point, with their provenance; swept values are listed above.
  const first = plan.points[0]!;
  const swept = new Set(sweptPaths);
  io.out("Parameters (every point; swept ones above):\n");
  const rows = [["parameter", "value", "from"]];
  for (const [k, v] of leaves(first.scenario)) {
    const varies = plan.points.some((pt) => JSON.stringify(leaves(pt.scenario).find(([kk]) => kk === k)?.[1]) !== JSON.stringify(v));
    if (swept.has(k)) rows.push([k, "(swept)", formatOrigin(first.provenance.get(k))]);
    else if (varies) rows.push([k, "(varies)", "depends on swept values"]);
    else rows.push([k, formatParam(first.scenario, k, v), formatOrigin(first.provenance.get(k))]);
  }
  io.out(table(rows));
  return EXIT.ok;
}
