/**
 * The end-of-run summary as data (counts, failures, key results per series, the reference
 * comparison, `expect:` outcomes, files written) and as plain text lines. The dashboard
 * draws the same data with Ink components; CI logs get `summaryLines`.
 */
import { formatParam } from "../dsl/format-value.js";
import type { ResultsDocument } from "../run/results.js";
import { notChecked } from "../run/expect.js";
import type { Curve } from "./axes.js";
import type { FigureData } from "./figure-data.js";
import { formatMetric, metricKind, metricLabel, metricValue } from "./labels.js";
import { sparkline } from "./series.js";

export interface KeyResult {
  series: string;
  placement?: "kernel" | "user";
  /** "peak 832.1 Mb/s at 850 Mb/s", "51.4% at 1000/s … 56.3% at 20000/s". */
  items: { metric: string; text: string }[];
}

export interface ReferenceRow {
  series: string;
  metric: string;
  /** What was stated: "peak throughput", "CPU at offered load 720 Mb/s". */
  what: string;
  paper: string;
  run?: string;
  /** Signed difference: relative ("−2.1%"), or in percentage points for fractions ("+0.4 pt"). */
  diff?: string;
  /** Why there is no `run`, in words. */
  missing?: string;
  note: string;
}

export interface SummaryData {
  name: string;
  quick: boolean;
  partial: boolean;
  stoppedBy?: string;
  wallSeconds: number;
  counts: { total: number; ok: number; failed: number; crashed: number; notRun: number };
  failures: { id: string; status: string; error: string }[];
  /** The swept parameter the key results are read along, as a label. */
  xLabel?: string;
  keyResults: KeyResult[];
  reference?: { name: string; provenance: string; rows: ReferenceRow[]; claims: string[]; notes: string[] };
  expect: ResultsDocument["expect"];
  written: string[];
  json: boolean;
  /** Say that nothing was written and how to get files: neither --json nor --out was given. */
  noFilesHint: boolean;
  /** Points served from the result cache, not simulated (a resumed or repeated run). */
  cached: number;
  notes: string[];
}

export interface RunFacts {
  written: string[];
  /** Why no figure was written with the other files (`--out`), if none was. */
  figureSkipped?: string;
  wallSeconds: number;
  stoppedBy?: string;
  json: boolean;
  /** Whether --out was given (its files are in `written`, or an error about it follows). */
  out?: boolean;
  /** Points served from the result cache. */
  cached?: number;
}

/** `x` (≥ 0, already scaled) to one decimal with the sign of `v`: ± when it rounds to 0 (never "−0.0"). */
function signed1(v: number, x: number): string {
  const s = x.toFixed(1);
  return `${Number(s) === 0 ? "±" : v < 0 ? "−" : "+"}${s}`;
}

function signedPercent(r: number): string {
  return `${signed1(r, Math.abs(r) * 100)}%`;
}

/** A difference of two fractions in percentage points: "+0.4 pt". */
function signedPoints(d: number): string {
  return `${signed1(d, Math.abs(d) * 100)} pt`;
}

function curveText(c: Curve, fx: (x: number) => string): string {
  const pts = c.points;
  const f = (v: number) => formatMetric(c.metric, v);
  if (pts.length === 1) return `${f(pts[0]!.y)} at ${fx(pts[0]!.x)}`;
  if (metricKind(c.metric) === "data_rate") {
    const peak = pts.reduce((a, b) => (b.y > a.y ? b : a));
    return `peak ${f(peak.y)} at ${fx(peak.x)}`;
  }
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  return `${f(first.y)} at ${fx(first.x)} … ${f(last.y)} at ${fx(last.x)}`;
}

/** Metrics of a point with faults: detection, recovery, work lost, what got through meanwhile, and its series. */
const RECOVERY_METRICS = ["fault.detect_s", "fault.recover_s", "drops.driver_fault", "fault.outage_throughput_bits_per_s"];

function recoveryItems(p: ResultsDocument["points"][number], lostUnit: string): KeyResult["items"] {
  if (p.metrics.fault === undefined) return [];
  // How many struck first: a fault timed after the run's end (a --quick run is ten times
  // shorter) strikes none, and the figures after it would otherwise look like a recovery.
  const injected = metricValue(p.metrics, "fault.injected");
  const struck = injected === undefined ? [] : [{ metric: "fault.injected", text: injected === 0 ? "0 (none struck in the measurement window)" : String(injected) }];
  const items = RECOVERY_METRICS.flatMap((m) => {
    const v = metricValue(p.metrics, m);
    if (v === undefined) return [];
    // Work lost is a count of what the workload moves: packets, or read requests.
    return [{ metric: m, text: m === "drops.driver_fault" ? `${formatMetric(m, v)} ${v === 1 ? lostUnit : `${lostUnit}s`}` : formatMetric(m, v) }];
  });
  if (p.series?.throughput_bits_per_s.length) items.push({ metric: "series", text: sparkline(p.series.throughput_bits_per_s) });
  return [...struck, ...items];
}

/** `from 880 Mb/s (socket_rcvbuf)`: the first x at which the series dropped work, and where most of it went there. */
function firstDropsText(c: Curve, doc: ResultsDocument, fx: (x: number) => string): string | undefined {
  for (const cp of c.points) {
    const drops = doc.points.find((p) => p.id === cp.id)?.metrics.drops as Record<string, unknown> | undefined;
    if (!drops) continue;
    const stages = Object.entries(drops).filter((e): e is [string, number] => typeof e[1] === "number" && e[1] > 0 && e[0] !== "driver_fault");
    if (stages.length === 0) continue;
    const [top] = stages.sort((a, b) => b[1] - a[1]);
    return `from ${fx(cp.x)} (${top![0]}${stages.length > 1 ? ` and ${stages.length - 1} more` : ""})`;
  }
  return undefined;
}

export function buildSummary(doc: ResultsDocument, fig: FigureData, facts: RunFacts): SummaryData {
  const n = doc.scenario.normalised;
  const count = (s: string) => doc.points.filter((p) => p.status === s).length;
  const { axes } = fig;
  const fx = (x: number) => (axes.x ? formatParam(n, axes.x, x) : String(x));
  const wl = n.workload as { type?: unknown } | undefined;
  const lostUnit = wl?.type === "disk-read" ? "request" : "packet";

  const keyResults: KeyResult[] = [];
  if (axes.x) {
    for (const c of fig.curves) {
      if (c.points.length === 0) continue;
      let k = keyResults.find((r) => r.series === c.label);
      if (!k) keyResults.push((k = { series: c.label, ...(c.placement ? { placement: c.placement } : {}), items: [] }));
      k.items.push({ metric: c.metric, text: curveText(c, fx) });
    }
    // Where a series starts to lose packets, and at which stage: what bends its curve.
    for (const c of fig.curves.filter((q) => q.metric === fig.axes.y[0])) {
      const text = firstDropsText(c, doc, fx);
      if (text) keyResults.find((r) => r.series === c.label)?.items.push({ metric: "drops", text });
    }
  } else {
    // No numeric axis: the y metrics of each finished point (at most a screenful), with its
    // recovery figures when it had faults (a crashed point too: what it measured until then).
    for (const p of doc.points.filter((q) => q.status === "ok" || q.status === "crashed").slice(0, 12)) {
      // A crashed point (a simulated kernel crash) measured only until the crash: say so on its line.
      const label = (Object.entries(p.params).map(([k, v]) => `${axes.labels[k] ?? k}=${formatParam(n, k, v)}`).join(" ") || p.id) + (p.status === "crashed" ? " (crashed)" : "");
      const items = axes.y.flatMap((m) => {
        const v = metricValue(p.metrics, m);
        return v === undefined ? [] : [{ metric: m, text: formatMetric(m, v) }];
      });
      keyResults.push({ series: label, items: [...items, ...recoveryItems(p, lostUnit)] });
    }
  }
  if (axes.x) {
    // Along a numeric axis the curves say the rest; the recovery figures get a line per point.
    for (const p of doc.points.filter((q) => q.metrics.fault !== undefined).slice(0, 12)) {
      const label = Object.entries(p.params).map(([k, v]) => `${axes.labels[k] ?? k}=${formatParam(n, k, v)}`).join(" ") || p.id;
      keyResults.push({ series: label, items: recoveryItems(p, lostUnit) });
    }
  }

  const reference = fig.overlay
    ? {
        name: fig.overlay.name,
        provenance: fig.overlay.provenance,
        claims: fig.overlay.claims,
        notes: fig.overlay.notes,
        rows: fig.comparisons.map((c): ReferenceRow => ({
          series: c.point.series,
          metric: c.point.metric,
          what: c.point.peak
            ? `peak ${metricLabel(c.point.metric)}`
            : `${metricLabel(c.point.metric)} at ${axes.x ? `${axes.labels[axes.x] ?? axes.x} ` : ""}${fx(c.point.x)}`,
          paper: formatMetric(c.point.metric, c.point.y),
          ...(c.run !== undefined ? { run: `${formatMetric(c.point.metric, c.run)}${c.runX !== undefined ? ` at ${fx(c.runX)}` : ""}` } : {}),
          ...(c.run !== undefined && metricKind(c.point.metric) === "fraction"
            ? { diff: signedPoints(c.run - c.point.y) }
            : c.relative !== undefined
              ? { diff: signedPercent(c.relative) }
              : {}),
          ...(c.run === undefined
            ? { missing: c.unfinished ? "not compared: the run stopped before this series finished" : "no run value there (outside the sweep, or not run)" }
            : {}),
          note: c.point.note,
        })),
      }
    : undefined;

  return {
    name: doc.scenario.name,
    quick: doc.quick,
    partial: doc.partial,
    ...(facts.stoppedBy ? { stoppedBy: facts.stoppedBy } : {}),
    wallSeconds: facts.wallSeconds,
    counts: { total: doc.points.length, ok: count("ok"), failed: count("failed"), crashed: count("crashed"), notRun: count("not-run") },
    failures: doc.points.filter((p) => p.status === "failed" || p.status === "crashed").map((p) => ({ id: p.id, status: p.status, error: p.error ?? "" })),
    ...(axes.x ? { xLabel: axes.labels[axes.x] ?? axes.x } : {}),
    keyResults,
    ...(reference ? { reference } : {}),
    expect: doc.expect,
    written: facts.written,
    json: facts.json,
    noFilesHint: !facts.json && !facts.out && facts.written.length === 0,
    cached: facts.cached ?? 0,
    notes: [...axes.notes, ...shardNotes(doc), ...(facts.figureSkipped ? [facts.figureSkipped] : [])],
  };
}

/** A shard's document has no check outcomes: the checks need every point, so `merge` evaluates them. */
function shardNotes(doc: ResultsDocument): string[] {
  if (doc.shard && doc.points.length === 0) return [`shard ${doc.shard.index}/${doc.shard.count} has no points: the plan has fewer points than shards (its document still counts for merge)`];
  const checks = Array.isArray(doc.scenario.normalised.expect) ? doc.scenario.normalised.expect.length : 0;
  if (!doc.shard || checks === 0) return [];
  return [`shard ${doc.shard.index}/${doc.shard.count}: ${checks === 1 ? "the expect: check is" : `the ${checks} expect: checks are`} evaluated by \`loopdrv merge\` over every point`];
}

/** Under the paper's claims, which are quoted, not judged (the stated values above are). */
export const CLAIMS_NOTE = "(the claims are quoted, not checked here: docs/validation.md compares the model with each)";

/** "6 ok, 1 failed, 3 not run (stopped by q) in 2.4 s". */
export function countsLine(s: SummaryData): string {
  const c = s.counts;
  const parts = [`${c.ok} ok`];
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.crashed) parts.push(`${c.crashed} crashed`);
  if (c.notRun) parts.push(`${c.notRun} not run${s.stoppedBy ? ` (stopped by ${s.stoppedBy})` : ""}`);
  const cached = s.cached ? ` (${s.cached === c.total ? "all" : s.cached} from the cache)` : "";
  return `${s.name}: ${parts.join(", ")} of ${c.total} point${c.total === 1 ? "" : "s"}${s.quick ? " (quick)" : ""} in ${s.wallSeconds.toFixed(1)} s${cached}${s.partial ? " — partial results" : ""}`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/** The `expect:` outcomes as plain lines (none without checks): the count, then each check. */
export function expectLines(expect: SummaryData["expect"]): string[] {
  if (!expect.length) return [];
  return [expectCountLine(expect), ...expect.map((x) => `  ${notChecked(x) ? "skip" : x.passed ? "pass" : "FAIL"} ${x.name} — ${x.detail}`)];
}

/**
 * What makes the exit code non-zero, for output that has no summary (--quiet, merge): the
 * failed points, then the checks if one failed.
 */
export function failureLines(doc: ResultsDocument): string[] {
  return [...failedPointLines(doc), ...(doc.expect.some((x) => !x.passed) ? expectLines(doc.expect) : [])];
}

/** `p3 failed: <error>` for each point that failed (an internal error: exit 3). */
export function failedPointLines(doc: ResultsDocument): string[] {
  return doc.points.filter((p) => p.status === "failed").map((p) => `${p.id} failed: ${p.error ?? ""}`);
}

/** `expect: 3 passed, 1 failed` (and how many could not be checked, if any). */
export function expectCountLine(expect: SummaryData["expect"]): string {
  const failed = expect.filter((x) => !x.passed).length;
  const skipped = expect.filter(notChecked).length;
  return `expect: ${expect.length - failed - skipped} passed, ${failed} failed${skipped ? `, ${skipped} not checked` : ""}`;
}

/** The summary as plain lines (no colour, no escape codes). */
export function summaryLines(s: SummaryData): string[] {
  const out: string[] = [countsLine(s)];
  for (const f of s.failures) out.push(`  ${f.id} ${f.status}: ${f.error}`);
  if (s.keyResults.length) {
    out.push(s.xLabel ? `key results, against ${s.xLabel}:` : "key results:");
    const w = Math.max(...s.keyResults.map((k) => k.series.length));
    for (const k of s.keyResults) out.push(`  ${pad(k.series, w)}  ${k.items.map((i) => `${metricLabel(i.metric)} ${i.text}`).join("; ") || "no values"}`);
  }
  if (s.reference) {
    out.push(`reference ${s.reference.name} (${s.reference.provenance}):`);
    for (const r of s.reference.rows) {
      const run = r.run ? `run ${r.run}${r.diff ? ` (${r.diff})` : ""}` : (r.missing ?? "");
      out.push(`  ${r.series} ${r.what}: paper ${r.paper}, ${run}${r.note ? ` — ${r.note}` : ""}`);
    }
    for (const c of s.reference.claims) out.push(`  paper: ${c}`);
    if (s.reference.claims.length) out.push(`  ${CLAIMS_NOTE}`);
    for (const nt of s.reference.notes) out.push(`  note: ${nt}`);
  }
  out.push(...expectLines(s.expect));
  for (const nt of s.notes) out.push(`note: ${nt}`);
  for (const w of s.written) out.push(`wrote ${w}`);
  if (s.noFilesHint) out.push("(no files written: add --out DIR or --json)");
  return out;
}
