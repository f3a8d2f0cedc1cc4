/**
 * Layered documents with provenance. A scenario value is assembled from layers in a fixed
 * precedence — defaults < preset < extends < file < sweep < --set — and for every node we
 * remember which layer wrote it and where, so diagnostics point at the line the user wrote
 * and `plan` can say where each value came from.
 */
import type { SourceRange } from "../diag/diagnostic.js";
import { isPlainObject, toPointer, type Segment } from "./pointer.js";
import type { ParsedSource } from "./source.js";

export type OriginKind = "default" | "preset" | "extends" | "file" | "sweep" | "set" | "quick";

export interface Origin {
  kind: OriginKind;
  /** Where the value was written, when it was written in a file or on the command line. */
  range?: SourceRange;
  keyRange?: SourceRange;
  /** extends chain from the loaded file to the file that wrote the value. */
  chain?: string[];
  /** Free text: the preset's name and the value's source. */
  note?: string;
  /** The text the range points into, when it is not a file (a --set argument). */
  sourceText?: string;
}

export interface Location {
  range: SourceRange;
  chain?: string[];
  sourceText?: string;
}

/** The location fields of a diagnostic (range, extends chain, source text) from `locate`. */
export function locationFields(loc: Location | undefined): Partial<Location> {
  if (!loc) return {};
  return {
    range: loc.range,
    ...(loc.chain && loc.chain.length > 1 ? { chain: loc.chain } : {}),
    ...(loc.sourceText !== undefined ? { sourceText: loc.sourceText } : {}),
  };
}

export class Origins {
  private readonly map = new Map<string, Origin>();

  get(ptr: string): Origin | undefined {
    return this.map.get(ptr);
  }

  set(ptr: string, o: Origin): void {
    this.map.set(ptr, o);
  }

  /** Forget everything at and below `ptr` (the value there was replaced). */
  clearBelow(ptr: string): void {
    for (const k of [...this.map.keys()]) if (k === ptr || k.startsWith(ptr + "/")) this.map.delete(k);
  }

  entries(): [string, Origin][] {
    return [...this.map.entries()];
  }

  clone(): Origins {
    const o = new Origins();
    for (const [k, v] of this.map) o.map.set(k, v);
    return o;
  }

  /** The nearest located ancestor of `ptr` (or `ptr` itself), preferring the key's range if asked. */
  locate(ptr: string, preferKey = false): Location | undefined {
    let p = ptr;
    for (;;) {
      const o = this.map.get(p);
      if (o) {
        const range = (preferKey && o.keyRange) || o.range || o.keyRange;
        if (range) return { range, ...(o.chain ? { chain: o.chain } : {}), ...(o.sourceText !== undefined ? { sourceText: o.sourceText } : {}) };
      }
      if (p === "") return undefined;
      p = p.slice(0, p.lastIndexOf("/"));
    }
  }
}

/** Record the origin of every node of a parsed file's value. */
export function originsOfSource(src: ParsedSource, kind: OriginKind, chain?: string[]): Origins {
  const o = new Origins();
  for (const [ptr, loc] of src.locs) {
    o.set(ptr, { kind, range: loc.value, ...(loc.key ? { keyRange: loc.key } : {}), ...(chain ? { chain } : {}) });
  }
  return o;
}

function deepClone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** `sweep.matrix` or `sweep.zip`: mappings whose key order is the order of the axes. */
function isSweepAxes(path: readonly Segment[]): boolean {
  return path.length === 2 && path[0] === "sweep" && (path[1] === "matrix" || path[1] === "zip");
}

/**
 * Put the axes a layer writes first, in its order, then those only the base has: a file that
 * extends another lists its axes slowest first, as a reader of that file sees them (a merge
 * key by key would keep the base's order for the axes both name).
 */
function axesInLayerOrder(axes: Record<string, unknown>, layerKeys: readonly string[]): void {
  const entries = Object.entries(axes);
  for (const [k] of entries) delete axes[k];
  for (const k of layerKeys) axes[k] = entries.find(([e]) => e === k)![1];
  for (const [k, v] of entries) if (!layerKeys.includes(k)) axes[k] = v;
}

/**
 * Merge `layer` over `base` in place (a sweep's axes then in the layer's order, above): mappings merge key by key, anything else (scalars,
 * lists) replaces. Origins follow the winning layer.
 */
export function mergeLayer(
  base: Record<string, unknown>,
  baseOrigins: Origins,
  layer: Record<string, unknown>,
  layerOrigins: Origins | ((ptr: string) => Origin | undefined),
  at: Segment[] = [],
): void {
  const originAt = typeof layerOrigins === "function" ? layerOrigins : (p: string) => layerOrigins.get(p);
  const copyOrigins = (ptr: string, value: unknown, path: Segment[]) => {
    const o = originAt(ptr);
    if (o) baseOrigins.set(ptr, o);
    if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) copyOrigins(toPointer([...path, k]), v, [...path, k]);
    else if (Array.isArray(value)) value.forEach((v, i) => copyOrigins(toPointer([...path, i]), v, [...path, i]));
  };
  for (const [k, v] of Object.entries(layer)) {
    const path = [...at, k];
    const ptr = toPointer(path);
    const cur = base[k];
    if (isPlainObject(cur) && isPlainObject(v)) {
      const o = originAt(ptr);
      if (o && !baseOrigins.get(ptr)) baseOrigins.set(ptr, o);
      else if (o) baseOrigins.set(ptr, { ...o });
      mergeLayer(cur, baseOrigins, v, originAt, path);
      if (isSweepAxes(path)) axesInLayerOrder(cur, Object.keys(v));
    } else {
      baseOrigins.clearBelow(ptr);
      base[k] = deepClone(v);
      copyOrigins(ptr, v, path);
    }
  }
}
