/**
 * The expectation lines at the top of a broken fixture:
 *
 *   # expect: <code> at [<file>:]<line>:<col> [suggests <a>[, <b>…]] [via <file> > <file> …]
 *
 * one line per expected diagnostic. `<file>` (a base name) is given when the diagnostic
 * points into another file than the fixture (a base reached through `extends`); `suggests`
 * names the "did you mean" candidates of the hint; `via` the extends chain, by base name.
 */
import path from "node:path";
import type { Diagnostic } from "../../src/diag/diagnostic.js";
import { msg } from "../../src/diag/messages.js";
import { UNIT_ERROR, UNIT_TABLE, unitMessages, type UnitSuggestion } from "../../src/dsl/units.js";
import { plain } from "../../src/dsl/validate.js";

export interface Expected {
  code: string;
  /** Base name of the file the diagnostic points into. */
  file: string;
  line: number;
  col: number;
  suggests?: string[];
  via?: string[];
}

const LINE = /^# expect: (\S+) at (?:([^\s:]+):)?(\d+):(\d+)(?: suggests (.+?))?(?: via (.+))?\s*$/;

/** Parse the `# expect:` lines of a fixture (they lead the file). */
export function parseExpectations(text: string, fixtureName: string): Expected[] {
  const out: Expected[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith("# expect:")) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`${fixtureName}: malformed expectation line: ${line}`);
    out.push({
      code: m[1]!,
      file: m[2] ?? fixtureName,
      line: Number(m[3]),
      col: Number(m[4]),
      ...(m[5] ? { suggests: m[5].split(",").map((s) => s.trim()) } : {}),
      ...(m[6] ? { via: m[6].split(">").map((s) => s.trim()) } : {}),
    });
  }
  return out;
}

/** "code at file:line:col", the identity a corpus entry asserts. */
export function keyOf(e: { code: string; file: string; line: number; col: number }): string {
  return `${e.code} at ${e.file}:${e.line}:${e.col}`;
}

export function diagnosticKey(d: Diagnostic): string {
  if (!d.range) return `${d.code} at <nowhere>`;
  return keyOf({ code: d.code, file: path.basename(d.range.file), line: d.range.start.line, col: d.range.start.col });
}

/** The extends chain of a diagnostic, by base name. */
export function chainOf(d: Diagnostic): string[] | undefined {
  return d.chain?.map((f) => path.basename(f));
}

/** The hint the catalog gives for a "did you mean" of `code` with these candidates. */
export function didYouMeanHints(code: string, candidates: readonly string[]): string[] {
  const first = candidates[0]!;
  switch (code) {
    case "schema-unknown-key":
      return [msg["schema-unknown-key"]("", "", [], first).hint!];
    case "schema-enum":
      return [msg["schema-enum"]("", [], first).hint!];
    case "preset-unknown":
      return [msg["preset-unknown"]("", "", [], first).hint!];
    case "device-unknown":
      return [msg["device-unknown"]("", [], first).hint!];
    case "reference-unknown":
      return [msg["reference-unknown"]("", [], first).hint!];
    case "sweep-path-unknown":
      return [msg["sweep-path-unknown"]("", first).hint!];
    case "set-path-unknown":
      return [msg["set-path-unknown"]("", first).hint!];
    case "expect-where-path":
      return [msg["expect-where-path"]("", first).hint!];
    case "expect-metric-unknown":
      return [msg["expect-metric-unknown"]("", first).hint!];
    case "figure-not-swept":
      return [msg["figure-not-swept"]("x", "", [], first).hint!];
    case UNIT_ERROR.unknown: {
      const list: UnitSuggestion[] = candidates.map((spelling) => {
        const entry = UNIT_TABLE.find((u) => u.symbol === spelling || u.aliases?.includes(spelling));
        if (!entry) throw new Error(`no unit ${spelling} in UNIT_TABLE`);
        return { spelling, name: entry.name };
      });
      // Schema diagnostics show unit hints as one lowercase clause (validate.ts `plain`).
      return [plain(unitMessages.hintCase(list)), plain(unitMessages.hintDidYouMean(list))];
    }
    default:
      throw new Error(`no did-you-mean hint known for ${code}`);
  }
}
