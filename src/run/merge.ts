/**
 * `loopdrv merge`: shard documents (`run --shard i/n`) → the document a single run would
 * have written, byte for byte, without `shard`.
 *
 *   parse      each text is JSON and a loopdrv results document
 *   agree      every document has the first one's scenario (name, file, normalised
 *              scenario), seed, quick flag, model_version and loopdrv_version
 *   cover      the documents are shards 1…n of one n, each given once; every point id
 *              p<k> sits in its shard (k mod n) + 1, and across them the ids are exactly
 *              p0 … p(T−1), each once
 *   assemble   the first document's fields, the points in plan order, `partial` if any
 *              shard was stopped early, and the expectations evaluated over all points
 *
 * Every problem is a located diagnostic (file:line:col into the offending document); if
 * there is one, no document is produced (exit 2).
 */
import type { Diagnostic, SourceRange } from "../diag/diagnostic.js";
import { msg, type MessageParts } from "../diag/messages.js";
import { canonicalJson, sortKeys } from "./identity.js";
import { locateJson, positionAt } from "./json-locate.js";
import { RESULTS_FORMAT, type ResultsDocument } from "./results.js";
import type { PointResult } from "./runner.js";
import { shardOf } from "./shard.js";

export interface MergeInput {
  /** Name to show in diagnostics (as the user gave it). */
  file: string;
  text: string;
}

export interface MergeOptions {
  /** The `expect` results over all points (the run's own evaluation); none: `[]`. */
  evaluateExpect?(doc: ResultsDocument): ResultsDocument["expect"];
}

export interface MergeOutcome {
  doc?: ResultsDocument;
  diagnostics: Diagnostic[];
  /** Text of every input by file name, for showing the offending line. */
  sources: Map<string, string>;
}

/** The fields every document of one run has in common, as [what the user calls it, key]. */
const MUST_AGREE: readonly [string, keyof ResultsDocument][] = [
  ["model_version", "model_version"],
  ["loopdrv_version", "loopdrv_version"],
  ["the seed", "seed"],
  ["the quick flag", "quick"],
  ["the scenario", "scenario"],
];

const POINT_ID = /^p(\d+)$/;

interface Parsed {
  file: string;
  text: string;
  doc: ResultsDocument;
  shard: { index: number; count: number };
}

export function mergeShards(inputs: readonly MergeInput[], opts: MergeOptions = {}): MergeOutcome {
  const diags: Diagnostic[] = [];
  const sources = new Map(inputs.map((i) => [i.file, i.text]));
  const report = (file: string, parts: MessageParts, code: keyof typeof msg, at?: readonly (string | number)[], text?: string) => {
    let r: ReturnType<typeof locateJson>;
    // The deepest part of the path the document has (a key may be missing from it).
    for (let n = at?.length ?? -1; n >= 0 && !r && text !== undefined; n--) r = locateJson(text, at!.slice(0, n));
    const range: SourceRange | undefined = file ? { file, ...(r ?? { start: { line: 1, col: 1 }, end: { line: 1, col: 1 } }) } : undefined;
    diags.push({ code, severity: "error", kind: "user", message: parts.message, ...(parts.hint ? { hint: parts.hint } : {}), ...(range ? { range } : {}) });
  };

  // parse
  const docs: Parsed[] = [];
  for (const { file, text } of inputs) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const why = (e as Error).message;
      const at = /position (\d+)/.exec(why);
      const d: Diagnostic = { code: "merge-not-json", severity: "error", kind: "user", ...msgOf(msg["merge-not-json"](why.replace(/, ".*$/s, ""))) };
      const pos = at ? positionAt(text, Number(at[1])) : { line: 1, col: 1 };
      diags.push({ ...d, range: { file, start: pos, end: pos } });
      continue;
    }
    const doc = value as Partial<ResultsDocument> | null;
    if (!doc || typeof doc !== "object" || Array.isArray(doc) || doc.format !== RESULTS_FORMAT || !Array.isArray(doc.points)) {
      const format = doc && typeof doc === "object" && !Array.isArray(doc) ? doc.format : undefined;
      report(file, msg["merge-not-results"](format), "merge-not-results", format !== undefined ? ["format"] : [], text);
      continue;
    }
    const s = doc.shard as Partial<Parsed["shard"]> | undefined;
    if (s !== undefined && !(s && Number.isInteger(s.index) && Number.isInteger(s.count) && s.count! >= 1 && s.index! >= 1 && s.index! <= s.count!)) {
      report(file, msg["merge-shard-invalid"](JSON.stringify(s)), "merge-shard-invalid", ["shard"], text);
      continue;
    }
    // A document without `shard` is a whole run: shard 1 of 1.
    docs.push({ file, text, doc: doc as ResultsDocument, shard: s ? { index: s.index!, count: s.count! } : { index: 1, count: 1 } });
  }
  if (diags.length) return { diagnostics: diags, sources };

  // agree. The scenario's file is where it was read from, as typed (relative to the working
  // directory): shards run from another directory or checkout name the same scenario
  // differently, so it is compared without it; the merged document keeps the first's.
  const first = docs[0]!;
  const warnings: Diagnostic[] = [];
  const agreeing = (doc: ResultsDocument, key: keyof ResultsDocument) => (key === "scenario" ? { ...doc.scenario, file: undefined } : doc[key]);
  for (const d of docs.slice(1)) {
    if (d.doc.scenario.file !== first.doc.scenario.file && !warnings.some((w) => w.range?.file === d.file)) {
      const m = msg["merge-file-differs"](d.doc.scenario.file, first.doc.scenario.file, first.file);
      const at = locateJson(d.text, ["scenario", "file"]) ?? { start: { line: 1, col: 1 }, end: { line: 1, col: 1 } };
      warnings.push({ code: "merge-file-differs", severity: "warning", kind: "user", ...msgOf(m), range: { file: d.file, ...at } });
    }
    for (const [what, key] of MUST_AGREE) {
      const here = canonicalJson(agreeing(d.doc, key));
      const there = canonicalJson(agreeing(first.doc, key));
      if (here === there) continue;
      const diff = key === "scenario" ? firstDifference(agreeing(d.doc, key), agreeing(first.doc, key), ["scenario"]) : undefined;
      const path = diff?.path ?? [key];
      const label = diff ? path.join(".") : what;
      report(d.file, msg["merge-mismatch"](label, short(diff ? diff.here : d.doc[key]), short(diff ? diff.there : first.doc[key]), first.file), "merge-mismatch", path, d.text);
    }
    if (d.shard.count !== first.shard.count) report(d.file, msg["merge-shard-count"](d.shard.count, first.shard.count, first.file), "merge-shard-count", d.doc.shard ? ["shard"] : [], d.text);
  }
  if (diags.length) return { diagnostics: diags, sources };

  // cover: shards
  const count = first.shard.count;
  const byShard = new Map<number, Parsed>();
  for (const d of docs) {
    const other = byShard.get(d.shard.index);
    if (other) report(d.file, msg["merge-duplicate-shard"](`${d.shard.index}/${count}`, other.file), "merge-duplicate-shard", ["shard"], d.text);
    else byShard.set(d.shard.index, d);
  }
  const missingShards = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byShard.has(i));
  if (missingShards.length) diags.push({ code: "merge-missing-shard", severity: "error", kind: "user", ...msgOf(msg["merge-missing-shard"](missingShards.join(", "), count)) });
  if (diags.length) return { diagnostics: diags, sources };

  // cover: points
  const at = new Map<number, { point: PointResult; file: string }>();
  for (const d of docs) {
    d.doc.points.forEach((p, i) => {
      const m = POINT_ID.exec(String(p?.id));
      if (!m) return report(d.file, msg["merge-point-id"](String(p?.id)), "merge-point-id", ["points", i], d.text);
      const k = Number(m[1]);
      if (shardOf(k, count) !== d.shard.index) {
        return report(d.file, msg["merge-point-shard"](p.id, `${shardOf(k, count)}/${count}`, `${d.shard.index}/${count}`), "merge-point-shard", ["points", i], d.text);
      }
      const other = at.get(k);
      if (other) return report(d.file, msg["merge-duplicate-point"](p.id, other.file), "merge-duplicate-point", ["points", i], d.text);
      at.set(k, { point: p, file: d.file });
    });
  }
  if (diags.length) return { diagnostics: diags, sources };
  const total = docs.reduce((n, d) => n + d.doc.points.length, 0);
  const width = String(Math.max(0, total - 1)).length;
  const missing: string[] = [];
  for (let k = 0; k < total; k++) if (!at.has(k)) missing.push(`p${String(k).padStart(width, "0")}`);
  if (missing.length) {
    const shown = missing.length > 10 ? [...missing.slice(0, 10), `… (${missing.length} in all)`] : missing;
    diags.push({ code: "merge-missing-points", severity: "error", kind: "user", ...msgOf(msg["merge-missing-points"](shown.join(", "))) });
    return { diagnostics: diags, sources };
  }
  for (const [k, { point, file }] of at) {
    const id = `p${String(k).padStart(width, "0")}`;
    if (point.id !== id) {
      const d = docs.find((x) => x.file === file)!;
      report(file, msg["merge-point-id"](point.id), "merge-point-id", ["points", d.doc.points.indexOf(point)], d.text);
    }
  }
  if (diags.length) return { diagnostics: diags, sources };

  // assemble
  const points = Array.from({ length: total }, (_, k) => at.get(k)!.point);
  const { shard: _shard, ...rest } = first.doc;
  const merged = { ...rest, partial: docs.some((d) => d.doc.partial), points, expect: [] as ResultsDocument["expect"] };
  merged.expect = opts.evaluateExpect?.(merged) ?? [];
  return { doc: sortKeys(merged) as ResultsDocument, diagnostics: warnings, sources };
}

function msgOf(parts: MessageParts): { message: string; hint?: string } {
  return { message: parts.message, ...(parts.hint ? { hint: parts.hint } : {}) };
}

/** The first path (in sorted key order) where two values differ, with both values there. */
function firstDifference(a: unknown, b: unknown, path: (string | number)[]): { path: (string | number)[]; here: unknown; there: unknown } | undefined {
  if (canonicalJson(a) === canonicalJson(b)) return undefined;
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object";
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const seg = Array.isArray(a) ? Number(k) : k;
      const d = firstDifference(a[k], b[k], [...path, seg]);
      if (d) return d;
    }
  }
  return { path, here: a, there: b };
}

/** A value as shown in a message: its JSON, cut short. */
function short(v: unknown): string {
  const s = v === undefined ? "absent" : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
