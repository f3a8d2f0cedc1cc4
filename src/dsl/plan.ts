/**
 * Sweep expansion: the merged scenario becomes the ordered list of run points.
 *
 * - `matrix` axes combine as a cartesian product, the first axis varying slowest;
 * - `zip` axes advance together and form one more (innermost) axis;
 * - `exclude` drops points whose swept values match all of an entry's values;
 * - a `--set` on a swept path has already replaced that axis with its single value.
 *
 * Every axis value is validated in place (as if written at its path), so a bad value is
 * reported at the line of the sweep where it was written. Each point is then normalised.
 */
import type { Diagnostic } from "../diag/diagnostic.js";
import { dedupe, hasErrors, sortDiagnostics } from "../diag/diagnostic.js";
import { msg, type MessageParts } from "../diag/messages.js";
import { locationFields, type Origin } from "./layers.js";
import type { MergedScenario } from "./load.js";
import type { NormalisedScenario } from "./normalised.js";
import { normalisePoint } from "./normalise.js";
import { checkSemantics } from "./semantic.js";
import { fromDotted, getAt, isPlainObject, setAt, toPointer } from "./pointer.js";
import { resolveSchemaPath, type SchemaNode } from "./schema-path.js";
import { formatQuantity, parseQuantity, type Accepts, type Quantity } from "./units.js";
import { validateScenarioValue } from "./validate.js";
import { formatParam } from "./format-value.js";
import { suggest } from "./suggest.js";
import { matchesWhere, paramKey } from "./where.js";
import { sdOf } from "./metrics.js";

/** Above this many points a sweep is refused unless forced. */
export const MAX_POINTS = 10_000;
/** A single range may not expand to more values than this. */
export const MAX_RANGE_VALUES = 10_000;

export interface AxisValue {
  /** As written (a range's values are written in the unit of its `from`). */
  raw: unknown;
  origin: Origin;
}

export interface SweepAxis {
  path: string;
  group: "matrix" | "zip";
  values: AxisValue[];
}

export interface PlanPoint {
  index: number;
  id: string;
  /** Swept and --set paths of this point → normalised (SI) value. */
  params: Record<string, unknown>;
  /** The swept ones: what the point's seed derives from (run/execute.ts PointJob.seedParams). */
  seedParams: Record<string, unknown>;
  scenario: NormalisedScenario;
  provenance: Map<string, Origin>;
}

export interface Plan {
  name: string;
  file: string;
  quick: boolean;
  axes: SweepAxis[];
  points: PlanPoint[];
  /** Points dropped by `exclude`. */
  excluded: number;
  /** --set arguments that replaced a swept axis. */
  replacedAxes: { path: string; text: string; source?: string }[];
  /** Dotted paths that are params (swept or --set), in order. */
  paramPaths: string[];
}

export interface PlanOptions {
  quick?: boolean;
  /** Allow sweeps larger than MAX_POINTS. */
  force?: boolean;
}

const NON_MODEL = ["sweep", "expect"];
/**
 * The top-level keys whose values the model reads. Only paths under them are point
 * parameters: a `--set name=…` or `--set figure.x=…` changes labels, never a point's
 * parameters, and so never its seed or its results.
 */
const MODEL_ROOTS = ["machine", "devices", "workload", "run", "faults"];
const isModelPath = (p: string) => MODEL_ROOTS.includes(p.split(".")[0]!);

export function planScenario(s: MergedScenario, opts: PlanOptions = {}): { plan?: Plan; diagnostics: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  const report = (code: string, parts: MessageParts, ptr: string, preferKey = false, origin?: Origin, severity: "error" | "warning" = "error") => {
    const loc = origin?.range
      ? { range: origin.range, ...(origin.chain ? { chain: origin.chain } : {}), ...(origin.sourceText !== undefined ? { sourceText: origin.sourceText } : {}) }
      : s.origins.locate(ptr, preferKey);
    diags.push({ code, severity, kind: "user", message: parts.message, ...(parts.hint ? { hint: parts.hint } : {}), ...locationFields(loc) });
  };
  const sweep = isPlainObject(s.value.sweep) ? s.value.sweep : {};
  const axes: SweepAxis[] = [];
  const leafOf = new Map<string, SchemaNode>();
  const seen = new Set<string>();

  for (const group of ["matrix", "zip"] as const) {
    const g = sweep[group];
    if (!isPlainObject(g)) continue;
    for (const [p, spec] of Object.entries(g)) {
      const axisPtr = toPointer(["sweep", group, p]);
      if (seen.has(p)) {
        report("sweep-duplicate-axis", msg["sweep-duplicate-axis"](p), axisPtr, true);
        continue;
      }
      seen.add(p);
      const r = resolveSchemaPath(s.value, fromDotted(p));
      if (!r.ok) {
        report("sweep-path-unknown", msg["sweep-path-unknown"](p, r.suggestion, r.known), axisPtr, true);
        continue;
      }
      if (!r.leaf) {
        report("sweep-path-not-value", msg["sweep-path-not-value"](p), axisPtr, true);
        continue;
      }
      if (!isModelPath(p)) {
        report("sweep-path-not-model", msg["sweep-path-not-model"](p, MODEL_ROOTS), axisPtr, true);
        continue;
      }
      leafOf.set(p, r.schema);
      const items = Array.isArray(spec) ? spec.map((v, i) => [v, toPointer(["sweep", group, p, i])] as const) : [[spec, axisPtr] as const];
      const values: AxisValue[] = [];
      const before = diags.length;
      for (const [item, ptr] of items) {
        const origin: Origin = s.origins.get(ptr) ?? { kind: "sweep" };
        const o: Origin = { ...origin, kind: origin.kind === "set" ? "set" : "sweep" };
        if (isPlainObject(item) && "from" in item) {
          const expanded = expandRange(item, r.schema, (code, parts) => report(code, parts, ptr));
          for (const raw of expanded) values.push({ raw, origin: o });
        } else values.push({ raw: item, origin: o });
      }
      if (values.length === 0 && diags.length === before) report("sweep-empty", msg["sweep-empty"](p), axisPtr, true);
      // A value listed twice would run the same point twice.
      const keys = values.map((v) => canonical(v.raw, r.schema));
      const dup = keys.findIndex((k, i) => keys.indexOf(k) !== i);
      if (dup >= 0) report("sweep-duplicate-value", msg["sweep-duplicate-value"](p, String(values[dup]!.raw)), axisPtr, true, values[dup]!.origin);
      // Validate every value where it would be written.
      for (const v of values) {
        const doc = structuredClone(s.value);
        setAt(doc, fromDotted(p), v.raw);
        const origins = s.origins.clone();
        const target = toPointer(fromDotted(p));
        origins.clearBelow(target);
        origins.set(target, v.origin);
        const schemaDiags = validateScenarioValue(doc, origins, s.sources);
        diags.push(...schemaDiags);
        if (!hasErrors(schemaDiags)) diags.push(...checkSemantics({ ...s, value: doc, origins }));
      }
      axes.push({ path: p, group, values });
    }
  }
  const zipAxes = axes.filter((a) => a.group === "zip");
  if (zipAxes.length > 1 && new Set(zipAxes.map((a) => a.values.length)).size > 1) {
    report("sweep-zip-length", msg["sweep-zip-length"](zipAxes.map((a) => `${a.path}: ${a.values.length}`).join(", ")), "/sweep/zip", true);
  }
  if (hasErrors(diags)) return { diagnostics: sortDiagnostics(dedupe(diags)) };

  // Combinations: matrix axes (first slowest), then the zip group as one axis.
  const matrix = axes.filter((a) => a.group === "matrix");
  const dims: { axes: SweepAxis[]; length: number }[] = matrix.map((a) => ({ axes: [a], length: a.values.length }));
  if (zipAxes.length) dims.push({ axes: zipAxes, length: zipAxes[0]!.values.length });
  const total = dims.reduce((n, d) => n * d.length, 1);
  if (total > MAX_POINTS && !opts.force) {
    report("sweep-too-large", msg["sweep-too-large"](total, MAX_POINTS), "/sweep", true);
    return { diagnostics: sortDiagnostics(diags) };
  }

  // Exclusions, compared on canonical (SI) values so `1 Gb/s` matches `1000 Mb/s`.
  const excludes = Array.isArray(sweep.exclude) ? sweep.exclude : [];
  const excludeKeys: Map<string, string>[] = [];
  // A path a --set or an extending file took out of the sweep has one value now: an entry's
  // key on it either holds for every point (dropped) or for none (the entry can never match).
  const fixedPaths = new Set(fixedPathsOf(s));
  excludes.forEach((e, i) => {
    if (!isPlainObject(e)) return;
    const m = new Map<string, string>();
    let never = false;
    for (const [p, v] of Object.entries(e)) {
      const leaf = leafOf.get(p);
      if (!leaf) {
        const r = fixedPaths.has(p) ? resolveSchemaPath(s.value, fromDotted(p)) : undefined;
        if (r?.ok) {
          if (canonical(getAt(s.value, fromDotted(p)), r.schema) !== canonical(v, r.schema)) never = true;
          continue;
        }
        report("sweep-exclude-path", msg["sweep-exclude-path"](p), toPointer(["sweep", "exclude", i, p]), true);
        continue;
      }
      m.set(p, canonical(v, leaf));
    }
    if (!never) excludeKeys.push(m);
  });
  if (hasErrors(diags)) return { diagnostics: sortDiagnostics(diags) };

  const assignments: { axis: SweepAxis; value: AxisValue }[][] = [];
  const idx = dims.map(() => 0);
  for (let n = 0; n < total; n++) {
    const a: { axis: SweepAxis; value: AxisValue }[] = [];
    dims.forEach((d, di) => d.axes.forEach((axis) => a.push({ axis, value: axis.values[idx[di]!]! })));
    for (let di = dims.length - 1; di >= 0; di--) {
      if (++idx[di]! < dims[di]!.length) break;
      idx[di] = 0;
    }
    const excluded = excludeKeys.some(
      (m) => m.size > 0 && [...m].every(([p, key]) => a.some((x) => x.axis.path === p && canonical(x.value.raw, leafOf.get(p)!) === key)),
    );
    if (!excluded) assignments.push(a);
  }
  if (assignments.length === 0) {
    report("sweep-all-excluded", msg["sweep-all-excluded"](), "/sweep/exclude", true);
    return { diagnostics: sortDiagnostics(diags) };
  }

  const setPaths = s.sets.map((x) => x.path);
  const paramPaths = [...axes.map((a) => a.path), ...setPaths.filter((p) => isModelPath(p) && !axes.some((a) => a.path === p))];
  const base = structuredClone(s.value);
  for (const k of NON_MODEL) delete base[k];
  const quickBlock = isPlainObject(s.value.run) && isPlainObject(s.value.run.quick) ? s.value.run.quick : undefined;
  if (isPlainObject(base.run)) delete base.run.quick;
  const fixed = new Set([...paramPaths]);

  // A point's seed comes from the paths that tell the sweep's points apart: its axes, and
  // those a --set (or an extending file) fixed to one of their values, so that a narrowed run
  // reproduces the full sweep's points (and finds them in the cache).
  const seedPaths = [...axes.map((a) => a.path), ...s.replacedAxes.map((x) => x.path).filter((p) => !axes.some((a) => a.path === p))];
  const width = String(assignments.length - 1).length;
  const points: PlanPoint[] = [];
  assignments.forEach((a, index) => {
    const doc = structuredClone(base);
    const origins = s.origins.clone();
    if (opts.quick && quickBlock) {
      for (const [p, v] of Object.entries(quickBlock)) {
        if (fixed.has(p)) continue;
        setAt(doc, fromDotted(p), v);
        const ptr = toPointer(fromDotted(p));
        origins.clearBelow(ptr);
        origins.set(ptr, { ...(s.origins.get(toPointer(["run", "quick", p])) ?? {}), kind: "quick" });
      }
    }
    for (const { axis, value } of a) {
      setAt(doc, fromDotted(axis.path), value.raw);
      const ptr = toPointer(fromDotted(axis.path));
      origins.clearBelow(ptr);
      origins.set(ptr, value.origin);
    }
    const np = normalisePoint(doc, origins, s.name);
    if (opts.quick && !quickBlock) applyDefaultQuick(np.scenario, np.provenance, fixed);
    diags.push(...pointChecks(np.scenario, np.provenance));
    const params: Record<string, unknown> = {};
    for (const p of paramPaths) params[p] = getAt(np.scenario, fromDotted(p));
    const seedParams: Record<string, unknown> = {};
    for (const p of seedPaths) seedParams[p] = getAt(np.scenario, fromDotted(p));
    points.push({ index, id: `p${String(index).padStart(width, "0")}`, params, seedParams, scenario: np.scenario, provenance: np.provenance });
  });
  // The checks that need the points, all of them at once (none depends on another).
  if (!hasErrors(diags)) {
    checkExpectSelections(s, points, report);
    checkFigureAxes(s, axes, leafOf, report);
    checkDeviations(s, axes, points, report);
    checkFaultTimes(points, !!opts.quick, (code, parts, ptr, origin) => report(code, parts, ptr, false, origin, "warning"));
  }
  if (hasErrors(diags)) return { diagnostics: sortDiagnostics(dedupe(diags)) };
  return {
    plan: {
      name: s.name,
      file: s.file,
      quick: !!opts.quick,
      axes,
      points,
      excluded: total - assignments.length,
      replacedAxes: s.replacedAxes.map((x) => ({ path: x.path, text: x.text, ...(x.source ? { source: x.source } : {}) })),
      paramPaths,
    },
    diagnostics: sortDiagnostics(dedupe(diags)),
  };
}

/** Paths given one value from outside the file's own sweep: by a --set, or by an extending file. */
function fixedPathsOf(s: MergedScenario): string[] {
  return [...s.sets.map((x) => x.path), ...s.replacedAxes.map((x) => x.path)];
}

/**
 * Each `expect:` selection must select points of this plan (and exactly one for `at: point`),
 * or the check could only fail after the whole run. A selection on a path a `--set` fixed is
 * left to the run: narrowing a sweep from the command line should not stop it.
 */
function checkExpectSelections(s: MergedScenario, points: readonly PlanPoint[], report: (code: string, parts: MessageParts, ptr: string, preferKey?: boolean) => void): void {
  const fixed = fixedPathsOf(s);
  const touchedBySet = (key: string) => fixed.some((p) => p === key || p.endsWith(`.${key}`));
  const expects = Array.isArray(s.value.expect) ? s.value.expect : [];
  expects.forEach((e, i) => {
    if (!isPlainObject(e)) return;
    const selections: [unknown, unknown, (string | number)[]][] = [[e.where, e.at, ["expect", i, "where"]]];
    if (isPlainObject(e.ratio)) selections.push([e.ratio.where, e.ratio.at, ["expect", i, "ratio", "where"]]);
    for (const [where, at, path] of selections) {
      const w = isPlainObject(where) ? where : {};
      if (Object.keys(w).some(touchedBySet)) continue;
      const chosen = points.filter((p) => matchesWhere(p, p.scenario, w)).length;
      const text = Object.entries(w).map(([k, v]) => `${k.split(".").pop()}=${String(v)}`).join(" ") || "every point";
      if (chosen === 0) report("expect-where-none", msg["expect-where-none"](text, whereHint(w, points)), toPointer(path));
      else if (at === "point" && chosen !== 1) report("expect-at-point", msg["expect-at-point"](text, chosen), toPointer(path));
    }
  });
}

/**
 * `figure.x` must be a swept numeric parameter and each `figure.series` a swept one, or the
 * figure would quietly fall back to its default after the whole run. A path a `--set` took out
 * of the sweep is left to the figure (which then notes it): narrowing from the command line
 * should not stop a run.
 */
function checkFigureAxes(
  s: MergedScenario,
  axes: readonly SweepAxis[],
  leafOf: ReadonlyMap<string, SchemaNode>,
  report: (code: string, parts: MessageParts, ptr: string, preferKey?: boolean) => void,
): void {
  const fig = isPlainObject(s.value.figure) ? s.value.figure : undefined;
  if (!fig) return;
  const replaced = new Set(s.replacedAxes.map((x) => x.path));
  const swept = axes.map((a) => a.path);
  const numeric = axes.filter((a) => leafOf.get(a.path)?.unit !== undefined || a.values.every((v) => typeof v.raw === "number")).map((a) => a.path);
  if (typeof fig.x === "string" && !numeric.includes(fig.x) && !replaced.has(fig.x)) {
    report("figure-not-swept", msg["figure-not-swept"]("x", fig.x, numeric, suggest(fig.x, numeric)), "/figure/x");
  }
  if (Array.isArray(fig.series)) {
    fig.series.forEach((p, i) => {
      if (typeof p === "string" && !swept.includes(p) && !replaced.has(p)) report("figure-not-swept", msg["figure-not-swept"]("series", p, swept, suggest(p, swept)), toPointer(["figure", "series", i]));
    });
  }
}

/**
 * A standard deviation (`…_sd`) is measured over repetitions: when the file (with its
 * `--set`s) runs one at every point, a check or a figure of one could only fail after the
 * run. Judged on the file's own repetitions, not --quick's: a quick run, which runs one,
 * leaves such checks unchecked instead (run/expect.ts).
 */
function checkDeviations(
  s: MergedScenario,
  axes: readonly SweepAxis[],
  points: readonly PlanPoint[],
  report: (code: string, parts: MessageParts, ptr: string, preferKey?: boolean) => void,
): void {
  const axis = axes.find((a) => a.path === "workload.repetitions");
  const workload = isPlainObject(s.value.workload) ? s.value.workload : {};
  const reps = axis ? axis.values.map((v) => v.raw) : [workload.repetitions ?? 1];
  const at = (metric: unknown, path: (string | number)[]) => {
    if (typeof metric === "string" && sdOf(metric) !== undefined) report("metric-sd-one-repetition", msg["metric-sd-one-repetition"](metric), toPointer(path));
  };
  const expects = Array.isArray(s.value.expect) ? s.value.expect : [];
  if (reps.some((r) => Number(r) > 1)) {
    // Repetitions swept: a check whose points all run one is as hopeless. (--quick leaves a
    // swept path alone, so the points' repetitions are the file's here too.)
    expects.forEach((e, i) => {
      if (!isPlainObject(e) || typeof e.metric !== "string" || sdOf(e.metric) === undefined) return;
      const chosen = points.filter((p) => matchesWhere(p, p.scenario, isPlainObject(e.where) ? e.where : {}));
      if (chosen.length > 0 && chosen.every((p) => Number(p.scenario.workload.repetitions ?? 1) <= 1)) at(e.metric, ["expect", i, "metric"]);
    });
    return;
  }
  expects.forEach((e, i) => isPlainObject(e) && at(e.metric, ["expect", i, "metric"]));
  const fig = isPlainObject(s.value.figure) ? s.value.figure : undefined;
  if (fig && Array.isArray(fig.y)) fig.y.forEach((m, i) => at(m, ["figure", "y", i]));
}

/**
 * A fault timed (`at`) at or after the end of every point's run never strikes: the run is
 * valid, but its fault metrics will say "none struck", so say so now (a warning). Most often
 * a `--quick` run, whose durations are a tenth.
 */
function checkFaultTimes(points: readonly PlanPoint[], quick: boolean, warn: (code: string, parts: MessageParts, ptr: string, origin?: Origin) => void): void {
  const inject = points[0]?.scenario.faults?.inject ?? {};
  for (const name of Object.keys(inject)) {
    // The first strike: at `at`, or after one period of an `every` alone.
    const firsts = points.map((p) => {
      const f = p.scenario.faults?.inject[name];
      return f?.at ?? f?.every;
    });
    if (firsts.some((t) => t === undefined) || !firsts.every((t, i) => t! >= points[i]!.scenario.run.warmup + points[i]!.scenario.run.duration)) continue;
    const key = points[0]!.scenario.faults!.inject[name]!.at !== undefined ? "at" : "every";
    const end = Math.max(...points.map((p) => p.scenario.run.warmup + p.scenario.run.duration));
    // Where the value came from (a `run.quick` entry, under --quick), to point there.
    const origin = points[0]!.provenance.get(`faults.inject.${name}.${key}`);
    const parts = msg["fault-after-run"](name, `${key === "at" ? "at" : "every"} ${formatQuantity(Math.min(...firsts.map(Number)), "time")}`, formatQuantity(end, "time"), quick, origin?.kind === "quick");
    warn("fault-after-run", parts, toPointer(["faults", "inject", name, key]), origin?.range ? origin : undefined);
  }
}

/** What the points have for the first `where` key that no point matches on its own. */
function whereHint(where: Record<string, unknown>, points: readonly PlanPoint[]): string {
  for (const [k, v] of Object.entries(where)) {
    if (points.some((p) => matchesWhere(p, p.scenario, { [k]: v }))) continue;
    const seen = [...new Set(points.map((p) => formatParam(p.scenario, paramKey(p.params, k) ?? k, paramKey(p.params, k) !== undefined ? p.params[paramKey(p.params, k)!] : getAt(p.scenario, fromDotted(k)))))];
    return `the points have ${k.split(".").pop()} = ${seen.slice(0, 8).join(", ")}${seen.length > 8 ? ", …" : ""}`;
  }
  return "each value occurs in some point, but no point has them all (see `loopdrv plan`)";
}

/** --quick without a `run.quick` block (design §4): durations ÷ 10, disk bytes 1 MiB, repetitions 1. */
function applyDefaultQuick(sc: NormalisedScenario, prov: Map<string, Origin>, fixed: Set<string>): void {
  const q: Origin = { kind: "quick", note: "--quick default" };
  for (const k of ["duration", "warmup", "cooldown"] as const) {
    if (fixed.has(`run.${k}`)) continue;
    sc.run[k] = sc.run[k] / 10;
    prov.set(`run.${k}`, q);
  }
  if (sc.workload.type === "disk-read") {
    if (!fixed.has("workload.bytes")) {
      sc.workload.bytes = 1024 * 1024;
      prov.set("workload.bytes", q);
    }
    if (!fixed.has("workload.repetitions")) {
      sc.workload.repetitions = 1;
      prov.set("workload.repetitions", q);
    }
  }
}

/** Checks that need a point's normalised values. */
function pointChecks(sc: NormalisedScenario, prov: Map<string, Origin>): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (sc.workload.type === "disk-read") {
    const t = sc.workload.transfer_size as number;
    if (t % 512 !== 0) {
      const m = msg["transfer-not-sector-multiple"](t);
      const o = prov.get("workload.transfer_size");
      out.push({ code: "transfer-not-sector-multiple", severity: "error", kind: "user", message: m.message, hint: m.hint!, ...(o?.range ? { range: o.range } : {}) });
    }
  }
  return out;
}

function canonical(raw: unknown, leaf: SchemaNode): string {
  const unit = leaf.unit as { accepts: Accepts } | undefined;
  if (unit && (typeof raw === "string" || typeof raw === "number")) {
    const r = parseQuantity(raw, unit.accepts);
    if (r.ok) return `${r.quantity.dimension}:${r.quantity.si}`;
  }
  return JSON.stringify(raw);
}

/** Expand {from, to, step} into values written in `from`'s unit (or plain numbers). */
function expandRange(item: Record<string, unknown>, leaf: SchemaNode, report: (code: string, parts: MessageParts) => void): unknown[] {
  const unit = leaf.unit as { accepts: Accepts } | undefined;
  if (!unit) {
    const [f, t, st] = [item.from, item.to, item.step].map(Number);
    if (![f, t, st].every((x) => Number.isFinite(x))) {
      report("sweep-range-units", msg["sweep-range-units"]());
      return [];
    }
    return steps(f!, t!, st!, report);
  }
  const parsed = [item.from, item.to, item.step].map((x) => parseQuantity(x as string | number, unit.accepts));
  if (!parsed.every((p) => p.ok)) {
    const bad = parsed.find((p) => !p.ok);
    if (bad && !bad.ok) report(bad.error.code, { message: bad.error.message, ...(bad.error.hint ? { hint: bad.error.hint } : {}) });
    return [];
  }
  const [f, t, st] = parsed.map((p) => (p as { quantity: Quantity }).quantity) as [Quantity, Quantity, Quantity];
  if (new Set([f.dimension, t.dimension, st.dimension]).size > 1) {
    report("sweep-range-units", msg["sweep-range-units"]());
    return [];
  }
  // Count in the unit `from` was written in, so values read as the user wrote them.
  const factor = f.value !== 0 ? f.si / f.value : unitFactor(f.unit, unit.accepts);
  const nums = steps(f.si / factor, t.si / factor, st.si / factor, report);
  return nums.map((n) => (f.unit === "/s" ? `${n}/s` : `${n} ${f.unit}`));
}

function unitFactor(unit: string, accepts: Accepts): number {
  const r = parseQuantity(unit === "/s" ? "1/s" : `1 ${unit}`, accepts);
  return r.ok ? r.quantity.si : 1;
}

function steps(from: number, to: number, step: number, report: (code: string, parts: MessageParts) => void): number[] {
  if (!(step > 0)) {
    report("sweep-range-step", msg["sweep-range-step"]());
    return [];
  }
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > MAX_RANGE_VALUES) {
    report("sweep-range-too-long", msg["sweep-range-too-long"](count, MAX_RANGE_VALUES));
    return [];
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(Number((from + i * step).toPrecision(12)));
  return out;
}

