/**
 * Metric values of the results document as numbers and as text: dotted access into a
 * point's nested metrics, a value written in a scenario (`700 Mb/s`, `61%`, `0.6`) read in
 * the metric's dimension, and a value shown in its unit. Shared by `expect:` and the
 * reporters, so a check's detail and the dashboard print the same number the same way.
 */
import { METRICS, type MetricKind } from "../dsl/metrics.js";
import { formatQuantity, parseQuantity } from "../dsl/units.js";

/** The kind of a metric name (its `_sd` companion has the same kind). */
export function metricKind(name: string): MetricKind | undefined {
  const base = name.endsWith("_sd") ? name.slice(0, -3) : name;
  return METRICS.find((m) => m.name === base)?.kind;
}

/** A metric's value in a point's metrics by dotted name (`drops.backlog`); finite numbers only. */
export function metricValue(metrics: Readonly<Record<string, unknown>> | undefined, name: string): number | undefined {
  let cur: unknown = metrics;
  for (const seg of name.split(".")) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return typeof cur === "number" && Number.isFinite(cur) ? cur : undefined;
}

/**
 * A value written for `metric` in a scenario, in SI: a data rate or time with its unit, an
 * event rate (`5000/s`), a fraction as a number or a percentage (`0.61`, `61%`), a count.
 */
export function parseMetricValue(metric: string, v: unknown): { ok: true; si: number } | { ok: false; message: string } {
  if (typeof v === "number" && Number.isFinite(v)) return { ok: true, si: v };
  if (typeof v !== "string") return { ok: false, message: `expected a number or a quantity, got ${JSON.stringify(v)}` };
  const kind = metricKind(metric);
  if (kind === "fraction" || kind === "count" || kind === undefined) {
    const m = /^\s*(-?[0-9][0-9_]*(?:\.[0-9]+)?(?:e-?[0-9]+)?)\s*(%?)\s*$/i.exec(v);
    if (!m) return { ok: false, message: `cannot read ${JSON.stringify(v)} as a ${kind === "fraction" ? "fraction (0.61 or 61%)" : "number"}` };
    const n = Number(m[1]!.replace(/_/g, ""));
    return { ok: true, si: m[2] ? n / 100 : n };
  }
  const r = parseQuantity(v, kind);
  return r.ok ? { ok: true, si: r.quantity.si } : { ok: false, message: r.error.message };
}

/** Event rates: whole numbers below 10 000/s, then k/s and M/s with three digits. */
export function formatRate(perS: number): string {
  const a = Math.abs(perS);
  if (a < 10_000) return `${Math.round(perS)}/s`;
  if (a < 10_000_000) return `${(perS / 1e3).toPrecision(3)}k/s`;
  return `${(perS / 1e6).toPrecision(3)}M/s`;
}

/** A fraction 0..1 as a percentage with one decimal: "51.2%". */
export function formatPercent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** A metric value in its unit: "832.1 Mb/s", "51.2%", "5000/s", "12", "1.2 ms". */
export function formatMetric(name: string, v: number): string {
  switch (metricKind(name)) {
    case "data_rate":
      return formatQuantity(v, "data_rate");
    case "fraction":
      return formatPercent(v);
    case "event_rate":
      return formatRate(v);
    case "time":
      return formatQuantity(v, "time");
    case "count":
      return Number.isInteger(v) ? String(v) : v.toFixed(1);
    default:
      return String(Number(v.toPrecision(4)));
  }
}
