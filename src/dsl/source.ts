/**
 * Stage 1 of loading: file → text → YAML document → plain value plus a map from every JSON
 * pointer in the value to where it was written. Everything that can be wrong with a file
 * (missing, a directory, binary, not UTF-8, too large, empty, YAML errors, tabs, duplicate
 * keys, alias bombs) becomes a located diagnostic here; nothing throws.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode } from "yaml";
import type { Diagnostic, SourceRange } from "../diag/diagnostic.js";
import { msg, type MessageParts } from "../diag/messages.js";
import { toPointer, type Segment } from "./pointer.js";
import { suggest } from "./suggest.js";

/** Larger files are refused before parsing (a scenario is a page of YAML). */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Most nodes a document may expand to through aliases (defeats "billion laughs"). */
export const MAX_EXPANDED_NODES = 100_000;

export interface Located {
  /** Where the key was written (absent for the root and sequence items). */
  key?: SourceRange;
  /** Where the value was written. */
  value: SourceRange;
}

/** A parsed YAML source: its value and where each part of it was written. */
export interface ParsedSource {
  /** Name to show in diagnostics (as the user gave it, or relative to cwd). */
  file: string;
  /** Absolute path, or undefined for text that came from elsewhere (--set). */
  absPath?: string;
  text: string;
  value: unknown;
  /** JSON pointer → location. */
  locs: Map<string, Located>;
}

export type LoadResult = { ok: true; source: ParsedSource } | { ok: false; diagnostics: Diagnostic[]; text?: string };

function fileDiag(code: keyof typeof msg, parts: MessageParts, file: string): Diagnostic {
  return {
    code,
    severity: "error",
    kind: "user",
    message: parts.message,
    ...(parts.hint ? { hint: parts.hint } : {}),
    range: { file, start: { line: 1, col: 1 }, end: { line: 1, col: 1 } },
  };
}

async function similarFile(abs: string): Promise<string | undefined> {
  try {
    const dir = path.dirname(abs);
    const names = (await fs.readdir(dir)).filter((n) => /\.ya?ml$/.test(n));
    if (names.length === 0) return undefined;
    // Compared without the extension, which every candidate shares: with it, any two short
    // names would look alike (`typo.yaml` and `cyc1.yaml`).
    const stem = (n: string) => n.replace(/\.ya?ml$/, "");
    const best = suggest(stem(path.basename(abs)), names.map(stem));
    return best === undefined ? undefined : path.join(path.dirname(abs), names.find((n) => stem(n) === best)!);
  } catch {
    return undefined;
  }
}

/** Read and parse a scenario (or base) file. `display` is the name diagnostics show. */
export async function loadSourceFile(filePath: string, display = filePath): Promise<LoadResult> {
  const abs = path.resolve(filePath);
  let stat;
  try {
    stat = await fs.stat(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      const sim = await similarFile(abs);
      const simDisplay = sim ? path.relative(process.cwd(), sim) || sim : undefined;
      return { ok: false, diagnostics: [fileDiag("file-not-found", msg["file-not-found"](display, simDisplay), display)] };
    }
    return { ok: false, diagnostics: [fileDiag("file-unreadable", msg["file-unreadable"](display, String(code)), display)] };
  }
  if (stat.isDirectory()) return { ok: false, diagnostics: [fileDiag("file-is-directory", msg["file-is-directory"](display), display)] };
  if (stat.size > MAX_FILE_BYTES) {
    return { ok: false, diagnostics: [fileDiag("file-too-large", msg["file-too-large"](display, stat.size, MAX_FILE_BYTES), display)] };
  }
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(abs);
  } catch (e) {
    return { ok: false, diagnostics: [fileDiag("file-unreadable", msg["file-unreadable"](display, (e as Error).message), display)] };
  }
  return parseSourceBytes(bytes, display, abs);
}

/** Parse bytes already in memory (used for files and tests). */
export function parseSourceBytes(bytes: Uint8Array, display: string, absPath?: string): LoadResult {
  if (bytes.includes(0)) return { ok: false, diagnostics: [fileDiag("file-binary", msg["file-binary"](display), display)] };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { ok: false, diagnostics: [fileDiag("file-encoding", msg["file-encoding"](display), display)] };
  }
  return parseSourceText(text, display, absPath);
}

/** Parse YAML text. */
export function parseSourceText(text: string, display: string, absPath?: string): LoadResult {
  const lc = new LineCounter();
  const rangeOf = (start: number, end: number): SourceRange => {
    const s = lc.linePos(start);
    const e = lc.linePos(Math.max(start, end));
    return { file: display, start: { line: s.line, col: s.col }, end: { line: e.line, col: e.col } };
  };
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, strict: true });
  const diagnostics: Diagnostic[] = [];
  const located = (code: keyof typeof msg, parts: MessageParts, start: number, end: number): Diagnostic => ({
    code,
    severity: "error",
    kind: "user",
    message: parts.message,
    ...(parts.hint ? { hint: parts.hint } : {}),
    range: rangeOf(start, end),
  });

  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length === 0 || (list.length === 1 && list[0]!.contents === null && list[0]!.errors.length === 0)) {
    return { ok: false, diagnostics: [fileDiag("file-empty", msg["file-empty"](display), display)], text };
  }
  const indentReported = new Set<number>();
  /** Line starts an indentation diagnostic already explains (the parser's follow-on errors there). */
  const explained = new Set<number>();
  const lineStartOf = (offset: number) => text.lastIndexOf("\n", offset - 1) + 1;
  for (const doc of list) {
    for (const err of doc.errors) {
      const [s, e] = err.pos;
      const deeper = err.code === "MULTILINE_IMPLICIT_KEY" || err.code === "BLOCK_AS_IMPLICIT_KEY" ? deeperNextLine(text, s) : undefined;
      if (deeper) {
        // `placement: kernel` then `  priority: 0` one space deeper: the parser sees one key
        // spanning two lines; the mistake is the second line's indentation. Reported once.
        if (!indentReported.has(deeper.start)) {
          indentReported.add(deeper.start);
          diagnostics.push(located("yaml-indent", msg["yaml-indent"](deeper.key), deeper.start, deeper.start + deeper.width));
          const next = text.indexOf("\n", deeper.start);
          for (const at of [lineStartOf(s), lineStartOf(deeper.start), ...(next >= 0 ? [next + 1] : [])]) explained.add(at);
        }
      } else if (explained.has(lineStartOf(s)) && err.code !== "DUPLICATE_KEY" && err.code !== "TAB_AS_INDENT") {
        continue; // the parser's follow-on error of a line already explained
      } else if (err.code === "DUPLICATE_KEY") {
        // The parser points at the key's first character; take the whole key token.
        const m = /^("[^"]*"|'[^']*'|[^:\s][^:]*?)\s*:/.exec(text.slice(s));
        const token = m ? m[1]! : text.slice(s, e);
        const key = token.replace(/^["']|["']$/g, "").trim() || "?";
        diagnostics.push(located("yaml-duplicate-key", msg["yaml-duplicate-key"](key), s, s + Math.max(1, token.length)));
      } else if (err.code === "TAB_AS_INDENT" || (err.code === "BAD_INDENT" && /\t/.test(lineAt(text, s)))) {
        diagnostics.push(located("yaml-tab", msg["yaml-tab"](), s, e));
      } else {
        diagnostics.push(located("yaml-syntax", msg["yaml-syntax"](firstLine(err.message), err.code), s, e));
      }
    }
  }
  if (diagnostics.length) return { ok: false, diagnostics, text };
  if (list.length > 1) {
    const second = list[1]!;
    const at = second.range?.[0] ?? 0;
    return { ok: false, diagnostics: [located("yaml-multiple-documents", msg["yaml-multiple-documents"](), at, at + 3)], text };
  }
  const doc = list[0]!;
  const locs = new Map<string, Located>();
  let budget = MAX_EXPANDED_NODES;
  const walk = (node: unknown, at: Segment[], keyRange?: SourceRange): unknown => {
    if (--budget < 0) throw new AliasBomb();
    if (isAlias(node)) {
      const target = node.resolve(doc);
      const value = walk(target, at, keyRange);
      // Point the alias use, not the anchor, at its own location.
      const r = node.range;
      if (r) locs.set(toPointer(at), { ...(keyRange ? { key: keyRange } : {}), value: rangeOf(r[0], r[1]) });
      return value;
    }
    const n = node as YamlNode | null;
    const r = n?.range;
    if (r) locs.set(toPointer(at), { ...(keyRange ? { key: keyRange } : {}), value: rangeOf(r[0], r[1]) });
    if (isMap(n)) {
      const out: Record<string, unknown> = {};
      for (const pair of n.items) {
        const k = pair.key;
        if (!isScalar(k) || (typeof k.value !== "string" && typeof k.value !== "number" && typeof k.value !== "boolean")) {
          const kr = (k as YamlNode | null)?.range ?? r ?? [0, 0];
          diagnostics.push(located("yaml-non-string-key", msg["yaml-non-string-key"](), kr[0], kr[1]));
          continue;
        }
        const name = String(k.value);
        const kr = k.range ? rangeOf(k.range[0], k.range[1]) : undefined;
        out[name] = walk(pair.value, [...at, name], kr);
        if (pair.value === null && kr) locs.set(toPointer([...at, name]), { key: kr, value: kr });
      }
      return out;
    }
    if (isSeq(n)) return n.items.map((item, i) => walk(item, [...at, i]));
    if (isScalar(n)) return n.value;
    return null;
  };
  let value: unknown;
  try {
    value = walk(doc.contents, []);
  } catch (e) {
    if (e instanceof AliasBomb) {
      return { ok: false, diagnostics: [fileDiag("yaml-alias-limit", msg["yaml-alias-limit"](MAX_EXPANDED_NODES), display)], text };
    }
    throw e;
  }
  if (diagnostics.length) return { ok: false, diagnostics, text };
  if (value === null || value === undefined) {
    return { ok: false, diagnostics: [fileDiag("file-empty", msg["file-empty"](display), display)], text };
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    const r = doc.contents?.range ?? [0, 0];
    return { ok: false, diagnostics: [located("yaml-not-mapping", msg["yaml-not-mapping"](), r[0], r[1])], text };
  }
  return { ok: true, source: { file: display, ...(absPath ? { absPath } : {}), text, value, locs } };
}

class AliasBomb extends Error {}

function firstLine(s: string): string {
  return s.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

/**
 * The line after the one holding `offset`, when it is indented more than that line (and is
 * not a list item or a comment): where a mis-indented key starts, and the key above it.
 */
function deeperNextLine(text: string, offset: number): { start: number; width: number; key: string } | undefined {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const lineEnd = text.indexOf("\n", offset);
  if (lineEnd < 0) return undefined;
  const line = text.slice(lineStart, lineEnd);
  const nextEnd = text.indexOf("\n", lineEnd + 1);
  const next = text.slice(lineEnd + 1, nextEnd < 0 ? text.length : nextEnd);
  const indent = (l: string) => l.length - l.trimStart().length;
  const body = next.trimStart();
  if (body === "" || body.startsWith("#") || body.startsWith("- ") || indent(next) <= indent(line)) return undefined;
  const m = /^([^:\s#][^:#]*?)\s*:\s?(.*)$/.exec(line.trimStart());
  // A value with `: ` inside (an unquoted colon) is the parser's real complaint, and the next
  // line may be a legal continuation: keep the parser's own message then.
  if (!m || m[2]!.includes(": ")) return undefined;
  return { start: lineEnd + 1 + indent(next), width: Math.max(1, body.length), key: m[1]! };
}

function lineAt(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const end = text.indexOf("\n", offset);
  return text.slice(start, end < 0 ? text.length : end);
}
