/**
 * One point's work, the same wherever it runs (in the runner's own thread with `--jobs 1`,
 * or in a pool worker): every repetition with its own seed (identity.ts), stopping at the
 * first repetition that does not end `ok`, then the mean and `_sd` over repetitions.
 *
 * Everything a job needs travels in `PointJob` (plain data, structured-clone safe), so a
 * worker computes exactly what the runner's thread would: results never depend on where
 * or alongside what a point ran.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { NormalisedScenario } from "../dsl/normalised.js";
import type { System } from "../model/system.js";
import { pointSeed } from "./identity.js";
import { aggregateRepetitions, simulate, StoppedError, type LiveCounters, type PointStatus } from "./point.js";

export interface PointJob {
  /** Position in plan order (0-based), for progress events. */
  index: number;
  id: string;
  params: Record<string, unknown>;
  /**
   * The params its seed derives from: the swept ones (PlanPoint.seedParams). A `--set` gives
   * every point the same value, so it is no part of what tells points apart: `--seed 1` on a
   * file whose seed is 1, or a `--set` of the value the file has, changes no result.
   */
  seedParams: Record<string, unknown>;
  scenario: NormalisedScenario;
  /** Per-event reference mode (no exact coalescing; LOOPDRV_REFERENCE=1): the same results, slower. */
  reference?: boolean;
}

/** What a finished point produced: the results-document fields plus speed figures. */
export interface PointComputed {
  status: Exclude<PointStatus, "not-run">;
  error?: string;
  metrics: Record<string, unknown>;
  /** Events simulated over all repetitions (speed figures only; never in results). */
  events: number;
  simSeconds: number;
}

export type JobOutcome = ({ kind: "done" } & PointComputed) | { kind: "stopped" };

export interface JobHooks {
  /** Progress over all repetitions; return true to stop the point now (it becomes not-run). */
  onSlice?(fraction: number, events: number, simSeconds: number, live?: LiveCounters): boolean;
  /** Test hook: runs after each repetition's system is built, before it is simulated. */
  afterBuild?(sys: System, job: PointJob): void;
}

/**
 * A test-only hook module: a file whose exported `afterBuild(system, job)` the runner (or the
 * worker simulating the point) calls after building each system. Lets tests break a point in
 * a worker thread on purpose; never used by the CLI.
 */
export interface HooksModule {
  afterBuild?(sys: System, job: PointJob): void;
}

export async function loadHooksModule(url: string | undefined): Promise<HooksModule> {
  if (!url) return {};
  try {
    return (await import(url)) as HooksModule;
  } catch (e) {
    // In a worker thread under tsx on Node 20, ESM loader hooks do not reach dynamic imports
    // but tsx's require hook does: a TypeScript hooks module loads through require.
    if ((e as NodeJS.ErrnoException).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw e;
    return createRequire(import.meta.url)(fileURLToPath(url)) as HooksModule;
  }
}

export function repetitionsOf(scenario: NormalisedScenario): number {
  const r = scenario.workload.repetitions;
  return typeof r === "number" && r > 0 ? r : 1;
}

/** The seed of every repetition of a point, in order (part of its cache key). */
export function repetitionSeeds(job: Pick<PointJob, "seedParams" | "scenario">): number[] {
  return Array.from({ length: repetitionsOf(job.scenario) }, (_, rep) => pointSeed(job.scenario.run.seed, job.seedParams, rep));
}

/** Run every repetition of one point. A thrown error is the point's `failed` status, never a rejection. */
export async function executePoint(job: PointJob, hooks: JobHooks = {}): Promise<JobOutcome> {
  const seeds = repetitionSeeds(job);
  const reps = seeds.length;
  const runs: Record<string, unknown>[] = [];
  let events = 0;
  let simSeconds = 0;
  try {
    for (let rep = 0; rep < reps; rep++) {
      const o = await simulate(job.scenario, seeds[rep]!, {
        onSlice: (s) => hooks.onSlice?.((rep + s.fraction) / reps, events + s.events, simSeconds + s.simSeconds, s.live) ?? false,
        ...(hooks.afterBuild ? { afterBuild: (sys: System) => hooks.afterBuild!(sys, job) } : {}),
      }, { reference: job.reference === true });
      events += o.events;
      simSeconds += o.simSeconds;
      if (o.status !== "ok") {
        const status = o.status === "not-run" ? "failed" : o.status;
        return { kind: "done", status, ...(o.error ? { error: o.error } : {}), metrics: o.metrics, events, simSeconds };
      }
      runs.push(o.metrics);
    }
    return { kind: "done", status: "ok", metrics: aggregateRepetitions(runs), events, simSeconds };
  } catch (e) {
    if (e instanceof StoppedError) return { kind: "stopped" };
    return { kind: "done", status: "failed", error: internalError(e), metrics: {}, events, simSeconds };
  }
}

/** The `error` of a point that failed through a bug (design §4: status failed, exit 3). */
export function internalError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return `internal error (a bug in loopdrv): ${message}`;
}
