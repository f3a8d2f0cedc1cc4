/**
 * Plain progress lines for CI logs and pipes: one line per finished point, at most
 * MAX_PROGRESS_LINES however long the run, then a summary. No escape codes unless colour
 * is on.
 */
import { formatParam } from "../dsl/format-value.js";
import type { Plan } from "../dsl/plan.js";
import type { Reporter, RunSummary } from "../run/reporter.js";
import type { ProgressEvent } from "../run/runner.js";

export const MAX_PROGRESS_LINES = 40;

function pct(x: unknown): string {
  return typeof x === "number" ? `${(x * 100).toFixed(1)}%` : "—";
}

export function plainReporter(plan: Plan, write: (text: string) => void): Reporter {
  const n = plan.points.length;
  const every = Math.max(1, Math.ceil(n / MAX_PROGRESS_LINES));
  const width = String(n).length;
  let done = 0;
  return {
    onEvent(e: ProgressEvent) {
      if (e.type === "start") {
        write(`${plan.name}: ${n} point${n === 1 ? "" : "s"}${plan.quick ? " (quick)" : ""}\n`);
        return;
      }
      if (e.type !== "point-done") return;
      done++;
      if (done % every !== 0 && done !== n) return;
      const r = e.result;
      const params = Object.entries(r.params)
        .map(([k, v]) => `${k}=${formatParam(plan.points[e.index]!.scenario, k, v)}`)
        .join(" ");
      const what = r.status === "ok" ? `cpu ${pct(r.metrics.cpu_utilization)}` : `${r.status}: ${r.error ?? ""}`;
      write(`[${String(done).padStart(width)}/${n}] ${r.id} ${params}  ${r.status === "ok" ? "ok" : "FAILED"}  ${what}\n`);
    },
    finish(s: RunSummary) {
      const pts = s.doc.points;
      const ok = pts.filter((p) => p.status === "ok").length;
      const failed = pts.filter((p) => p.status === "failed");
      const notRun = pts.filter((p) => p.status === "not-run").length;
      write(`\n${ok} ok, ${failed.length} failed${notRun ? `, ${notRun} not run (stopped by ${s.stoppedBy ?? "request"})` : ""} in ${s.wallSeconds.toFixed(1)} s\n`);
      for (const f of failed) write(`  ${f.id}: ${f.error}\n`);
      for (const x of s.doc.expect) write(`  expect ${x.passed ? "passed" : "FAILED"}: ${x.name} — ${x.detail}\n`);
      for (const w of s.written) write(`wrote ${w}\n`);
      if (!s.json && s.written.length === 0) write("(no files written: add --out DIR or --json)\n");
    },
  };
}
