/**
 * One point of a shipped scenario, run through the CLI's own point runner (src/run/execute.ts
 * executePoint → src/run/point.ts simulate(), what `loopdrv run` does for every point, in
 * this thread), for the end-to-end speed figures (echo, disk). A figure changes only
 * durations (and picks a point of the sweep with --set); the model and its costs are the
 * scenario's.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { loadScenario } from "../src/dsl/load.js";
import { packagePath } from "../src/dsl/package-root.js";
import { planScenario } from "../src/dsl/plan.js";
import type { System } from "../src/model/system.js";
import { executePoint, type PointJob } from "../src/run/execute.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHILD = fileURLToPath(new URL("./point-child.ts", import.meta.url));

/** The first point of `scenarios/<file>` with `set` applied (--set syntax). */
export async function pointJob(file: string, set: string[]): Promise<PointJob> {
  const r = await loadScenario(packagePath("scenarios", file), { set });
  if (!r.scenario) throw new Error(`bug: ${file} does not load with ${set.join(" ")}: ${JSON.stringify(r.diagnostics)}`);
  const { plan, diagnostics } = planScenario(r.scenario);
  if (!plan) throw new Error(`bug: ${file} does not plan: ${JSON.stringify(diagnostics)}`);
  const p = plan.points[0]!;
  return { index: p.index, id: p.id, params: p.params, scenario: p.scenario };
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
export async function runPoint(job: PointJob): Promise<PointRun> {
  let sys: System | undefined;
  const t0 = performance.now();
  const o = await executePoint(job, { afterBuild: (s) => (sys = s) });
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
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", CHILD, which], { cwd: ROOT });
  return JSON.parse(stdout) as PointChildReport;
}
