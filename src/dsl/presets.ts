/**
 * Presets: named sets of parameter values shipped as data files (src/presets/), each value
 * with its source, or marked provisional until it is fitted. A machine preset fills
 * `machine`; a device preset (its `model`) fills a device of its type. Presets sit between
 * the schema's defaults and the scenario in precedence.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { packagePath } from "./package-root.js";
import { parseSourceText, type ParsedSource } from "./source.js";
import { fromDotted, isPlainObject, setAt } from "./pointer.js";

export interface PresetValue {
  /** Dotted path inside the section the preset fills. */
  path: string;
  value: unknown;
  source?: string;
  provisional?: string;
}

export interface Preset {
  name: string;
  /** "machine" or a device type. */
  for: string;
  description: string;
  values: PresetValue[];
  /** Display name of the file, for diagnostics. */
  file: string;
  parsed: ParsedSource;
}

let cache: Map<string, Preset> | undefined;

function loadDir(kind: "machines" | "devices", into: Map<string, Preset>): void {
  const dir = packagePath("src", "presets", kind);
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".yaml")).sort()) {
    const abs = path.join(dir, f);
    const text = readFileSync(abs, "utf8");
    const display = `<preset ${f.replace(/\.yaml$/, "")}>`;
    const r = parseSourceText(text, display, abs);
    if (!r.ok) throw new Error(`bug: preset ${f} does not parse: ${r.diagnostics[0]?.message}`);
    const doc = r.source.value as { preset: string; for: string; description: string; values: Record<string, Record<string, unknown>> };
    const values: PresetValue[] = Object.entries(doc.values).map(([p, v]) => ({
      path: p,
      value: v.value,
      ...(typeof v.source === "string" ? { source: v.source } : {}),
      ...(typeof v.provisional === "string" ? { provisional: v.provisional } : {}),
    }));
    into.set(doc.preset, { name: doc.preset, for: doc.for, description: doc.description, values, file: display, parsed: r.source });
  }
}

export function presets(): Map<string, Preset> {
  if (cache) return cache;
  const m = new Map<string, Preset>();
  loadDir("machines", m);
  loadDir("devices", m);
  cache = m;
  return m;
}

export function presetNames(forKind: string): string[] {
  return [...presets().values()].filter((p) => p.for === forKind).map((p) => p.name).sort();
}

/** The preset's values as a nested object (section-relative). */
export function presetObject(p: Preset): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of p.values) setAt(out, fromDotted(v.path), v.value);
  return out;
}

/** Provenance note of a preset value ("preset hp-zx2000: <source>"). */
export function presetNote(p: Preset, dotted: string): string | undefined {
  const v = p.values.find((x) => x.path === dotted);
  if (!v) return undefined;
  return v.source ? `preset ${p.name}: ${v.source}` : `preset ${p.name} (provisional: ${v.provisional})`;
}

// --- Reference data -------------------------------------------------------------------

export interface ReferenceData {
  reference: string;
  description: string;
  provenance: string;
  x: string;
  series: { label: string; where: Record<string, unknown>; points: Record<string, unknown>[] }[];
  claims?: string[];
}

let refCache: Map<string, ReferenceData> | undefined;

export function references(): Map<string, ReferenceData> {
  if (refCache) return refCache;
  const dir = packagePath("src", "presets", "references");
  const m = new Map<string, ReferenceData>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".yaml")).sort()) {
    const doc = parse(readFileSync(path.join(dir, f), "utf8")) as ReferenceData;
    if (!isPlainObject(doc) || typeof doc.reference !== "string") throw new Error(`bug: reference ${f} is malformed`);
    m.set(doc.reference, doc);
  }
  refCache = m;
  return m;
}
