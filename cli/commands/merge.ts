/**
 * `merge FILE…`: read shard documents → merge (src/run/merge.ts) → the single-run document
 * on stdout, or with --out DIR the files `run --out DIR` writes (results.json, results.csv,
 * the figure) → exit code as `run` would give for it (130 for a partial document, as a
 * stopped run's: `merge … && publish` must not carry on with a shard's points missing).
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { hasErrors, type Diagnostic } from "../../src/diag/diagnostic.js";
import { formatDiagnostics } from "../../src/diag/format.js";
import { msg } from "../../src/diag/messages.js";
import { writeOutputs } from "../../src/report/outputs.js";
import { expectLines, failedPointLines, failureLines } from "../../src/report/summary.js";
import { evaluateExpectations } from "../../src/run/expect.js";
import { mergeShards, type MergeInput } from "../../src/run/merge.js";
import { resultsJson } from "../../src/run/results.js";
import { EXIT } from "../exit-codes.js";
import { checkOutDir } from "../out-dir.js";
import type { Io } from "../io.js";

export interface MergeCommandOptions {
  out?: string;
  quiet: boolean;
  color: boolean;
  cwd: string;
}

export async function mergeCommand(io: Io, files: readonly string[], opts: MergeCommandOptions): Promise<number> {
  const inputs: MergeInput[] = [];
  const unreadable: Diagnostic[] = [];
  for (const file of files) {
    try {
      inputs.push({ file, text: await fs.readFile(path.resolve(opts.cwd, file), "utf8") });
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : ((e as NodeJS.ErrnoException).code ?? (e as Error).message);
      const parts = msg["merge-unreadable"](file, why);
      unreadable.push({ code: "merge-unreadable", severity: "error", kind: "user", message: parts.message, range: { file, start: { line: 1, col: 1 }, end: { line: 1, col: 1 } } });
    }
  }
  const merged = unreadable.length ? undefined : mergeShards(inputs, { evaluateExpect: evaluateExpectations });
  const diags = [...unreadable, ...(merged?.diagnostics ?? [])];
  if (hasErrors(diags) || !merged?.doc) {
    io.err(formatDiagnostics(diags, { ...(merged ? { sources: merged.sources } : {}), color: opts.color }) + "\n");
    return EXIT.badInput;
  }
  if (diags.length && !opts.quiet) io.err(formatDiagnostics(diags, { sources: merged.sources, color: opts.color }) + "\n");
  const doc = merged.doc;
  const text = resultsJson(doc);

  if (opts.out !== undefined) {
    const dir = await checkOutDir(io, opts.out);
    if (!dir) return EXIT.badInput;
    // The same files `run --out` writes: the document, its CSV and its figure.
    const w = await writeOutputs(dir, doc, text);
    if (!opts.quiet) for (const f of w.files) io.err(`wrote ${path.relative(opts.cwd, f) || f}\n`);
    if (!opts.quiet && w.figureSkipped) io.err(`note: ${w.figureSkipped}\n`);
    if (w.figureError) {
      io.err(`error: the figure could not be drawn (this is a bug in loopdrv): ${w.figureError} [internal]\n`);
      return EXIT.internal;
    }
  } else io.out(text);

  const notRun = doc.points.filter((p) => p.status === "not-run").length;
  if (!opts.quiet) {
    io.err(`merged ${files.length} document${files.length === 1 ? "" : "s"}: ${doc.points.length} points of ${doc.scenario.name}\n`);
    if (notRun) io.err(`warning: ${notRun} point${notRun === 1 ? " was" : "s were"} not run (a shard was stopped early); the document is marked partial\n`);
  }
  // The checks, as `run` lists them, and the failed points (even with --quiet: they decide the exit code).
  const lines = opts.quiet ? failureLines(doc) : [...failedPointLines(doc), ...expectLines(doc.expect)];
  if (lines.length) io.err(lines.join("\n") + "\n");
  // The exit code the single run would have had: a partial document is a stopped run's.
  if (doc.partial) return EXIT.sigint;
  if (doc.points.some((p) => p.status === "failed")) return EXIT.internal;
  if (doc.expect.some((x) => !x.passed)) return EXIT.expectFailed;
  return EXIT.ok;
}
