/**
 * Checks beyond the schema, on the merged document: named things exist (devices, presets,
 * references, parameter paths), the workload fits its device, expectations are well formed.
 * Sweep axes are checked where they are expanded (plan.ts).
 */
import type { Diagnostic } from "../diag/diagnostic.js";
import { msg, type MessageParts } from "../diag/messages.js";
import type { MergedScenario } from "./load.js";
import { checkPresets } from "./normalise.js";
import { locationFields } from "./layers.js";
import { DEVICE_TYPES } from "./schema/scenario.js";
import { METRIC_NAMES, metricKind, metricsProduced, parseMetricValue } from "./metrics.js";
import { fromDotted, isPlainObject, setAt, toPointer } from "./pointer.js";
import { references } from "./presets.js";
import { resolveSchemaPath } from "./schema-path.js";
import { suggest } from "./suggest.js";
import { parseQuantity, type Accepts } from "./units.js";
import { plain, validateScenarioValue } from "./validate.js";

/** Device types whose drivers faults can be injected into (a device that supports faults adds its type here). */
export const FAULT_DEVICE_TYPES: readonly string[] = ["ide-disk", "gige-nic"];

/** Which device type each workload drives (a new workload adds its line here). */
export const WORKLOAD_DEVICE: Record<string, string | undefined> = {
  "disk-read": "ide-disk",
  "udp-echo": "gige-nic",
  "cpu-hog": undefined,
};

export function checkSemantics(s: MergedScenario): Diagnostic[] {
  const out: Diagnostic[] = [];
  const doc = s.value;
  const at = (code: string, parts: MessageParts, ptr: string, preferKey = false): void => {
    const loc = s.origins.locate(ptr, preferKey);
    out.push({
      code,
      severity: "error",
      kind: "user",
      message: parts.message,
      ...(parts.hint ? { hint: parts.hint } : {}),
      ...locationFields(loc),
    });
  };

  out.push(...checkPresets(doc, s.origins));

  const devices = isPlainObject(doc.devices) ? doc.devices : {};
  const names = Object.keys(devices);
  const wl = isPlainObject(doc.workload) ? doc.workload : {};
  const needed = typeof wl.type === "string" ? WORKLOAD_DEVICE[wl.type] : undefined;
  if (typeof wl.device === "string") {
    const dev = devices[wl.device];
    if (!isPlainObject(dev)) {
      at("device-unknown", msg["device-unknown"](wl.device, names, suggest(wl.device, names)), "/workload/device");
    } else if (needed && typeof dev.type === "string" && DEVICE_TYPES[dev.type] && dev.type !== needed) {
      at("device-wrong-type", msg["device-wrong-type"](wl.device, String(dev.type), needed, String(wl.type)), "/workload/device");
    }
  }
  if (wl.type === "disk-read" && wl.o_direct === false) at("workload-buffered-io", msg["workload-buffered-io"](), "/workload/o_direct");

  // Interrupt lines must not be shared (one /proc/irq/N/irq handler per line).
  const irqs = new Map<number, string>();
  for (const [name, dev] of Object.entries(devices)) {
    if (!isPlainObject(dev) || typeof dev.irq !== "number") continue;
    const other = irqs.get(dev.irq);
    if (other !== undefined) {
      at("schema-other", { message: `devices ${JSON.stringify(other)} and ${JSON.stringify(name)} both use interrupt line ${dev.irq}`, hint: "give each device its own irq" }, toPointer(["devices", name, "irq"]));
    }
    irqs.set(dev.irq, name);
  }

  // Faults name a device whose driver can fail, and say when: at times or by probability.
  const faults = isPlainObject(doc.faults) ? doc.faults : {};
  const inject = isPlainObject(faults.inject) ? faults.inject : {};
  for (const [fname, f] of Object.entries(inject)) {
    if (!isPlainObject(f)) continue;
    if (typeof f.device === "string") {
      const dev = devices[f.device];
      const ptr = toPointer(["faults", "inject", fname, "device"]);
      if (!isPlainObject(dev)) at("device-unknown", msg["device-unknown"](f.device, names, suggest(f.device, names)), ptr);
      else if (typeof dev.type === "string" && DEVICE_TYPES[dev.type] && !FAULT_DEVICE_TYPES.includes(dev.type)) {
        at("fault-device-unsupported", msg["fault-device-unsupported"](f.device, dev.type, FAULT_DEVICE_TYPES), ptr);
      } else if (isPlainObject(dev.driver) && dev.driver.placement === "user" && dev.driver.loopback === "tap") {
        at("fault-recovery-tap", msg["fault-recovery-tap"](f.device), ptr);
      }
    }
    const timed = f.at !== undefined || f.every !== undefined;
    const random = f.probability !== undefined;
    if (!timed && !random) at("fault-trigger-missing", msg["fault-trigger-missing"](fname), toPointer(["faults", "inject", fname]), true);
    else if (timed && random) at("fault-trigger-both", msg["fault-trigger-both"](fname), toPointer(["faults", "inject", fname, "probability"]), true);
  }

  if (typeof doc.reference === "string" && !references().has(doc.reference)) {
    const known = [...references().keys()];
    at("reference-unknown", msg["reference-unknown"](doc.reference, known, suggest(doc.reference, known)), "/reference");
  }

  // Metrics named by checks and the figure must be ones this workload measures.
  const produced = metricsProduced(wl.type, isPlainObject(doc.faults));
  const notProduced = (metric: unknown, ptr: string) => {
    if (produced && typeof metric === "string" && METRIC_NAMES.includes(metric) && !produced.has(metric)) {
      at("metric-not-produced", msg["metric-not-produced"](metric, String(wl.type), isPlainObject(doc.faults)), ptr);
    }
  };
  const fig = isPlainObject(doc.figure) ? doc.figure : {};
  if (Array.isArray(fig.y)) fig.y.forEach((m, i) => notProduced(m, toPointer(["figure", "y", i])));

  const expects = Array.isArray(doc.expect) ? doc.expect : [];
  expects.forEach((e, i) => {
    if (!isPlainObject(e)) return;
    notProduced(e.metric, toPointer(["expect", i, "metric"]));
    if ((e.value === undefined) === (e.ratio === undefined)) at("expect-value-or-ratio", msg["expect-value-or-ratio"](), toPointer(["expect", i]));
    const checkWhere = (where: unknown, base: (string | number)[]) => {
      if (!isPlainObject(where)) return;
      for (const [p, v] of Object.entries(where)) {
        const r = resolveSchemaPath(doc, fromDotted(p));
        if (!r.ok || !r.leaf) {
          // `offered_load` for `workload.offered_load`: the swept path it is the end of.
          const sweep = isPlainObject(doc.sweep) ? doc.sweep : {};
          const axes = (["matrix", "zip"] as const).flatMap((g) => (isPlainObject(sweep[g]) ? Object.keys(sweep[g] as object) : []));
          const whole = axes.find((a) => a.endsWith(`.${p}`));
          const suggestion = r.ok ? whole : (r.suggestion ?? whole);
          at("expect-where-path", msg["expect-where-path"](p, suggestion, r.ok ? undefined : r.known), toPointer([...base, p]), true);
          continue;
        }
        // Written as at its path: with that path's unit (which points it matches: plan.ts).
        const unit = r.schema.unit as { accepts: Accepts } | undefined;
        if (unit && (typeof v === "string" || typeof v === "number")) {
          const q = parseQuantity(v, unit.accepts);
          if (!q.ok) at(q.error.code, { message: `${plain(q.error.message)} (in \`where\`, as at ${p})`, ...(q.error.hint ? { hint: plain(q.error.hint) } : {}) }, toPointer([...base, p]));
        }
      }
    };
    checkWhere(e.where, ["expect", i, "where"]);
    if (isPlainObject(e.ratio)) checkWhere(e.ratio.where, ["expect", i, "ratio", "where"]);
    // The value, in the metric's dimension; data rates and times need their unit, as everywhere.
    if (e.value !== undefined && typeof e.metric === "string" && METRIC_NAMES.includes(e.metric)) {
      const kind = metricKind(e.metric);
      const ptr = toPointer(["expect", i, "value"]);
      // 0 needs no unit (`fault.outage_throughput_bits_per_s > 0`); any other number does.
      if ((kind === "data_rate" || kind === "time") && (typeof e.value === "string" || (typeof e.value === "number" && e.value !== 0))) {
        const q = parseQuantity(e.value, kind);
        if (!q.ok) at(q.error.code, { message: `${plain(q.error.message)} (the value of ${e.metric})`, ...(q.error.hint ? { hint: plain(q.error.hint) } : {}) }, ptr);
      } else {
        const v = parseMetricValue(e.metric, e.value);
        if (!v.ok) at("expect-value", msg["expect-value"](e.metric, v.message), ptr);
        // A fraction is 0..1: a check against 150% could never fail (or never pass).
        else if (kind === "fraction" && (v.si < 0 || v.si > 1)) at("expect-value", msg["expect-value"](e.metric, `${JSON.stringify(e.value)} is outside 0…1 (0–100%), the range of a fraction`), ptr);
      }
    }
    // The tolerance widens == and != only; on an ordering it would be silently ignored.
    if (typeof e.tolerance === "number" && e.tolerance > 0 && e.op !== "==" && e.op !== "!=") at("expect-tolerance-op", msg["expect-tolerance-op"](String(e.op)), toPointer(["expect", i, "tolerance"]), true);
  });

  // Sweep axes must name single values (their values are checked when the sweep expands).
  const sweep = isPlainObject(doc.sweep) ? doc.sweep : {};
  for (const group of ["matrix", "zip"]) {
    const axes = isPlainObject(sweep[group]) ? (sweep[group] as Record<string, unknown>) : {};
    for (const p of Object.keys(axes)) {
      const r = resolveSchemaPath(doc, fromDotted(p));
      const ptr = toPointer(["sweep", group, p]);
      if (!r.ok) at("sweep-path-unknown", msg["sweep-path-unknown"](p, r.suggestion, r.known), ptr, true);
      else if (!r.leaf) at("sweep-path-not-value", msg["sweep-path-not-value"](p), ptr, true);
    }
  }

  // `run.quick` overrides name single values, and each value must be valid where --quick writes it.
  const quick = isPlainObject(doc.run) && isPlainObject(doc.run.quick) ? doc.run.quick : {};
  for (const [p, v] of Object.entries(quick)) {
    const r = resolveSchemaPath(doc, fromDotted(p));
    const ptr = toPointer(["run", "quick", p]);
    if (!r.ok || !r.leaf) {
      at("set-path-unknown", msg["set-path-unknown"](p, r.ok ? undefined : r.suggestion, r.ok ? undefined : r.known), ptr, true);
      continue;
    }
    const written = structuredClone(doc);
    setAt(written, fromDotted(p), v);
    const origins = s.origins.clone();
    const target = toPointer(fromDotted(p));
    origins.clearBelow(target);
    const origin = s.origins.get(ptr);
    if (origin) origins.set(target, origin);
    out.push(...validateScenarioValue(written, origins, s.sources));
  }
  return out;
}
