/**
 * results.csv: one row per point, one column per parameter and per metric (RFC 4180).
 * Columns: `id`, `status`, the parameters (dotted paths, sweep order), every metric any
 * point has (nested ones flattened with dots: `cpu_breakdown.irq`, `drops.backlog`), in
 * the order of design §4 with `_sd` companions beside their metric, then `error`. Values
 * are the document's SI numbers in full precision; a metric a point lacks is empty.
 */
import { METRICS } from "../dsl/metrics.js";
import type { ResultsDocument } from "../run/results.js";
import { paramPathsOf } from "./figure-data.js";

function flatten(v: unknown, prefix: string, out: Map<string, unknown>): void {
  if (v && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, v);
}

/** Rank of a flattened metric column: design §4 order, `_sd` right after its metric, unknown last. */
function rank(col: string): [number, number, string] {
  const sd = col.endsWith("_sd") || /_sd\./.test(col);
  const base = col.replace(/_sd(?=\.|$)/, "");
  const i = METRICS.findIndex((m) => m.name === base || base.startsWith(`${m.name}.`));
  const group = METRICS.findIndex((m) => m.name.split(".")[0] === base.split(".")[0]);
  return [i >= 0 ? i : group >= 0 ? group : METRICS.length, sd ? 1 : 0, col];
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return "";
  const s = typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function resultsCsv(doc: ResultsDocument): string {
  const params = paramPathsOf(doc);
  const rows = doc.points.map((p) => {
    const m = new Map<string, unknown>();
    flatten(p.metrics, "", m);
    return { p, m };
  });
  const metricCols = [...new Set(rows.flatMap((r) => [...r.m.keys()]))].sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2].localeCompare(rb[2]);
  });
  const header = ["id", "status", ...params, ...metricCols, "error"];
  const lines = [header.map(cell).join(",")];
  for (const { p, m } of rows) {
    lines.push([p.id, p.status, ...params.map((k) => p.params[k]), ...metricCols.map((c) => m.get(c)), p.error].map(cell).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}
