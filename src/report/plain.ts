/**
 * Plain progress lines for CI logs, pipes and dumb terminals: never a redraw, never an
 * escape code unless colour is on, and a bounded number of lines however long the run:
 *
 *   - a header line;
 *   - at most MAX_PROGRESS_LINES lines for finished points (with many points, every k-th);
 *   - at most MAX_PROGRESS_LINES heartbeat lines while a long point runs, each when the
 *     whole run has crossed another 1/MAX_PROGRESS_LINES of its work and at least
 *     HEARTBEAT_MS have passed since the last line;
 *   - the summary (summary.ts), whose length depends on the scenario, not on the run time.
 */
import { formatParam } from "../dsl/format-value.js";
import type { Reporter, RunSummary } from "../run/reporter.js";
import type { ProgressEvent } from "../run/runner.js";
import { figureDataOfDoc } from "./figure-data.js";
import { formatMetric, metricLabel, metricValue, paramLabels } from "./labels.js";
import { formatCount, formatDuration, ProgressTracker } from "./progress.js";
import type { RunInfo } from "./run-info.js";
import { buildSummary, summaryLines } from "./summary.js";

export const MAX_PROGRESS_LINES = 40;
/** Least time between two heartbeat lines, ms. */
export const HEARTBEAT_MS = 10_000;

/** Metrics a point line shows, when measured. */
const LINE_METRICS = ["throughput_bits_per_s", "cpu_utilization"];

export interface PlainOptions {
  /** Colour the status words (FORCE_COLOR on a pipe); off by default. */
  color?: boolean;
  /** Wall clock, ms (tests pass a fake one). */
  now?: () => number;
}

export function plainReporter(info: RunInfo, write: (text: string) => void, opts: PlainOptions = {}): Reporter {
  const now = opts.now ?? (() => Date.now());
  const paint = (code: number, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[39m` : s);
  const tracker = new ProgressTracker(info.work);
  const labels = paramLabels(info.paramPaths);
  let n = info.points.length;
  let every = Math.max(1, Math.ceil(n / MAX_PROGRESS_LINES));
  let width = String(n).length;
  let done = 0;
  let heartbeats = 0;
  let lastLineMs = now();

  const line = (text: string) => {
    lastLineMs = now();
    write(text + "\n");
  };
  const progressText = () => {
    const s = tracker.snapshot(now());
    const eta = s.etaS !== undefined ? ` · ETA ${formatDuration(s.etaS)}` : "";
    const speed = s.eventsPerS !== undefined ? ` · ${formatCount(s.eventsPerS)} events/s, ${s.simSecondsPerS!.toPrecision(3)} sim s per s` : "";
    return { s, text: `${(s.fraction * 100).toFixed(0)}% of the work${eta}${speed}` };
  };

  return {
    onEvent(e: ProgressEvent) {
      const t = now();
      tracker.onEvent(e, t);
      if (e.type === "start") {
        n = e.total;
        every = Math.max(1, Math.ceil(n / MAX_PROGRESS_LINES));
        width = String(n).length;
        const header = [
          `${info.name}: ${info.shard ? `${n} of ${info.points.length} points (shard ${info.shard.index}/${info.shard.count})` : `${n} point${n === 1 ? "" : "s"}`}${info.quick ? " (quick)" : ""}`,
          info.sets.length ? `--set ${info.sets.join(", ")}` : "",
          info.variants.length ? `comparing ${info.variants.join(", ")}` : "",
          info.x ? `x: ${info.x}` : "",
        ].filter(Boolean);
        line(header.join(" · "));
        return;
      }
      if (e.type === "slice") {
        if (heartbeats >= MAX_PROGRESS_LINES || t - lastLineMs < HEARTBEAT_MS) return;
        const { s, text } = progressText();
        if (s.fraction * MAX_PROGRESS_LINES < heartbeats + 1) return;
        heartbeats++;
        const r = s.running.map((p) => `${p.id} ${(p.fraction * 100).toFixed(0)}%`).join(", ");
        line(`  … ${s.done}/${s.total} points done, running ${r} · ${text}`);
        return;
      }
      if (e.type !== "point-done") return;
      done++;
      if (done % every !== 0 && done !== n) return;
      const r = e.result;
      const params = info.paramPaths
        .filter((k) => k in r.params)
        .map((k) => `${labels[k] ?? k}=${formatParam(info.normalised, k, r.params[k])}`)
        .join(" ");
      let what: string;
      if (r.status === "ok") {
        const shown = LINE_METRICS.flatMap((m) => {
          const v = metricValue(r.metrics, m);
          return v === undefined ? [] : [`${metricLabel(m)} ${formatMetric(m, v)}`];
        });
        what = `${paint(32, "ok")}  ${shown.join("  ")}${e.cached ? "  (cached)" : ""}`;
      } else what = `${paint(31, r.status.toUpperCase())}: ${r.error ?? ""}`;
      const eta = progressText().s.etaS;
      const etaText = eta !== undefined && done < n ? `  · ETA ${formatDuration(eta)}` : "";
      line(`[${String(done).padStart(width)}/${n}] ${r.id} ${params}  ${what}${etaText}`);
    },
    finish(s: RunSummary) {
      const summary = buildSummary(s.doc, figureDataOfDoc(s.doc), s); // a RunSummary is RunFacts and more
      write("\n");
      for (const l of summaryLines(summary)) {
        const coloured = l.startsWith("  FAIL ") ? `  ${paint(31, "FAIL")}${l.slice(6)}` : l.startsWith("  pass ") ? `  ${paint(32, "pass")}${l.slice(6)}` : l;
        write(coloured + "\n");
      }
    },
  };
}
