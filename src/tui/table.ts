/**
 * The finished-points table: which columns fit the terminal and each row's cells. Columns
 * in order of importance (id, the varying parameters, the y metrics, the mechanism rates,
 * the wall time); the least important are dropped first when the terminal is narrow.
 */
import { formatParam } from "../dsl/format-value.js";
import { formatMetric, metricLabel, metricValue } from "../report/labels.js";
import { formatDuration } from "../report/progress.js";
import type { RunInfo } from "../report/run-info.js";
import type { PointResult } from "../run/runner.js";

export interface Column {
  key: string;
  title: string;
  width: number;
  align: "left" | "right";
  kind: "id" | "param" | "metric" | "wall";
}

export interface RowCells {
  cells: string[];
  /** "ok", "failed", "crashed", "not-run". */
  status: string;
  /** For a point that did not finish ok: what happened, shown across the metric columns. */
  problem?: string;
  cached: boolean;
}

const RATE_METRICS = ["interrupts_per_s", "driver_activations_per_s", "context_switches_per_s", "system_calls_per_s"];
/** Width of a metric value column: "1234.5 Mb/s", "100.0%", "12.3k/s". */
const METRIC_WIDTH = 11;
const GAP = 2;

export function tableColumns(info: RunInfo, y: readonly string[], width: number, labels: Readonly<Record<string, string>>): Column[] {
  const varying = info.paramPaths.filter((p) => new Set(info.points.map((q) => JSON.stringify(q.params[p]))).size > 1);
  const cols: Column[] = [{ key: "id", title: "id", width: Math.max(2, ...info.points.map((p) => p.id.length)), align: "left", kind: "id" }];
  for (const p of varying) {
    const vals = info.points.map((q) => formatParam(info.normalised, p, q.params[p]));
    const title = labels[p] ?? p;
    cols.push({ key: p, title, width: Math.max(title.length, ...vals.map((v) => v.length)), align: "left", kind: "param" });
  }
  const metrics = [...y, ...RATE_METRICS.filter((m) => !y.includes(m))];
  const optional: Column[] = metrics.map((m) => ({ key: m, title: metricLabel(m), width: Math.max(METRIC_WIDTH, metricLabel(m).length), align: "right", kind: "metric" }));
  optional.push({ key: "wall", title: "wall", width: 7, align: "right", kind: "wall" });
  const used = () => cols.reduce((n, c) => n + c.width + GAP, 0);
  for (const c of optional) {
    if (used() + c.width + GAP > width) break;
    cols.push(c);
  }
  return cols;
}

export function rowCells(info: RunInfo, r: PointResult, wallMs: number, cached: boolean, columns: readonly Column[]): RowCells {
  const cells = columns.map((c) => {
    if (c.kind === "id") return r.id;
    if (c.kind === "param") return formatParam(info.normalised, c.key, r.params[c.key]);
    if (c.kind === "wall") return cached ? "cached" : formatDuration(wallMs / 1000);
    if (r.status !== "ok") return "";
    const v = metricValue(r.metrics, c.key);
    return v === undefined ? "—" : formatMetric(c.key, v);
  });
  const problem = r.status === "ok" ? undefined : `${r.status}${r.error ? `: ${r.error}` : ""}`;
  return { cells, status: r.status, ...(problem ? { problem } : {}), cached };
}

/** Pad or cut a cell to its column. */
export function fit(text: string, width: number, align: "left" | "right"): string {
  if (text.length > width) return width > 1 ? text.slice(0, width - 1) + "…" : text.slice(0, width);
  const pad = " ".repeat(width - text.length);
  return align === "right" ? pad + text : text + pad;
}

export const COLUMN_GAP = GAP;
