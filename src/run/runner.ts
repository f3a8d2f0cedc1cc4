/**
 * Running a plan: every point of the run (all of them, or one shard's) with progress events
 * for the dashboard or plain lines, and a stop request honoured between slices.
 *
 *   cache lookups  points whose result is cached are done at once (`cached: true`)
 *   simulation     the rest, in plan order: in this thread with one job, else on a pool of
 *                  worker threads (pool.ts), with their progress forwarded
 *   cache writes   each result is written as its point finishes, so a run stopped by
 *                  Ctrl-C leaves every finished point in the cache
 *   results        in plan order, whatever order the points finished in; a point not run
 *                  (stopped) is `not-run` and the outcome `partial`
 *
 * A point that throws, violates an invariant or kills its worker is `failed` with its
 * message; the others run. Results never depend on the number of jobs or the cache: a
 * point's work and seed depend only on the point (execute.ts).
 */
import type { Plan, PlanPoint } from "../dsl/plan.js";
import { DEVICES, WORKLOADS } from "../model/registry.js";
import { isCacheable, pointKey, type CacheStats, type ResultCache } from "./cache.js";
import { costliestFirst, estimatedCost } from "./cost.js";
import { executePoint, internalError, loadHooksModule, repetitionSeeds, type JobOutcome, type PointComputed, type PointJob } from "./execute.js";
import type { LiveCounters, PointStatus } from "./point.js";
import { PointPool } from "./pool.js";
import { inShard, type Shard } from "./shard.js";

export interface PointResult {
  id: string;
  params: Record<string, unknown>;
  status: PointStatus;
  error?: string;
  metrics: Record<string, unknown>;
}

export type ProgressEvent =
  | { type: "start"; total: number; work: number; shard?: Shard }
  | { type: "point-start"; index: number; id: string; params: Record<string, unknown>; cached?: boolean }
  | { type: "slice"; index: number; fraction: number; events: number; simSeconds: number; live?: LiveCounters }
  | { type: "point-done"; index: number; result: PointResult; events: number; simSeconds: number; wallMs: number; cached?: boolean };

export interface RunOptions {
  onProgress?(e: ProgressEvent): void;
  /** Polled between slices; when it returns true the run stops and the rest are not-run. */
  shouldStop?(): boolean;
  /** Wall clock for progress figures only (never in results). */
  now?(): number;
  /** Points simulated at once. 1 (the default) simulates in this thread; more use worker threads. */
  jobs?: number;
  /** Where finished points are looked up and stored; none: every point is simulated. */
  cache?: ResultCache;
  /** Run only this shard's points (shard.ts); the outcome lists only them. */
  shard?: Shard;
  /** Test only: a module whose `afterBuild(system, job)` runs on every built system (execute.ts). */
  hooksModule?: string;
  /** Simulate in the per-event reference mode (no exact coalescing; same results). */
  reference?: boolean;
  /**
   * Worker threads kept by the caller across runs (`run --watch`: no start-up per rerun).
   * Every point to simulate then goes to it, even a single one; it is never destroyed here.
   */
  pool?: PointPool;
}

export interface RunOutcome {
  /** The points of this run (one shard's, with `shard`), in plan order. */
  points: PointResult[];
  partial: boolean;
  /** Points simulated in this run, and points taken from the cache. */
  simulated: number;
  cached: number;
  cacheStats?: CacheStats;
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

/** The points a run covers: all of them, or one shard's. */
export function pointsOfRun(plan: Plan, shard?: Shard): PlanPoint[] {
  return shard ? plan.points.filter((p) => inShard(p.index, shard)) : plan.points;
}

/** What travels to a worker: plain data, without the provenance map. */
function jobOf(p: PlanPoint, reference: boolean): PointJob {
  return { index: p.index, id: p.id, params: p.params, seedParams: p.seedParams, scenario: p.scenario, ...(reference ? { reference } : {}) };
}

function resultOf(p: PlanPoint, c: PointComputed): PointResult {
  return { id: p.id, params: p.params, status: c.status, ...(c.error !== undefined ? { error: c.error } : {}), metrics: c.metrics };
}

export async function runPlan(plan: Plan, opts: RunOptions = {}): Promise<RunOutcome> {
  const now = opts.now ?? (() => 0);
  const emit = (e: ProgressEvent) => opts.onProgress?.(e);
  const points = pointsOfRun(plan, opts.shard);
  // The points' share of the work: their estimated cost (cost.ts), as RunInfo.work counts it.
  const work = points.reduce((n, p) => n + estimatedCost(p.scenario), 0);
  emit({ type: "start", total: points.length, work, ...(opts.shard ? { shard: opts.shard } : {}) });

  let stopped = false;
  const stopRequested = () => (stopped ||= opts.shouldStop?.() ?? false);
  const results = new Map<number, PointResult>();
  const { cache } = opts;
  const keys = new Map<number, string>();
  const writes: Promise<void>[] = [];

  // Cached points first: the dashboard fills them in at once. Lookups go CACHE_READS at a
  // time (a cached rerun is mostly waiting for small files), events in plan order.
  const todo: PlanPoint[] = [];
  for (let from = 0; from < points.length; from += CACHE_READS) {
    const batch = points.slice(from, from + CACHE_READS);
    const hits = cache
      ? await Promise.all(
          batch.map((p) => {
            const key = pointKey(p.scenario, repetitionSeeds(p), cache.modelVersion);
            keys.set(p.index, key);
            return cache.get(key);
          }),
        )
      : [];
    batch.forEach((p, i) => {
      const hit = hits[i];
      if (!hit) return void todo.push(p);
      const result = resultOf(p, hit);
      results.set(p.index, result);
      emit({ type: "point-start", index: p.index, id: p.id, params: p.params, cached: true });
      emit({ type: "point-done", index: p.index, result, events: hit.events, simSeconds: hit.simSeconds, wallMs: 0, cached: true });
    });
  }
  const cachedCount = results.size;

  const finish = (p: PlanPoint, c: PointComputed, wallMs: number) => {
    const result = resultOf(p, c);
    results.set(p.index, result);
    const key = keys.get(p.index);
    if (cache && key && isCacheable(c)) writes.push(cache.put(key, c));
    emit({ type: "point-done", index: p.index, result, events: c.events, simSeconds: c.simSeconds, wallMs });
  };

  const jobs = Math.max(1, Math.floor(opts.jobs ?? 1));
  const inPool = opts.pool ? todo.length > 0 : jobs > 1 && todo.length > 1;
  const simulateAll = inPool ? simulateInPool : simulateHere;
  if (await simulateAll(todo, { emit, now, stopRequested, finish, jobs, hooksModule: opts.hooksModule, reference: opts.reference === true, pool: opts.pool })) stopped = true;
  await Promise.all(writes);

  const out = points.map((p) => results.get(p.index) ?? { id: p.id, params: p.params, status: "not-run" as const, metrics: {} });
  return {
    points: out,
    partial: out.some((p) => p.status === "not-run"),
    simulated: results.size - cachedCount,
    cached: cachedCount,
    ...(cache ? { cacheStats: { ...cache.stats } } : {}),
  };
}

interface SimulateContext {
  emit(e: ProgressEvent): void;
  now(): number;
  stopRequested(): boolean;
  finish(p: PlanPoint, c: PointComputed, wallMs: number): void;
  jobs: number;
  hooksModule: string | undefined;
  reference: boolean;
  pool: PointPool | undefined;
}

/** One point after another in this thread. Returns whether the run was stopped. */
async function simulateHere(todo: readonly PlanPoint[], ctx: SimulateContext): Promise<boolean> {
  const hooks = await loadHooksModule(ctx.hooksModule);
  for (const p of todo) {
    if (ctx.stopRequested()) return true;
    ctx.emit({ type: "point-start", index: p.index, id: p.id, params: p.params });
    const t0 = ctx.now();
    const o = await executePoint(jobOf(p, ctx.reference), {
      onSlice: (fraction, events, simSeconds, live) => {
        ctx.emit({ type: "slice", index: p.index, fraction, events, simSeconds, ...(live ? { live } : {}) });
        return ctx.stopRequested();
      },
      ...(hooks.afterBuild ? { afterBuild: hooks.afterBuild } : {}),
    });
    if (o.kind === "stopped") return true;
    ctx.finish(p, o, ctx.now() - t0);
  }
  return false;
}

/** Cache entries read at once (well under any open-file limit). */
const CACHE_READS = 64;

/** How often a stop request is looked for while every point runs in a worker, ms. */
const STOP_POLL_MS = 50;

/** Up to `jobs` points at once in worker threads. Returns whether the run was stopped. */
async function simulateInPool(todo: readonly PlanPoint[], ctx: SimulateContext): Promise<boolean> {
  const pool = ctx.pool ?? new PointPool({ threads: Math.min(ctx.jobs, todo.length), ...(ctx.hooksModule ? { hooksModule: ctx.hooksModule } : {}) });
  pool.resume();
  let stopped = false;
  const checkStop = () => {
    if (ctx.stopRequested()) pool.stop();
  };
  const poll = setInterval(checkStop, STOP_POLL_MS);
  try {
    await Promise.all(
      // The most expensive points first (cost.ts): the run ends when the work is spread
      // evenly, not with one long point started last. Results stay in plan order.
      costliestFirst(todo).map(async (p) => {
        let t0: number | undefined;
        const started = () => {
          if (t0 !== undefined) return;
          t0 = ctx.now();
          ctx.emit({ type: "point-start", index: p.index, id: p.id, params: p.params });
        };
        let o: JobOutcome;
        try {
          o = await pool.run(jobOf(p, ctx.reference), (m) => {
            if (m.type === "start") return started();
            ctx.emit({ type: "slice", index: p.index, fraction: m.fraction, events: m.events, simSeconds: m.simSeconds, ...(m.live ? { live: m.live } : {}) });
            checkStop();
          });
        } catch (e) {
          // The worker died (an uncaught error, process.exit, out of memory): a bug.
          started();
          const why = e instanceof Error ? e.message : String(e);
          o = { kind: "done", status: "failed", error: internalError(`the worker thread simulating this point crashed: ${why}`), metrics: {}, events: 0, simSeconds: 0 };
        }
        if (o.kind === "stopped") {
          stopped = true;
          return;
        }
        ctx.finish(p, o, ctx.now() - t0!);
      }),
    );
  } finally {
    clearInterval(poll);
    if (!ctx.pool) await pool.destroy();
  }
  return stopped;
}
