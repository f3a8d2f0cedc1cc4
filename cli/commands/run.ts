/**
 * `run`: load → plan → run every point → results document (stdout with --json, DIR/results.json
 * with --out) with plain progress lines on stderr. The live dashboard replaces the lines on a
 * terminal in a later version; the lines stay for CI and pipes.
 */
import path from "node:path";
import { hasErrors } from "../../src/diag/diagnostic.js";
import { formatDiagnostics } from "../../src/diag/format.js";
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import { formatParam } from "../../src/dsl/format-value.js";
import { writeFileAtomic } from "../../src/report/atomic.js";
import { prepareOutDir, RESULTS_FILE } from "../../src/report/out-dir.js";
import { buildResults, resultsJson } from "../../src/run/results.js";
import { missingModels, runPlan, type ProgressEvent } from "../../src/run/runner.js";
import { EXIT } from "../exit-codes.js";
import type { Io } from "../io.js";
import { VERSION } from "../version.js";

export interface RunCommandOptions {
  set: string[];
  force: boolean;
  quick: boolean;
  json: boolean;
  out?: string;
  quiet: boolean;
  color: boolean;
  cwd: string;
}

/** At most this many progress lines, however long the run (CI logs stay readable). */
export const MAX_PROGRESS_LINES = 40;

function pct(x: unknown): string {
  return typeof x === "number" ? `${(x * 100).toFixed(1)}%` : "—";
}

export async function runCommand(io: Io, file: string, opts: RunCommandOptions): Promise<number> {
  const loaded = await loadScenario(file, { set: opts.set });
  const planned = loaded.scenario ? planScenario(loaded.scenario, { quick: opts.quick, force: opts.force }) : undefined;
  const diags = [...loaded.diagnostics, ...(planned?.diagnostics ?? [])];
  if (diags.length) io.err(formatDiagnostics(diags, { sources: loaded.sources, color: opts.color }) + "\n");
  if (!loaded.scenario || !planned?.plan || hasErrors(diags)) return EXIT.badInput;
  const plan = planned.plan;

  const missing = missingModels(plan);
  if (missing.length) {
    io.err(
      `error: ${file} cannot run yet: loopdrv does not emulate ${missing.join(" or ")} in this version [not-emulated]\n` +
        `  = hint: \`loopdrv validate\` and \`loopdrv plan\` work on it; scenarios/core-smoke.yaml runs today\n`,
    );
    return EXIT.badInput;
  }

  let outDir: string | undefined;
  if (opts.out !== undefined) {
    const c = await prepareOutDir(opts.out);
    if (!c.ok) {
      io.err(`error: ${c.message} [out-dir]\n${c.hint ? `  = hint: ${c.hint}\n` : ""}`);
      return EXIT.badInput;
    }
    outDir = c.dir;
  }

  const n = plan.points.length;
  const every = Math.max(1, Math.ceil(n / MAX_PROGRESS_LINES));
  const width = String(n).length;
  let done = 0;
  const t0 = Date.now();
  if (!opts.quiet) io.err(`${plan.name}: ${n} point${n === 1 ? "" : "s"}${plan.quick ? " (quick)" : ""}\n`);
  const onProgress = (e: ProgressEvent) => {
    if (e.type !== "point-done" || opts.quiet) return;
    done++;
    if (done % every !== 0 && done !== n) return;
    const r = e.result;
    const params = Object.entries(r.params)
      .map(([k, v]) => `${k}=${formatParam(plan.points[e.index]!.scenario, k, v)}`)
      .join(" ");
    const what = r.status === "ok" ? `cpu ${pct(r.metrics.cpu_utilization)}` : `${r.status}: ${r.error ?? ""}`;
    io.err(`[${String(done).padStart(width)}/${n}] ${r.id} ${params}  ${r.status === "ok" ? "ok" : "FAILED"}  ${what}\n`);
  };

  const outcome = await runPlan(plan, { onProgress, shouldStop: () => io.stopRequested?.() !== undefined, now: () => Date.now() });
  const doc = buildResults({ merged: loaded.scenario, plan, points: outcome.points, partial: outcome.partial, version: VERSION, cwd: opts.cwd });
  const text = resultsJson(doc);
  if (opts.json) io.out(text);
  const written: string[] = [];
  if (outDir) {
    const target = path.join(outDir, RESULTS_FILE);
    await writeFileAtomic(target, text);
    written.push(path.relative(opts.cwd, target) || target);
  }

  const failed = doc.points.filter((p) => p.status === "failed");
  const notRun = doc.points.filter((p) => p.status === "not-run").length;
  if (!opts.quiet) {
    const ok = doc.points.filter((p) => p.status === "ok").length;
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    io.err(`\n${ok} ok, ${failed.length} failed${notRun ? `, ${notRun} not run (stopped)` : ""} in ${secs} s\n`);
    for (const f of failed) io.err(`  ${f.id}: ${f.error}\n`);
    for (const w of written) io.err(`wrote ${w}\n`);
    if (!opts.json && !outDir) io.err("(no files written: add --out DIR or --json)\n");
  }
  const sig = io.stopRequested?.();
  if (sig === "SIGINT") return EXIT.sigint;
  if (sig === "SIGTERM") return EXIT.sigterm;
  if (failed.length) return EXIT.internal;
  return EXIT.ok;
}
