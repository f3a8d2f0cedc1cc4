/**
 * Normalisation of one run point: the point's document (scenario + sweep values + --set)
 * is laid over its presets and the schema's defaults, and every quantity becomes an SI
 * number. Costs written in cycles become seconds at this point's clock. Every leaf keeps its
 * provenance (default, preset + source, extends, file, sweep, --set) for `plan`.
 */
import type { Diagnostic } from "../diag/diagnostic.js";
import { msg } from "../diag/messages.js";
import { locationFields, mergeLayer, Origins, type Origin } from "./layers.js";
import { DEVICE_TYPES } from "./schema/scenario.js";
import type { NormalisedScenario } from "./normalised.js";
import { fromPointer, isPlainObject, toDotted, toPointer, type Segment } from "./pointer.js";
import { presetNote, presetObject, presets, presetNames, type Preset } from "./presets.js";
import { effective, rootSchema, type SchemaNode } from "./schema-path.js";
import { suggest } from "./suggest.js";
import { parseQuantity, type Accepts } from "./units.js";

/** Sections of a scenario that describe the system (the rest describes the experiment). */
const MODEL_SECTIONS = ["name", "description", "machine", "devices", "workload", "run", "faults", "reference"] as const;
/** Sections that exist only when written (no defaults without them). */
const WRITTEN_ONLY = new Set<string>(["faults"]);

export interface NormalisedPoint {
  scenario: NormalisedScenario;
  /** Dotted path of every leaf → where its value came from. */
  provenance: Map<string, Origin>;
}

function presetOrigins(p: Preset, sectionPtr: string): (ptr: string) => Origin | undefined {
  return (ptr: string) => {
    if (!ptr.startsWith(sectionPtr + "/")) return { kind: "preset", note: `preset ${p.name}` };
    const dotted = toDotted(fromPointer(ptr.slice(sectionPtr.length)));
    const note = presetNote(p, dotted);
    const loc = p.parsed.locs.get(toPointer(["values", dotted, "value"]));
    return { kind: "preset", note: note ?? `preset ${p.name}`, ...(loc ? { range: loc.value } : {}) };
  };
}

/** Check that named presets exist and fit their device (a user error if not). */
export function checkPresets(doc: Record<string, unknown>, origins: Origins): Diagnostic[] {
  const out: Diagnostic[] = [];
  const mach = isPlainObject(doc.machine) ? doc.machine : {};
  const machineName = typeof mach.preset === "string" ? mach.preset : "hp-zx2000";
  const report = (ptr: string, kind: string, name: string) => {
    const known = presetNames(kind);
    const m = msg["preset-unknown"](kind === "machine" ? "machine" : kind, name, known, suggest(name, known));
    out.push({ code: "preset-unknown", severity: "error", kind: "user", message: m.message, ...(m.hint ? { hint: m.hint } : {}), ...locationFields(origins.locate(ptr)) });
  };
  const mp = presets().get(machineName);
  if (!mp || mp.for !== "machine") report("/machine/preset", "machine", machineName);
  const devices = isPlainObject(doc.devices) ? doc.devices : {};
  for (const [name, dev] of Object.entries(devices)) {
    if (!isPlainObject(dev) || typeof dev.type !== "string" || !DEVICE_TYPES[dev.type]) continue; // the schema reports the type
    const model = typeof dev.model === "string" ? dev.model : defaultModel(dev.type);
    if (model === undefined) continue;
    const p = presets().get(model);
    if (!p) report(toPointer(["devices", name, "model"]), dev.type, model);
    else if (p.for !== dev.type) {
      const m = msg["preset-wrong-type"](model, p.for, dev.type);
      out.push({ code: "preset-wrong-type", severity: "error", kind: "user", message: m.message, ...locationFields(origins.locate(toPointer(["devices", name, "model"]))) });
    }
  }
  return out;
}

function defaultModel(type: string): string | undefined {
  const defs = rootSchema().definitions as Record<string, SchemaNode>;
  const d = defs[`device-${type}`];
  const model = (d?.properties as Record<string, SchemaNode> | undefined)?.model;
  return typeof model?.default === "string" ? model.default : undefined;
}

/** The document with presets underneath it (presets assumed valid: see checkPresets). */
export function withPresets(doc: Record<string, unknown>, origins: Origins): { full: Record<string, unknown>; origins: Origins } {
  const full: Record<string, unknown> = {};
  const fo = new Origins();
  const mach = isPlainObject(doc.machine) ? doc.machine : {};
  const mp = presets().get(typeof mach.preset === "string" ? mach.preset : "hp-zx2000");
  if (mp) mergeLayer(full, fo, { machine: presetObject(mp) }, presetOrigins(mp, "/machine"));
  const devices = isPlainObject(doc.devices) ? doc.devices : {};
  for (const [name, dev] of Object.entries(devices)) {
    if (!isPlainObject(dev) || typeof dev.type !== "string") continue;
    const model = typeof dev.model === "string" ? dev.model : defaultModel(dev.type);
    const p = model ? presets().get(model) : undefined;
    if (p && p.for === dev.type) {
      mergeLayer(full, fo, { devices: { [name]: presetObject(p) } }, presetOrigins(p, toPointer(["devices", name])));
    }
  }
  const top: Record<string, unknown> = {};
  for (const k of MODEL_SECTIONS) if (doc[k] !== undefined) top[k] = doc[k];
  mergeLayer(full, fo, top, (p) => origins.get(p));
  return { full, origins: fo };
}

interface WalkCtx {
  clockHz: number;
  provenance: Map<string, Origin>;
  origins: Origins;
}

function convertQuantity(raw: unknown, accepts: Accepts, ctx: WalkCtx, where: string): number {
  const r = parseQuantity(raw as string | number, accepts);
  if (!r.ok) throw new Error(`bug: ${where} passed validation but does not parse: ${r.error.message}`);
  const q = r.quantity;
  if (q.dimension === "cycles" && accepts === "cost") return q.si / ctx.clockHz;
  if (q.dimension === "cost_per_byte_cycles") return q.si / ctx.clockHz;
  return q.si;
}

function walk(schema: SchemaNode, value: unknown, path: Segment[], ctx: WalkCtx): unknown {
  const node = effective(schema, value);
  const ptr = toPointer(path);
  const unit = node.unit as { accepts: Accepts } | undefined;
  if (unit) {
    if (value === undefined) return undefined;
    ctx.provenance.set(toDotted(path), ctx.origins.get(ptr) ?? { kind: "default" });
    return convertQuantity(value, unit.accepts, ctx, toDotted(path));
  }
  if (node.type === "object" && node.properties) {
    const props = node.properties as Record<string, SchemaNode>;
    const v = isPlainObject(value) ? value : {};
    const out: Record<string, unknown> = {};
    for (const [k, sub] of Object.entries(props)) {
      const subPath = [...path, k];
      let x = v[k];
      if (x === undefined && sub.default !== undefined) {
        x = sub.default;
        ctx.origins.set(toPointer(subPath), { kind: "default" });
      }
      const n = walk(sub, x, subPath, ctx);
      if (n !== undefined && !(isPlainObject(n) && Object.keys(n).length === 0 && x === undefined)) out[k] = n;
    }
    return out;
  }
  if (node.type === "object" && isPlainObject(node.additionalProperties) && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = walk(node.additionalProperties as SchemaNode, value[k], [...path, k], ctx);
    return out;
  }
  if (value === undefined) return undefined;
  ctx.provenance.set(toDotted(path), ctx.origins.get(ptr) ?? { kind: "default" });
  return value;
}

/** Normalise a point's document (already validated, presets checked). */
export function normalisePoint(doc: Record<string, unknown>, origins: Origins, fallbackName: string): NormalisedPoint {
  const { full, origins: fo } = withPresets(doc, origins);
  const schema = rootSchema();
  const props = schema.properties as Record<string, SchemaNode>;
  const mach = (full.machine ?? {}) as Record<string, unknown>;
  const clock = parseQuantity(mach.clock as string, "frequency");
  if (!clock.ok) throw new Error("bug: machine clock missing after presets");
  const ctx: WalkCtx = { clockHz: clock.quantity.si, provenance: new Map(), origins: fo };
  const out: Record<string, unknown> = {};
  for (const k of MODEL_SECTIONS) {
    if (full[k] === undefined && WRITTEN_ONLY.has(k)) continue;
    const n = walk(props[k]!, full[k], [k], ctx);
    if (n !== undefined) out[k] = n;
  }
  assignIrqs(out.devices as Record<string, Record<string, unknown>> | undefined, ctx.provenance);
  diskReadCap(out, ctx.provenance);
  if (out.name === undefined) {
    out.name = fallbackName;
    ctx.provenance.set("name", { kind: "default", note: "the file name" });
  }
  return { scenario: out as unknown as NormalisedScenario, provenance: ctx.provenance };
}

/** The largest `run.duration`, seconds: a disk-read point's default cap. */
const DISK_READ_CAP_S = 1000;

/**
 * For disk-read, `run.duration` is a cap (the point ends when its reads are done), and the
 * 1 s default, a measurement window for the network, would fail most reads of the default
 * 64 MiB: unless a file or --set gives one, the cap is the largest allowed.
 */
function diskReadCap(out: Record<string, unknown>, prov: Map<string, Origin>): void {
  const workload = out.workload as { type?: unknown } | undefined;
  const run = out.run as { duration?: number } | undefined;
  if (workload?.type !== "disk-read" || !run || prov.get("run.duration")?.kind !== "default") return;
  run.duration = DISK_READ_CAP_S;
  prov.set("run.duration", { kind: "default", note: "for disk-read: a cap; the point ends when its reads are done" });
}

/** Devices without an explicit `irq` get lines 16, 17, … in name order (skipping taken ones). */
function assignIrqs(devices: Record<string, Record<string, unknown>> | undefined, prov: Map<string, Origin>): void {
  if (!devices) return;
  const taken = new Set(Object.values(devices).map((d) => d.irq).filter((x): x is number => typeof x === "number"));
  let next = 16;
  for (const name of Object.keys(devices).sort()) {
    const d = devices[name]!;
    if (typeof d.irq === "number") continue;
    while (taken.has(next)) next++;
    d.irq = next;
    taken.add(next);
    prov.set(`devices.${name}.irq`, { kind: "default", note: "assigned in device order from 16" });
  }
}
