/**
 * One point of a shipped scenario, run through the CLI's own point runner (src/run/execute.ts
 * executePoint → src/run/point.ts simulate(), what `loopdrv run` does for every point, in
 * this thread), for the end-to-end speed figures (echo, disk). A figure changes only
 * durations (and picks a point of the sweep with --set); the model and its costs are the
 * scenario's.
 *
 * The figures run the compiled tree (bench/build.ts), the JavaScript users run, like the
 * sweep figures: the child loads the runner from it (`loadRunner`).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { loadScenario as LoadScenario } from "../src/dsl/load.js";
import type { packagePath as PackagePath } from "../src/dsl/package-root.js";
import type { planScenario as PlanScenario } from "../src/dsl/plan.js";
import type { System } from "../src/model/system.js";
import type { executePoint as ExecutePoint, PointJob } from "../src/run/execute.js";
import { runChild } from "./build.js";


/** The runner's entry points, from the compiled tree or (without one) the sources. */
export interface Runner {
  loadScenario: typeof LoadScenario;
  packagePath: typeof PackagePath;
  planScenario: typeof PlanScenario;
  executePoint: typeof ExecutePoint;
}

/** The runner of the compiled tree at `builtDir` (bench/build.ts), or of the sources. */
export async function loadRunner(builtDir: string | undefined): Promise<Runner> {
  const from = (rel: string) => (builtDir ? pathToFileURL(path.join(builtDir, "dist", "src", rel)).href : `../src/${rel}`);
  const [load, root, plan, execute] = await Promise.all([
    import(from("dsl/load.js")) as Promise<{ loadScenario: typeof LoadScenario }>,
    import(from("dsl/package-root.js")) as Promise<{ packagePath: typeof PackagePath }>,
    import(from("dsl/plan.js")) as Promise<{ planScenario: typeof PlanScenario }>,
    import(from("run/execute.js")) as Promise<{ executePoint: typeof ExecutePoint }>,
  ]);
  return { loadScenario: load.loadScenario, packagePath: root.packagePath, planScenario: plan.planScenario, executePoint: execute.executePoint };
}

/** The first point of `scenarios/<file>` with `set` applied (--set syntax). */
export async function pointJob(m: Runner, file: string, set: string[]): Promise<PointJob> {
  const { loadScenario, packagePath, planScenario } = m;
  const r = await loadScenario(packagePath("scenarios", file), { set });
  if (!r.scenario) throw new Error(`bug: ${file} does not load with ${set.join(" ")}: ${JSON.stringify(r.diagnostics)}`);
  const { plan, diagnostics } = planScenario(r.scenario);
  if (!plan) throw new Error(`bug: ${file} does not plan: ${JSON.stringify(diagnostics)}`);
  const p = plan.points[0]!;
  return { index: p.index, id: p.id, params: p.params, seedParams: p.seedParams, scenario: p.scenario };
}

export interface PointRun {
  wallS: number;
  simSeconds: number;
  events: number;
  /** The last system built (the point's last repetition), for counts read after the run. */
  sys: System;
  metrics: Record<string, unknown>;
}

/** Run the point once, as the CLI would with --jobs 1, and time it. */
export async function runPoint(m: Runner, job: PointJob): Promise<PointRun> {
  let sys: System | undefined;
  const t0 = performance.now();
  const o = await m.executePoint(job, { afterBuild: (s) => (sys = s) });
  const wallS = (performance.now() - t0) / 1000;
  if (o.kind !== "done" || o.status !== "ok") throw new Error(`bug: bench point ${job.id} did not finish: ${JSON.stringify(o)}`);
  return { wallS, simSeconds: o.simSeconds, events: o.events, sys: sys!, metrics: o.metrics };
}

/** What bench/point-child.ts reports. */
export interface PointChildReport {
  wallS: number;
  simSeconds: number;
  events: number;
  coalesced: number;
  /** Packets echoed, or reads done, in the measured run. */
  units: number;
  maxRssBytes: number;
}

/** Run bench/point-child.ts for `which` in a fresh process and return its report. */
export async function pointChild(which: "echo" | "disk"): Promise<PointChildReport> {
  const { stdout } = await runChild("bench/point-child.ts", [which]);
  return JSON.parse(stdout) as PointChildReport;
}
