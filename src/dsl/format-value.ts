/**
 * Showing normalised values and their provenance to people (`plan`, the dashboard header):
 * SI numbers go back to a readable unit chosen from the parameter's declared dimension.
 */
import type { Origin } from "./layers.js";
import { fromDotted } from "./pointer.js";
import { resolveSchemaPath } from "./schema-path.js";
import { formatQuantity, type Accepts, type QuantityDimension } from "./units.js";

const DISPLAY_DIMENSION: Record<Accepts, QuantityDimension> = {
  time: "time",
  size: "size",
  data_rate: "data_rate",
  event_rate: "event_rate",
  frequency: "frequency",
  cycles: "cycles",
  cost: "time",
  interval: "time",
  cost_per_byte: "cost_per_byte_time",
};

/** A normalised value at `path` as a person would write it ("850 Mb/s", "user", "256"). */
export function formatParam(doc: unknown, path: string, value: unknown): string {
  if (typeof value === "number") {
    const r = resolveSchemaPath(doc, fromDotted(path));
    const unit = r.ok ? (r.schema.unit as { accepts: Accepts; zero?: string } | undefined) : undefined;
    // Where 0 is a setting of its own, say which (`0 B (no setsockopt)`).
    if (value === 0 && unit?.zero) return `${formatQuantity(0, DISPLAY_DIMENSION[unit.accepts])} (${unit.zero})`;
    if (unit?.accepts === "interval") {
      // A hold-off is written as a time or as a rate (`2000/s`); show both, so either reader
      // finds the value they wrote. 0 turns the timer off.
      if (value === 0) return "0 s (off)";
      const rate = 1 / value;
      return `${formatQuantity(value, "time")} (${Number(rate.toPrecision(4))}/s)`;
    }
    if (unit) return formatQuantity(value, DISPLAY_DIMENSION[unit.accepts]);
    return String(value);
  }
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** Where a value came from, in words. */
export function formatOrigin(o: Origin | undefined): string {
  if (!o) return "default";
  const at = o.range ? `${o.range.file}:${o.range.start.line}` : "";
  switch (o.kind) {
    case "default":
      return o.note ? `default (${o.note})` : "default";
    case "preset":
      return o.note ?? "preset";
    case "extends":
      return `extends ${at}${o.chain && o.chain.length > 1 ? ` (via ${o.chain.slice(0, -1).join(" → ")})` : ""}`;
    case "file":
      return `file ${at}`;
    case "sweep":
      return `sweep ${at}`;
    case "set":
      return `--set ${o.range ? `(col ${o.range.start.col})` : ""}`.trim();
    case "quick":
      return o.note ? `--quick (${o.note})` : `--quick (run.quick ${at})`;
  }
}
