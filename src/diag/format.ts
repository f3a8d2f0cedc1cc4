/**
 * Render diagnostics the way actionlint and rustc do:
 *
 *   scenarios/x.yaml:12:21: error: unknown unit "mb/s" [unit-unknown]
 *      12 |   offered_load: 100 mb/s
 *         |                     ^^^^
 *      = expected a data rate (bit/s, kbit/s, Mbit/s, …)
 *      = hint: did you mean "Mb/s" (megabits per second)?
 */
import type { Diagnostic } from "./diagnostic.js";

export interface FormatOptions {
  /** Source text by file display name, to show the offending line. */
  sources?: ReadonlyMap<string, string>;
  color?: boolean;
}

const ansi = (code: string, on: boolean) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export function formatDiagnostic(d: Diagnostic, opts: FormatOptions = {}): string {
  const c = opts.color ?? false;
  const red = ansi("31;1", c);
  const yellow = ansi("33;1", c);
  const bold = ansi("1", c);
  const dim = ansi("2", c);
  const cyan = ansi("36", c);
  const where = d.range ? `${d.range.file}:${d.range.start.line}:${d.range.start.col}: ` : "";
  const sev = d.severity === "error" ? red("error") : yellow("warning");
  const lines = [`${bold(where)}${sev}: ${d.message} ${dim(`[${d.code}]`)}`];
  const text = d.range ? (d.sourceText ?? opts.sources?.get(d.range.file)) : undefined;
  if (d.range && text !== undefined) {
    const srcLine = text.split(/\r?\n/)[d.range.start.line - 1];
    if (srcLine !== undefined) {
      const num = String(d.range.start.line);
      const gutter = " ".repeat(num.length);
      const shown = srcLine.replace(/\t/g, " ");
      const width =
        d.range.end.line === d.range.start.line
          ? Math.max(1, d.range.end.col - d.range.start.col)
          : Math.max(1, shown.length - d.range.start.col + 1);
      lines.push(`  ${dim(num + " |")} ${shown}`);
      lines.push(`  ${dim(gutter + " |")} ${" ".repeat(d.range.start.col - 1)}${red("^".repeat(width))}`);
    }
  }
  if (d.chain && d.chain.length > 1) lines.push(`  ${cyan("=")} via extends: ${d.chain.join(" → ")}`);
  if (d.hint) lines.push(`  ${cyan("=")} hint: ${d.hint}`);
  if (d.kind === "internal" && d.stack) lines.push(dim(d.stack));
  return lines.join("\n");
}

export function formatDiagnostics(diags: readonly Diagnostic[], opts: FormatOptions = {}): string {
  return diags.map((d) => formatDiagnostic(d, opts)).join("\n\n");
}
