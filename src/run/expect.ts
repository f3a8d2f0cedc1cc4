/**
 * `expect:` checks (scenario language: metric, where, at, op, value | ratio, tolerance),
 * evaluated on the finished results document, so a merged or reloaded document gives the
 * same outcomes as the run that made it.
 *
 * - `where` selects points by parameter (a dotted path; the point's swept value, else the
 *   scenario's value), written with units as in the scenario (`850 Mb/s`).
 * - `at: point` needs exactly one selected point; `peak` takes the one where the metric is
 *   largest; `all` (the default) requires every selected point to pass.
 * - `value` is in the metric's dimension (`700 Mb/s`, `0.6`, `60%`). `ratio` compares with
 *   `factor` × the other selection's value: its `at: point|peak` gives one value; `all`
 *   pairs each point with the one that differs only in the `where` parameters (user vs
 *   kernel at the same offered load).
 * - `tolerance` is relative and applies to `==` and `!=`.
 *
 * Only points that finished `ok` carry values; a check whose selection has none fails.
 */
import { formatParam } from "../dsl/format-value.js";
import { sdOf } from "../dsl/metrics.js";
import { isPlainObject } from "../dsl/pointer.js";
import { matchesWhere, sameValue } from "../dsl/where.js";
import { formatMetric, metricValue, parseMetricValue } from "./metric-values.js";
import type { ResultsDocument } from "./results.js";
import type { PointResult } from "./runner.js";

export type ExpectOutcome = ResultsDocument["expect"][number];

/**
 * The detail of a check this run could not evaluate, which does not fail it: a standard
 * deviation in a `--quick` run (one repetition). The document keeps design §4's shape
 * (`passed: true`); reporters show it as skipped.
 */
export const NOT_CHECKED = "not checked: ";

export function notChecked(o: ExpectOutcome): boolean {
  return o.passed && o.detail.startsWith(NOT_CHECKED);
}

type Op = "<" | "<=" | ">" | ">=" | "==" | "!=";
type At = "point" | "peak" | "all";

interface Check {
  name?: string;
  metric: string;
  where?: Record<string, unknown>;
  at?: At;
  op: Op;
  value?: unknown;
  ratio?: { where?: Record<string, unknown>; at?: At; factor?: number };
  tolerance?: number;
}

const OPS: Record<Op, (a: number, b: number, tol: number) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "==": (a, b, tol) => Math.abs(a - b) <= tol * Math.abs(b),
  "!=": (a, b, tol) => Math.abs(a - b) > tol * Math.abs(b),
};

interface Picked {
  point: PointResult;
  value: number;
}

type Selection = { ok: true; picked: Picked[]; skipped: number } | { ok: false; detail: string };

function describeWhere(where: Readonly<Record<string, unknown>> | undefined): string {
  const e = Object.entries(where ?? {});
  return e.length ? e.map(([k, v]) => `${k.split(".").pop()}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ") : "every point";
}

function select(doc: ResultsDocument, metric: string, where: Check["where"], at: At): Selection {
  const normalised = doc.scenario.normalised;
  const chosen = doc.points.filter((p) => matchesWhere(p, normalised, where));
  if (chosen.length === 0) return { ok: false, detail: `no point matches ${describeWhere(where)}` };
  if (at === "point" && chosen.length !== 1) {
    return { ok: false, detail: `${describeWhere(where)} selects ${chosen.length} points; at: point needs exactly one` };
  }
  const finished = chosen.filter((p) => p.status === "ok");
  if (finished.length === 0) return { ok: false, detail: `no finished point matches ${describeWhere(where)} (${chosen.map((p) => `${p.id} ${p.status}`).join(", ")})` };
  const picked: Picked[] = [];
  for (const p of finished) {
    const value = metricValue(p.metrics, metric);
    if (value === undefined) return { ok: false, detail: `${p.id} has no ${metric}` };
    picked.push({ point: p, value });
  }
  const skipped = chosen.length - finished.length;
  if (at === "peak") {
    const best = picked.reduce((a, b) => (b.value > a.value ? b : a));
    return { ok: true, picked: [best], skipped };
  }
  return { ok: true, picked, skipped };
}

function defaultName(c: Check): string {
  const rhs = c.ratio ? `${c.ratio.factor ?? 1} × ${describeWhere(c.ratio.where)}${c.ratio.at === "peak" ? " peak" : ""}` : String(c.value);
  return `${c.metric}${c.at === "peak" ? " peak" : ""} of ${describeWhere(c.where)} ${c.op} ${rhs}`;
}

function pointText(doc: ResultsDocument, p: PointResult): string {
  const ps = Object.entries(p.params).map(([k, v]) => `${k.split(".").pop()}=${formatParam(doc.scenario.normalised, k, v)}`);
  return ps.length ? `${p.id} (${ps.join(" ")})` : p.id;
}

/** Points of `b` paired with `a`: same params except the paths `where` keys name. */
function counterpart(a: PointResult, candidates: Picked[], ignore: string[]): Picked | undefined {
  const ignored = (k: string) => ignore.some((w) => k === w || k.endsWith(`.${w}`));
  return candidates.find((c) => Object.keys(a.params).every((k) => ignored(k) || sameValue(a.params[k], c.point.params[k])));
}

export function evaluateCheck(doc: ResultsDocument, c: Check): ExpectOutcome {
  const name = c.name ?? defaultName(c);
  const at: At = c.at ?? "all";
  const tol = c.tolerance ?? 0;
  const fail = (detail: string): ExpectOutcome => ({ name, passed: false, detail });
  const fmt = (v: number) => formatMetric(c.metric, v);
  if (doc.quick && sdOf(c.metric) !== undefined && !doc.points.some((p) => metricValue(p.metrics, c.metric) !== undefined)) {
    return { name, passed: true, detail: `${NOT_CHECKED}--quick runs one repetition, so there is no standard deviation` };
  }
  const lhs = select(doc, c.metric, c.where, at);
  if (!lhs.ok) return fail(lhs.detail);

  // Each comparison: left point, its value, the value it is held against, and how that was got.
  const rows: { p: PointResult; a: number; b: number; how: string }[] = [];
  if (c.ratio) {
    const rat = c.ratio;
    const factor = rat.factor ?? 1;
    const rAt: At = rat.at ?? "all";
    const rhs = select(doc, c.metric, rat.where, rAt);
    if (!rhs.ok) return fail(`ratio: ${rhs.detail}`);
    for (const l of lhs.picked) {
      const r = rAt === "all" ? counterpart(l.point, rhs.picked, [...Object.keys(c.where ?? {}), ...Object.keys(rat.where ?? {})]) : rhs.picked[0];
      if (!r) return fail(`${l.point.id} has no counterpart in ${describeWhere(rat.where)}`);
      rows.push({ p: l.point, a: l.value, b: factor * r.value, how: `${factor === 1 ? "" : `${factor} × `}${fmt(r.value)} at ${r.point.id}` });
    }
  } else {
    const want = parseMetricValue(c.metric, c.value);
    if (!want.ok) return fail(`value: ${want.message}`);
    for (const l of lhs.picked) rows.push({ p: l.point, a: l.value, b: want.si, how: fmt(want.si) });
  }

  const bad = rows.filter((r) => !OPS[c.op](r.a, r.b, tol));
  const skipped = lhs.skipped ? ` (${lhs.skipped} selected point${lhs.skipped === 1 ? "" : "s"} not finished)` : "";
  const tolText = (c.op === "==" || c.op === "!=") && tol ? ` within ${(tol * 100).toPrecision(3)}%` : "";
  const show = (r: (typeof rows)[number], op: string) => `${at === "peak" ? "peak " : ""}${fmt(r.a)} at ${pointText(doc, r.p)} ${op} ${r.how}${tolText}`;
  if (bad.length) {
    const first = bad[0]!;
    const more = bad.length > 1 ? ` (and ${bad.length - 1} more of ${rows.length})` : "";
    return fail(`${show(first, `is not ${c.op}`)}${more}${skipped}`);
  }
  if (rows.length === 1) return { name, passed: true, detail: `${show(rows[0]!, c.op)}${skipped}` };
  // Every point passed: show the one closest to failing.
  const margin = (r: (typeof rows)[number]) => (c.op.startsWith("<") ? r.b - r.a : c.op.startsWith(">") ? r.a - r.b : Math.abs(r.a - r.b));
  const closest = rows.reduce((x, y) => (margin(y) < margin(x) ? y : x));
  return { name, passed: true, detail: `all ${rows.length} points; closest: ${show(closest, c.op)}${skipped}` };
}

/** The scenario's checks, as recorded in the document (`scenario.normalised.expect`). */
export function checksOf(doc: ResultsDocument): Check[] {
  const list = doc.scenario.normalised.expect;
  return Array.isArray(list) ? (list.filter((c) => isPlainObject(c)) as unknown as Check[]) : [];
}

/** Every `expect:` check of the document's scenario, evaluated against its points. */
export function evaluateExpectations(doc: ResultsDocument): ExpectOutcome[] {
  return checksOf(doc).map((c) => evaluateCheck(doc, c));
}
