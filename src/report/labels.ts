/**
 * Names as people read them, shared by every reporter (dashboard, plain lines, summary,
 * figures; CSV headers stay raw): short labels for parameter paths and metrics. Metric
 * values are formatted by src/run/metric-values.ts (re-exported here), which `expect:` uses
 * too.
 */
export { formatMetric, formatPercent, formatRate, metricKind, metricValue } from "../run/metric-values.js";
import { sdOf } from "../dsl/metrics.js";

const METRIC_LABELS: Record<string, string> = {
  throughput_bits_per_s: "throughput",
  offered_bits_per_s: "offered",
  cpu_utilization: "CPU",
  interrupts_per_s: "interrupts/s",
  driver_activations_per_s: "activations/s",
  context_switches_per_s: "ctx switches/s",
  system_calls_per_s: "syscalls/s",
  "fault.injected": "faults",
  "fault.restarts": "restarts",
  "fault.detect_s": "detect",
  "fault.recover_s": "recover",
  "fault.outage_s": "outage",
  "fault.outage_throughput_bits_per_s": "during outage",
  "drops.driver_fault": "lost",
};

/** Short label of a metric for tables and legends ("throughput", "CPU", "drops.backlog"). */
export function metricLabel(name: string): string {
  const of = sdOf(name);
  if (of !== undefined) return `${metricLabel(of)} sd`;
  return METRIC_LABELS[name] ?? name.replace(/^cpu_breakdown\./, "CPU ").replace(/^latency_s\./, "latency ");
}

/** A long label for axis titles. */
export function metricTitle(name: string): string {
  if (name === "throughput_bits_per_s") return "throughput";
  if (name === "cpu_utilization") return "CPU utilisation";
  return metricLabel(name);
}

/**
 * Short, unambiguous labels for parameter paths: `devices.tick.driver.placement` →
 * "placement", `workload.offered_load` → "offered load", `devices.eth0.holdoff.itr` →
 * "eth0 itr". Falls back to the full path where two short labels would collide.
 */
export function paramLabels(paths: readonly string[]): Record<string, string> {
  const short = (p: string): string => {
    const s = p.split(".");
    if (s[0] === "devices" && s.length >= 3) {
      const rest = s.slice(2);
      if (rest[0] === "driver") return rest.slice(1).join(" ");
      return `${s[1]} ${rest[rest.length - 1]}`;
    }
    if ((s[0] === "workload" || s[0] === "run" || s[0] === "machine") && s.length >= 2) return s.slice(1).join(" ");
    // faults.inject.crash.at → "crash at"; faults.supervisor.in_flight → "in flight".
    if (s[0] === "faults" && s.length >= 3) return s.slice(s[1] === "inject" ? 2 : s.length - 1).join(" ");
    return p;
  };
  const out: Record<string, string> = {};
  const counts = new Map<string, number>();
  for (const p of paths) counts.set(short(p), (counts.get(short(p)) ?? 0) + 1);
  for (const p of paths) {
    const s = short(p);
    out[p] = (counts.get(s)! > 1 ? p : s).replace(/_/g, " ");
  }
  return out;
}

export function paramLabel(path: string): string {
  return paramLabels([path])[path]!;
}
