/**
 * Diagnostics are data: a stable code, a message, where in which file, what was expected,
 * and a hint. User errors never carry a stack trace; internal errors (our bugs) do, and say so.
 */

/** 1-based line and column, as editors show them. */
export interface Position {
  line: number;
  col: number;
}

export interface SourceRange {
  /** Display name of the file ("scenarios/gige-user.yaml", "--set", "<preset hp-zx2000>"). */
  file: string;
  start: Position;
  end: Position;
}

export type Severity = "error" | "warning";

export interface Diagnostic {
  /** Stable identifier of the kind of problem, e.g. "unit-unknown" (see messages.ts). */
  code: string;
  severity: Severity;
  message: string;
  /** Where the offending text is; absent only for problems with no location (e.g. argv). */
  range?: SourceRange;
  hint?: string;
  /** For values that came through `extends`: the chain from the loaded file to the file where the value was written. */
  chain?: string[];
  /** The text `range` points into when it is not a file (a --set argument). */
  sourceText?: string;
  /** "user": the input is wrong (exit 2). "internal": loopdrv has a bug (exit 3). */
  kind: "user" | "internal";
  /** Internal errors only. */
  stack?: string;
}

/** A user-caused failure carried as an exception across layers that cannot return diagnostics. */
export class UserError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join("; "));
    this.name = "UserError";
  }
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

export function internalDiagnostic(err: unknown): Diagnostic {
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    code: "internal",
    severity: "error",
    kind: "internal",
    message: `internal error (this is a bug in loopdrv, please report it): ${e.message}`,
    ...(e.stack ? { stack: e.stack } : {}),
  };
}

/** Stable order: by file, then position, then code. */
export function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  return [...diags].sort((a, b) => {
    const fa = a.range?.file ?? "";
    const fb = b.range?.file ?? "";
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.range?.start.line ?? 0;
    const lb = b.range?.start.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.range?.start.col ?? 0;
    const cb = b.range?.start.col ?? 0;
    if (ca !== cb) return ca - cb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}

/** Each diagnostic once: the same code, place and message found twice (by two passes) is one problem. */
export function dedupe(diags: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    // (`sourceText` tells two --set arguments apart: each is its own line 1 of "--set".)
    const k = `${d.code}|${d.range?.file}:${d.range?.start.line}:${d.range?.start.col}|${d.sourceText ?? ""}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
