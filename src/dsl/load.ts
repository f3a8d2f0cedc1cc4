/**
 * Loading a scenario, stage by stage (each stage a function from one named form to the next):
 *
 *   file ──source──▶ ParsedSource (value + where each node was written)
 *        ──extends─▶ layers, base first, with the chain of files
 *        ──merge───▶ MergedScenario (deep merge; origins per node)
 *        ──--set───▶ overrides applied (a swept path's axis replaced by the single value)
 *        ──schema──▶ validated (ajv; located diagnostics)
 *        ──semantic▶ cross-references checked (devices, paths, references, metrics)
 *
 * Then plan.ts expands the sweep and normalise.ts turns each point into SI values.
 * Nothing here touches the process: problems come back as diagnostics.
 */
import path from "node:path";
import { parseDocument } from "yaml";
import type { Diagnostic, SourceRange } from "../diag/diagnostic.js";
import { dedupe, hasErrors, sortDiagnostics } from "../diag/diagnostic.js";
import { msg } from "../diag/messages.js";
import { mergeLayer, Origins, originsOfSource } from "./layers.js";
import { fromDotted, getAt, isPlainObject, setAt, toPointer } from "./pointer.js";
import { loadSourceFile, type ParsedSource } from "./source.js";
import { validateScenarioValue } from "./validate.js";
import { checkSemantics } from "./semantic.js";
import { resolveSchemaPath } from "./schema-path.js";

export interface SetOverride {
  /** Dotted path. */
  path: string;
  value: unknown;
  range: SourceRange;
  /** The --set text as typed (for messages). */
  text: string;
  /** Not a --set: the file (display name) whose own value replaced a sweep axis of its base. */
  source?: string;
}

export interface MergedScenario {
  /** Display name of the file loaded. */
  file: string;
  /** Scenario name (the `name` key, or the file name). */
  name: string;
  /** extends + file + --set merged; `extends` removed. */
  value: Record<string, unknown>;
  origins: Origins;
  /** Source text of every file involved, by display name (for rendering diagnostics). */
  sources: Map<string, string>;
  /** Files in extends order, the loaded file first. */
  chain: string[];
  /** Absolute paths of every file read (for --watch). */
  files: string[];
  /** --set overrides that replaced a sweep axis. */
  replacedAxes: SetOverride[];
  sets: SetOverride[];
}

export interface LoadOptions {
  /** `--set path=value` texts, in order. */
  set?: readonly string[];
}

export interface LoadOutcome {
  scenario?: MergedScenario;
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

function displayName(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith("..") ? rel : abs;
}

/** Parse one `--set path=value` argument. */
export function parseSetArg(text: string): { ok: true; set: SetOverride } | { ok: false; diagnostic: Diagnostic } {
  const at = (c0: number, c1: number): SourceRange => ({
    file: "--set",
    start: { line: 1, col: c0 + 1 },
    end: { line: 1, col: Math.max(c0 + 1, c1 + 1) },
  });
  const eq = text.indexOf("=");
  const p = eq < 0 ? "" : text.slice(0, eq).trim();
  if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/.test(p)) {
    const m = msg["set-syntax"](text);
    return { ok: false, diagnostic: { code: "set-syntax", severity: "error", kind: "user", message: m.message, hint: m.hint!, range: at(0, text.length) } };
  }
  const valueText = text.slice(eq + 1);
  const doc = parseDocument(valueText, { strict: true, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const m = msg["yaml-syntax"](e.message.split("\n")[0]!);
    return { ok: false, diagnostic: { code: "yaml-syntax", severity: "error", kind: "user", message: m.message, range: at(eq + 1 + e.pos[0], eq + 1 + e.pos[1]) } };
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  return { ok: true, set: { path: p, value: value ?? null, range: at(eq + 1, text.length), text } };
}

/** Load the extends chain: returns layers base-first, and diagnostics. */
async function loadChain(
  abs: string,
  display: string,
  seen: string[],
  sources: Map<string, string>,
  diagnostics: Diagnostic[],
  files: string[],
  referencedAt?: { range: SourceRange; chain: string[] },
): Promise<{ src: ParsedSource; chain: string[] }[] | undefined> {
  const chain = [...seen.map(displayName), display];
  if (seen.includes(abs)) {
    const m = msg["extends-cycle"](chain);
    diagnostics.push({ code: "extends-cycle", severity: "error", kind: "user", message: m.message, hint: m.hint!, ...(referencedAt ? { range: referencedAt.range, chain: referencedAt.chain } : {}) });
    return undefined;
  }
  const r = await loadSourceFile(abs, display);
  files.push(abs);
  if (!r.ok) {
    if (r.text !== undefined) sources.set(display, r.text);
    if (referencedAt && r.diagnostics[0]?.code === "file-not-found") {
      const m = msg["extends-not-found"](display);
      diagnostics.push({ code: "extends-not-found", severity: "error", kind: "user", message: m.message, hint: m.hint!, range: referencedAt.range, chain: referencedAt.chain });
    } else {
      diagnostics.push(...r.diagnostics.map((d) => (referencedAt ? { ...d, chain } : d)));
    }
    return undefined;
  }
  sources.set(display, r.source.text);
  const value = r.source.value as Record<string, unknown>;
  const ext = value.extends;
  const me = { src: r.source, chain };
  if (ext === undefined) return [me];
  const loc = r.source.locs.get("/extends");
  if (typeof ext !== "string") {
    const m = msg["schema-type"]("a file path (a string)", JSON.stringify(ext));
    diagnostics.push({ code: "schema-type", severity: "error", kind: "user", message: m.message, ...(loc ? { range: loc.value } : {}), ...(chain.length > 1 ? { chain } : {}) });
    return undefined;
  }
  const baseAbs = path.resolve(path.dirname(abs), ext);
  const base = await loadChain(baseAbs, displayName(baseAbs), [...seen, abs], sources, diagnostics, files, {
    range: loc?.value ?? { file: display, start: { line: 1, col: 1 }, end: { line: 1, col: 1 } },
    chain,
  });
  if (!base) return undefined;
  return [...base, me];
}

/** Load, merge, override, validate and check a scenario file. */
export async function loadScenario(file: string, opts: LoadOptions = {}): Promise<LoadOutcome> {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const abs = path.resolve(file);
  const display = file;
  const files: string[] = [];
  const layers = await loadChain(abs, display, [], sources, diagnostics, files);

  const sets: SetOverride[] = [];
  for (const text of opts.set ?? []) {
    const r = parseSetArg(text);
    if (r.ok) sets.push(r.set);
    else diagnostics.push({ ...r.diagnostic, sourceText: text });
  }
  if (!layers) return { diagnostics: sortDiagnostics(diagnostics), sources };

  // Merge base-first; each layer's origins carry its chain. A value a file writes at a path
  // its bases sweep fixes that path (fixSweptPaths), at every step of the chain.
  const top0 = layers[layers.length - 1]!.src.file;
  const value: Record<string, unknown> = {};
  const origins = new Origins();
  const replacedAxes: SetOverride[] = [];
  layers.forEach(({ src, chain }, i) => {
    const kind = chain.length === 1 ? "file" : "extends";
    const rev = [...chain];
    const layer = isPlainObject(src.value) ? src.value : {};
    mergeLayer(value, origins, layer, originsOfSource(src, kind, rev));
    if (i > 0) fixSweptPaths(value, origins, layer, src.file === top0 ? display : displayName(src.file), replacedAxes);
  });
  const top = layers[layers.length - 1]!;
  origins.set("", { kind: "file", range: { file: display, start: { line: 1, col: 1 }, end: { line: 1, col: 1 } } });
  delete value.extends;
  origins.clearBelow("/extends");
  // A scenario's name and description say what *this* file is: a file that extends another
  // and writes neither is named after itself and has no description, not its base's.
  const own = isPlainObject(top.src.value) ? top.src.value : {};
  for (const label of ["name", "description"]) {
    if (layers.length > 1 && !(label in own)) {
      delete value[label];
      origins.clearBelow(`/${label}`);
    }
  }

  // An axis a later file swept again is no longer fixed by an earlier one.
  const sweep = isPlainObject(value.sweep) ? value.sweep : {};
  const sweptNow = (p: string) => (["matrix", "zip"] as const).some((g) => isPlainObject(sweep[g]) && p in (sweep[g] as object));
  for (let i = replacedAxes.length - 1; i >= 0; i--) if (sweptNow(replacedAxes[i]!.path)) replacedAxes.splice(i, 1);

  // --set: a swept path replaces its axis; anything else is written into the document.
  for (const s of sets) {
    const segs = fromDotted(s.path);
    const sweep = value.sweep;
    let replaced = false;
    if (isPlainObject(sweep)) {
      // A --set on a swept path takes the axis out of the sweep (a zip group keeps its other
      // axes) and fixes the value everywhere; `plan` reports it.
      for (const group of ["matrix", "zip"] as const) {
        const axes = sweep[group];
        if (isPlainObject(axes) && Object.prototype.hasOwnProperty.call(axes, s.path)) {
          delete axes[s.path];
          origins.clearBelow(toPointer(["sweep", group, s.path]));
          if (!replaced) replacedAxes.push(s);
          replaced = true;
        }
      }
    }
    const resolved = resolveSchemaPath(value, segs);
    if (!resolved.ok) {
      const m = msg["set-path-unknown"](s.path, resolved.suggestion, resolved.known);
      diagnostics.push({ code: "set-path-unknown", severity: "error", kind: "user", message: m.message, hint: m.hint!, range: { ...s.range, start: { line: 1, col: 1 }, end: { line: 1, col: s.path.length + 1 } }, sourceText: s.text });
      continue;
    }
    setAt(value, segs, s.value);
    const ptr = toPointer(segs);
    origins.clearBelow(ptr);
    origins.set(ptr, { kind: "set", range: s.range, sourceText: s.text });
  }

  const name =
    typeof value.name === "string" ? value.name : path.basename(top.src.file).replace(/\.ya?ml$/i, "");
  const chain = layers.map((l) => l.src.file).reverse();
  const merged: MergedScenario = { file: display, name, value, origins, sources, chain, files, replacedAxes, sets };

  const schemaDiags = validateScenarioValue(value, origins, sources);
  diagnostics.push(...schemaDiags);
  // Cross-reference checks run even when the schema failed, so one pass shows every problem;
  // they read the document defensively.
  diagnostics.push(...checkSemantics(merged));
  // (Each `run.quick` override is checked on a copy of the document, which finds the
  // document's own problems again: once is enough.)
  return { ...(hasErrors(diagnostics) ? {} : { scenario: merged }), diagnostics: sortDiagnostics(dedupe(diagnostics)), sources };
}

/**
 * After merging `layer` over its bases: each swept path the layer writes a value for, without
 * sweeping it itself, is fixed to that value, as a --set would fix it — the bases' axis goes
 * (a file that means to sweep the path declares the axis itself). Recorded for `plan`'s note.
 */
function fixSweptPaths(value: Record<string, unknown>, origins: Origins, layer: Record<string, unknown>, source: string, replaced: SetOverride[]): void {
  if (!isPlainObject(value.sweep)) return;
  const ownSweep = isPlainObject(layer.sweep) ? layer.sweep : {};
  for (const group of ["matrix", "zip"] as const) {
    const axes = value.sweep[group];
    const ownAxes = isPlainObject(ownSweep[group]) ? (ownSweep[group] as Record<string, unknown>) : {};
    if (!isPlainObject(axes)) continue;
    for (const p of Object.keys(axes)) {
      const written = p in ownAxes ? undefined : getAt(layer, fromDotted(p));
      if (written === undefined || isPlainObject(written)) continue;
      delete axes[p];
      origins.clearBelow(toPointer(["sweep", group, p]));
      const at = origins.get(toPointer(fromDotted(p)))?.range ?? { file: source, start: { line: 1, col: 1 }, end: { line: 1, col: 1 } };
      replaced.push({ path: p, value: written, range: at, text: `${p}: ${typeof written === "string" ? written : JSON.stringify(written)}`, source });
    }
  }
}
