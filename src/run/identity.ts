/**
 * What makes a result reproducible and cacheable: the point's seed, the canonical form of
 * its parameters, and the model version (design §4).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { packagePath } from "../dsl/package-root.js";
import { hash53 } from "../sim/rng.js";

/** JSON with object keys sorted at every level: the canonical text of a value. */
export function canonicalJson(v: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(v), null, indent);
}

export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/**
 * The seed of one repetition of one point: derived from the run seed and the point's
 * canonical parameters, so adding a sweep value leaves every other point's seed alone.
 */
export function pointSeed(runSeed: number, params: Record<string, unknown>, repetition = 0): number {
  return hash53(`${canonicalJson(params)}#${repetition}`, runSeed >>> 0);
}

/**
 * Sources whose content determines results: model code, the kernel, normalisation, presets,
 * and of the runner only what computes a point (its repetitions, seeds and metrics) — not
 * the pool, cache, reporters or document writing, whose edits leave every result alone.
 */
const MODEL_TREES = [
  ["src", "sim"],
  ["src", "model"],
  ["src", "dsl"],
  ["src", "presets"],
];
const MODEL_FILES = [
  ["src", "run", "execute.ts"],
  ["src", "run", "point.ts"],
  ["src", "run", "identity.ts"],
  ["src", "run", "series-key.ts"],
];

/** The files modelVersion() hashes, relative to the package root with "/", in hashing order. */
export function modelSources(): string[] {
  const root = packagePath();
  const files = [...MODEL_TREES.flatMap((t) => listFiles(path.join(root, ...t))), ...MODEL_FILES.map((f) => path.join(root, ...f))];
  return files.map((f) => path.relative(root, f).split(path.sep).join("/"));
}

function listFiles(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) out = out.concat(listFiles(p));
    else if (/\.(ts|yaml|json)$/.test(n) && !n.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

let version: string | undefined;

/**
 * A hash of the model's source and presets. The package ships its TypeScript sources, so a
 * run from source (tsx) and from the build (dist/) agree; a result cache keyed by it never
 * serves results computed by other code.
 */
export function modelVersion(): string {
  if (version) return version;
  const root = packagePath();
  const h = createHash("sha256");
  for (const rel of modelSources()) {
    h.update(rel);
    h.update("\0");
    h.update(readFileSync(path.join(root, ...rel.split("/"))));
    h.update("\0");
  }
  return (version = h.digest("hex").slice(0, 16));
}
