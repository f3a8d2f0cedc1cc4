/**
 * Metric values of the results document as numbers and as text: dotted access into a
 * point's nested metrics, a value written in a scenario (`700 Mb/s`, `61%`, `0.6`) read in
 * the metric's dimension, and a value shown in its unit. Shared by `expect:` and the
 * reporters, so a check's detail and the dashboard print the same number the same way.
 */
import { metricKind, parseMetricValue } from "../dsl/metrics.js";
import { formatQuantity } from "../dsl/units.js";

// Read where scenarios are checked (src/dsl), shown from here.
export { metricKind, parseMetricValue };

/** A metric's value in a point's metrics by dotted name (`drops.backlog`); finite numbers only. */
export function metricValue(metrics: Readonly<Record<string, unknown>> | undefined, name: string): number | undefined {
  let cur: unknown = metrics;
  for (const seg of name.split(".")) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return typeof cur === "number" && Number.isFinite(cur) ? cur : undefined;
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
