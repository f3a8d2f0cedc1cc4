/**
 * Running a plan: every point (and each of its repetitions) in plan order, with progress
 * events for the dashboard or plain lines, and a stop request honoured between slices. A
 * point that throws or violates an invariant is `failed` with its message; the others run.
 */
import type { Plan, PlanPoint } from "../dsl/plan.js";
import { DEVICES, WORKLOADS } from "../model/registry.js";
import { pointSeed } from "./identity.js";
import { aggregateRepetitions, simulate, StoppedError, type PointStatus } from "./point.js";

export interface PointResult {
  id: string;
  params: Record<string, unknown>;
  status: PointStatus;
  error?: string;
  metrics: Record<string, unknown>;
}

export type ProgressEvent =
  | { type: "start"; total: number; work: number }
  | { type: "point-start"; index: number; id: string; params: Record<string, unknown> }
  | { type: "slice"; index: number; fraction: number; events: number; simSeconds: number }
  | { type: "point-done"; index: number; result: PointResult; events: number; simSeconds: number; wallMs: number };

export interface RunOptions {
  onProgress?(e: ProgressEvent): void;
  /** Polled between slices; when it returns true the run stops and the rest are not-run. */
  shouldStop?(): boolean;
  /** Wall clock for progress figures only (never in results). */
  now?(): number;
}

export interface RunOutcome {
  points: PointResult[];
  partial: boolean;
}

/** Device and workload types the plan needs that have no model yet (empty: runnable). */
export function missingModels(plan: Plan): string[] {
  const missing = new Set<string>();
  for (const p of plan.points) {
    for (const d of Object.values(p.scenario.devices)) if (!DEVICES[d.type]) missing.add(`device type "${d.type}"`);
    if (!WORKLOADS[p.scenario.workload.type]) missing.add(`workload type "${p.scenario.workload.type}"`);
  }
  return [...missing].sort();
}

function repetitionsOf(p: PlanPoint): number {
  const r = p.scenario.workload.repetitions;
  return typeof r === "number" && r > 0 ? r : 1;
}

export async function runPlan(plan: Plan, opts: RunOptions = {}): Promise<RunOutcome> {
  const now = opts.now ?? (() => 0);
  const work = plan.points.reduce((n, p) => n + repetitionsOf(p), 0);
  opts.onProgress?.({ type: "start", total: plan.points.length, work });
  const results: PointResult[] = [];
  let stopped = false;
  for (const p of plan.points) {
    const base = { id: p.id, params: p.params };
    if (stopped || opts.shouldStop?.()) {
      stopped = true;
      results.push({ ...base, status: "not-run", metrics: {} });
      continue;
    }
    opts.onProgress?.({ type: "point-start", index: p.index, id: p.id, params: p.params });
    const t0 = now();
    const reps = repetitionsOf(p);
    const runs: Record<string, unknown>[] = [];
    let result: PointResult | undefined;
    let events = 0;
    let simSeconds = 0;
    try {
      for (let rep = 0; rep < reps; rep++) {
        const seed = pointSeed(p.scenario.run.seed, p.params, rep);
        const o = await simulate(p.scenario, seed, {
          onSlice: (s) => {
            opts.onProgress?.({ type: "slice", index: p.index, fraction: (rep + s.fraction) / reps, events: events + s.events, simSeconds: simSeconds + s.simSeconds });
            return opts.shouldStop?.() ?? false;
          },
        });
        events += o.events;
        simSeconds += o.simSeconds;
        if (o.status !== "ok") {
          result = { ...base, status: o.status, ...(o.error ? { error: o.error } : {}), metrics: o.metrics };
          break;
        }
        runs.push(o.metrics);
      }
      result ??= { ...base, status: "ok", metrics: aggregateRepetitions(runs) };
    } catch (e) {
      if (e instanceof StoppedError) {
        stopped = true;
        results.push({ ...base, status: "not-run", metrics: {} });
        continue;
      }
      const err = e instanceof Error ? e : new Error(String(e));
      result = { ...base, status: "failed", error: `internal error (a bug in loopdrv): ${err.message}`, metrics: {} };
    }
    results.push(result);
    opts.onProgress?.({ type: "point-done", index: p.index, result, events, simSeconds, wallMs: now() - t0 });
  }
  return { points: results, partial: stopped };
}
