/**
 * `run`: load → plan → check --out → run every point (progress to a reporter) → results
 * document → outputs (stdout with --json, files in --out DIR) → summary → exit code.
 */
import path from "node:path";
import { hasErrors } from "../../src/diag/diagnostic.js";
import { formatDiagnostics } from "../../src/diag/format.js";
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario, type Plan } from "../../src/dsl/plan.js";
import { writeFileAtomic } from "../../src/report/atomic.js";
import { prepareOutDir, RESULTS_FILE } from "../../src/report/out-dir.js";
import { plainReporter } from "../../src/report/plain.js";
import { silentReporter, type Reporter } from "../../src/run/reporter.js";
import { buildResults, resultsJson } from "../../src/run/results.js";
import { missingModels, runPlan } from "../../src/run/runner.js";
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

/** The reporter for this run: nothing with --quiet, else plain lines on stderr. */
function chooseReporter(io: Io, plan: Plan, opts: RunCommandOptions): Reporter {
  if (opts.quiet) return silentReporter;
  return plainReporter(plan, (t) => io.err(t));
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

  // A bad output directory is refused before any work is done.
  let outDir: string | undefined;
  if (opts.out !== undefined) {
    const c = await prepareOutDir(opts.out);
    if (!c.ok) {
      io.err(`error: ${c.message} [out-dir]\n${c.hint ? `  = hint: ${c.hint}\n` : ""}`);
      return EXIT.badInput;
    }
    outDir = c.dir;
  }

  const reporter = chooseReporter(io, plan, opts);
  const t0 = Date.now();
  const outcome = await runPlan(plan, {
    onProgress: (e) => reporter.onEvent(e),
    shouldStop: () => io.stopRequested?.() !== undefined,
    now: () => Date.now(),
  });
  const doc = buildResults({ merged: loaded.scenario, plan, points: outcome.points, partial: outcome.partial, version: VERSION, cwd: opts.cwd });
  const text = resultsJson(doc);
  if (opts.json) io.out(text);
  const written: string[] = [];
  if (outDir) {
    const target = path.join(outDir, RESULTS_FILE);
    await writeFileAtomic(target, text);
    written.push(path.relative(opts.cwd, target) || target);
  }
  const stoppedBy = io.stopRequested?.();
  await reporter.finish({ plan, doc, written, wallSeconds: (Date.now() - t0) / 1000, json: opts.json, ...(stoppedBy ? { stoppedBy } : {}) });

  if (stoppedBy === "SIGINT") return EXIT.sigint;
  if (stoppedBy === "SIGTERM") return EXIT.sigterm;
  if (doc.points.some((p) => p.status === "failed")) return EXIT.internal;
  if (doc.expect.some((x) => !x.passed)) return EXIT.expectFailed;
  return EXIT.ok;
}
