/**
 * The metric names of the results document (design §4). They are a contract: `expect:`
 * checks, CSV columns, the dashboard and figures all use these names.
 */
import { suggestName } from "./suggest.js";
import { parseQuantity } from "./units.js";

export type MetricKind = "data_rate" | "fraction" | "event_rate" | "count" | "time";

export interface MetricInfo {
  name: string;
  kind: MetricKind;
  description: string;
}

export const CPU_CLASSES = ["irq", "softirq", "stack", "driver", "context_switch", "syscall", "application", "idle"] as const;
export const DROP_STAGES = [
  "switch",
  "nic_fifo",
  "rx_ring",
  "backlog",
  "socket_rcvbuf",
  "loopback_ring",
  "late_reply",
  "driver_fault",
] as const;
export const LATENCY_STATS = ["p50", "p90", "p99", "max"] as const;

/** `fault` metrics (scenarios with `faults:`; src/model/faults/log.ts). */
export const FAULT_METRICS: readonly MetricInfo[] = [
  { name: "fault.injected", kind: "count", description: "driver faults that struck in the measurement window" },
  { name: "fault.restarts", kind: "count", description: "of those, the driver served again after a restart" },
  { name: "fault.detect_s", kind: "time", description: "time to detect a fault (mean): to the supervisor knowing of the death, or of missed heartbeats" },
  { name: "fault.recover_s", kind: "time", description: "time to recover (mean): from detection to the restarted driver serving again" },
  { name: "fault.outage_s", kind: "time", description: "outage (mean): from the fault to the restarted driver serving again" },
  { name: "fault.outage_throughput_bits_per_s", kind: "data_rate", description: "payload delivered during outages, per second of outage" },
];

export const METRICS: readonly MetricInfo[] = [
  { name: "throughput_bits_per_s", kind: "data_rate", description: "payload bits per second: echoed UDP payload, or bytes read × 8" },
  { name: "offered_bits_per_s", kind: "data_rate", description: "offered payload bits per second, measured at the clients" },
  { name: "cpu_utilization", kind: "fraction", description: "CPU utilisation 0..1, measured by the idle-thread method" },
  ...CPU_CLASSES.map((c) => ({
    name: `cpu_breakdown.${c}`,
    kind: "fraction" as const,
    description: `fraction of CPU time spent in ${c} (exact accounting)`,
  })),
  { name: "interrupts_per_s", kind: "event_rate", description: "device interrupts per second" },
  { name: "driver_activations_per_s", kind: "event_rate", description: "user-level driver wake-ups per second, including simulated interrupts" },
  { name: "context_switches_per_s", kind: "event_rate", description: "context switches per second" },
  { name: "system_calls_per_s", kind: "event_rate", description: "system calls per second" },
  ...DROP_STAGES.map((s) => ({ name: `drops.${s}`, kind: "count" as const, description: `packets or requests dropped at stage ${s}` })),
  ...LATENCY_STATS.map((s) => ({ name: `latency_s.${s}`, kind: "time" as const, description: `reply latency, ${s}` })),
  ...FAULT_METRICS,
];

/**
 * The standard deviation's name of a metric, as the results document holds it: the `_sd`
 * companion of a top-level key (`throughput_bits_per_s_sd`, `cpu_breakdown_sd.driver`, a
 * group's deviations side by side in a group of their own).
 */
export function sdName(metric: string): string {
  const dot = metric.indexOf(".");
  return dot < 0 ? `${metric}_sd` : `${metric.slice(0, dot)}_sd${metric.slice(dot)}`;
}

/** The metric a standard deviation's name is of (`cpu_breakdown_sd.driver` → `cpu_breakdown.driver`), or undefined. */
export function sdOf(name: string): string | undefined {
  const m = /^([^.]+)_sd(\..+)?$/.exec(name);
  return m ? `${m[1]}${m[2] ?? ""}` : undefined;
}

/**
 * The metric name meant by an unknown `word`: for a word ending `_sd`, the deviation of the
 * metric nearest the rest (`cpu_breakdown.driver_sd` → `cpu_breakdown_sd.driver`,
 * `throughput_sd` → `throughput_bits_per_s_sd`), else the nearest name.
 */
export function suggestMetric(word: string, names: readonly string[]): string | undefined {
  if (word.endsWith("_sd") && !names.includes(word)) {
    // A deviation meant: the metric it is of, then its deviation's name (`throughput_sd`,
    // `cpu_breakdown.drivr_sd`), never the mean's.
    const of = suggestName(word.slice(0, -3), names.filter((n) => sdOf(n) === undefined));
    const sd = of === undefined ? undefined : sdName(of);
    if (sd !== undefined && names.includes(sd)) return sd;
  }
  return suggestName(word, names);
}

/** Every metric name an `expect:` may name: the metrics and their `_sd` companions. */
export const METRIC_NAMES: readonly string[] = [...METRICS.map((m) => m.name), ...METRICS.map((m) => sdName(m.name))];

/** The kind of a metric name (its `_sd` companion has the same kind). */
export function metricKind(name: string): MetricKind | undefined {
  const base = sdOf(name) ?? name;
  return METRICS.find((m) => m.name === base)?.kind;
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

/** Measured by every workload: the idle-thread CPU meter, the exact breakdown and the kernel's counters. */
const ALWAYS: readonly string[] = [
  "cpu_utilization",
  ...CPU_CLASSES.map((c) => `cpu_breakdown.${c}`),
  "interrupts_per_s",
  "driver_activations_per_s",
  "context_switches_per_s",
  "system_calls_per_s",
];

/** What each workload measures besides (a new workload adds its line here). */
const BY_WORKLOAD: Record<string, readonly string[]> = {
  "udp-echo": [
    "throughput_bits_per_s",
    "offered_bits_per_s",
    ...LATENCY_STATS.map((s) => `latency_s.${s}`),
    ...DROP_STAGES.filter((s) => s !== "driver_fault").map((s) => `drops.${s}`),
  ],
  "disk-read": ["throughput_bits_per_s"],
  "cpu-hog": [],
};

/** Workloads with `repetitions` (a standard deviation needs several). */
const REPEATED: ReadonlySet<string> = new Set(["disk-read"]);

/**
 * The metrics a scenario of this workload can report (and their `_sd` companions, for a
 * workload that repeats), or
 * undefined for a workload this table does not know: `fault.*` and `drops.driver_fault` only
 * with `faults:`. `expect:` and `figure.y` are checked against it, so a check on a metric that
 * can never be there is an error of the file, not a failure after the run
 * (test/report/files.test.ts holds it against every scenario snapshot).
 */
export function metricsProduced(workloadType: unknown, faults: boolean): Set<string> | undefined {
  const own = typeof workloadType === "string" ? BY_WORKLOAD[workloadType] : undefined;
  if (own === undefined) return undefined;
  const names = [...ALWAYS, ...own, ...(faults ? [...FAULT_METRICS.map((m) => m.name), "drops.driver_fault"] : [])];
  return new Set([...names, ...(REPEATED.has(workloadType as string) ? names.map(sdName) : [])]);
}

