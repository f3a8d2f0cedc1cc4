/**
 * Running one point: build the system, simulate the warm-up and the measurement window in
 * slices (yielding to the host's event loop between slices, so progress can be shown and a
 * stop request honoured), check the invariants, and collect the metrics of design §4.
 *
 * A simulated kernel crash (an in-kernel driver fault) stops the simulation at that moment:
 * the point is `crashed` — a result, with what was measured until then — not a failure.
 * A component that records a throughput series (faults:) gives it to the point as
 * `metrics.series`, which the results document moves to the point's own `series` key.
 */
import type { NormalisedScenario } from "../dsl/normalised.js";
import { attachMeters, buildSystem, checkSystemInvariants, type System } from "../model/system.js";
import { toSeconds } from "../sim/time.js";
import { SERIES_KEY } from "./series-key.js";

export type PointStatus = "ok" | "failed" | "crashed" | "not-run";

export interface PointOutcome {
  status: PointStatus;
  error?: string;
  metrics: Record<string, unknown>;
  /** Events simulated (for speed figures; not part of the results document). */
  events: number;
  simSeconds: number;
}

export interface SliceInfo {
  /** Fraction of this run done, 0..1. */
  fraction: number;
  events: number;
  simSeconds: number;
  /** The run's mechanism counters so far, for a live display (never in results). */
  live?: LiveCounters;
}

/**
 * A running point's mechanism counters at a slice boundary, read without side effects (the
 * dashboard shows rates between two of them). Plain data: it crosses worker threads.
 */
export interface LiveCounters {
  /** Simulated time now, and the start of the measurement window (where the counts start), s. */
  simSeconds: number;
  windowStartS: number;
  /** Kernel events counted in the measurement window so far. */
  interrupts: number;
  driverActivations: number;
  contextSwitches: number;
  systemCalls: number;
  /** CPU time by activity class since the simulation started, s, all cores. */
  cpuSeconds: Record<string, number>;
  /** Drops per stage so far, as the components report them. */
  drops: Record<string, number>;
}

function liveCounters(sys: System, meters: ReturnType<typeof attachMeters>): LiveCounters {
  const cpuSeconds: Record<string, number> = {};
  for (let c = 0; c < sys.k.coreCount; c++) {
    for (const [cls, ps] of Object.entries(sys.k.cpuTime(c))) cpuSeconds[cls] = (cpuSeconds[cls] ?? 0) + toSeconds(ps);
  }
  const drops: Record<string, number> = {};
  for (const comp of sys.components.values()) {
    let m: Record<string, unknown> | undefined;
    try {
      m = comp.metrics?.(sys);
    } catch {
      continue; // a component that cannot report mid-run shows no drops
    }
    const d = m?.drops;
    if (d && typeof d === "object") for (const [k, v] of Object.entries(d)) if (typeof v === "number") drops[k] = (drops[k] ?? 0) + v;
  }
  return { simSeconds: toSeconds(sys.sim.now), windowStartS: toSeconds(sys.window.start), ...meters.counters.counts(), cpuSeconds, drops };
}

export interface PointHooks {
  /** Called between slices; return true to stop the point now (it is then not-run). */
  onSlice?(info: SliceInfo): boolean | void;
  /** Test hook: runs after the system is built, before simulation. */
  afterBuild?(sys: System): void;
}

/** Slices per run: enough for a live progress bar, few enough to cost nothing. */
const SLICES = 50;

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

export class StoppedError extends Error {}

export interface SimulateOptions {
  /** Per-event reference mode: no exact coalescing (model/system.ts BuildOptions). Same results. */
  reference?: boolean;
}

/** Simulate one repetition of a point. Throws StoppedError if a hook asked to stop. */
export async function simulate(scenario: NormalisedScenario, seed: number, hooks: PointHooks = {}, opts: SimulateOptions = {}): Promise<PointOutcome> {
  const sys = buildSystem(scenario, seed, opts);
  hooks.afterBuild?.(sys);
  const meters = attachMeters(sys);
  const { start, end } = sys.window;
  const step = Math.max(1, Math.ceil(end / SLICES));
  const untilDone = sys.workload.mode === "until-done";
  let t = 0;
  while (t < end) {
    t = Math.min(end, t + step);
    sys.sim.run(t);
    if (untilDone && sys.workload.done) break;
    if (sys.k.panicked !== null) break;
    const stop = hooks.onSlice?.({ fraction: t / end, events: sys.sim.eventsFired, simSeconds: toSeconds(sys.sim.now), live: liveCounters(sys, meters) });
    if (stop) throw new StoppedError("stopped");
    await yieldToHost();
  }
  const base = { events: sys.sim.eventsFired, simSeconds: toSeconds(sys.sim.now) };
  const panic = sys.k.panicked;
  if (untilDone && !sys.workload.done && panic === null) {
    return {
      status: "failed",
      error: `the workload did not finish within run.duration (${toSeconds(end - start)} s after warm-up); raise run.duration`,
      metrics: {},
      ...base,
    };
  }
  const violations = checkSystemInvariants(sys);
  if (violations.length) return { status: "failed", error: violations.join("; "), metrics: {}, ...base };

  const perS = meters.counters.perSecond();
  const metrics: Record<string, unknown> = {
    cpu_utilization: meters.cpu.utilisation(),
    cpu_breakdown: meters.time.breakdown(),
    interrupts_per_s: perS.interrupts,
    driver_activations_per_s: perS.driverActivations,
    context_switches_per_s: perS.contextSwitches,
    system_calls_per_s: perS.systemCalls,
  };
  for (const c of sys.components.values()) mergeMetrics(metrics, c.metrics?.(sys) ?? {});
  for (const c of sys.components.values()) {
    const series = c.series?.(sys);
    if (series) metrics[SERIES_KEY] = series;
  }
  if (panic !== null) return { status: "crashed", error: `kernel crash at ${toSeconds(panic.at)} s: ${panic.why}`, metrics, ...base };
  return { status: "ok", metrics, ...base };
}


function mergeMetrics(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    if (cur && typeof cur === "object" && v && typeof v === "object") mergeMetrics(cur as Record<string, unknown>, v as Record<string, unknown>);
    else into[k] = v;
  }
}

/**
 * Mean over repetitions, with a `_sd` companion (sample standard deviation) for every
 * top-level metric when there is more than one repetition. A metric only some repetitions
 * report (a fault's timings, when the fault struck in some of them) is averaged over those
 * that have it.
 */
export function aggregateRepetitions(runs: Record<string, unknown>[]): Record<string, unknown> {
  if (runs.length === 1) return runs[0]!;
  const out: Record<string, unknown> = {};
  for (const key of keysOf(runs)) {
    // A series is not averaged (repetitions differ in length): the first repetition's is kept.
    if (key === SERIES_KEY) {
      out[key] = runs.find((r) => r[key] !== undefined)![key];
      continue;
    }
    const values = runs.map((r) => r[key]);
    const [mean, sd] = meanSd(values);
    out[key] = mean;
    if (sd !== undefined) out[`${key}_sd`] = sd;
  }
  return out;
}

/** Every key of any of `objects`, in the order first seen. */
function keysOf(objects: readonly unknown[]): string[] {
  const keys = new Set<string>();
  for (const o of objects) if (o && typeof o === "object") for (const k of Object.keys(o)) keys.add(k);
  return [...keys];
}

function meanSd(values: unknown[]): [unknown, unknown] {
  const present = values.filter((v) => v !== undefined);
  if (typeof present[0] === "number") {
    const xs = present.filter((v): v is number => typeof v === "number");
    // One repetition reported it: a mean, but no spread to speak of (an sd of 0 would read
    // as "measured, all equal").
    if (xs.length < 2) return [xs[0], undefined];
    // Equal values: exactly that value and 0, not a mean a rounding away (sd 6e-22).
    if (xs.every((x) => x === xs[0])) return [xs[0], 0];
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) : 0;
    return [m, Math.sqrt(v)];
  }
  const mean: Record<string, unknown> = {};
  const sd: Record<string, unknown> = {};
  for (const k of keysOf(present)) {
    const [m, s] = meanSd(present.map((x) => (x as Record<string, unknown>)[k]));
    mean[k] = m;
    if (s !== undefined) sd[k] = s;
  }
  return [mean, sd];
}
