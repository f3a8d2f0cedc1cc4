/**
 * Progress arithmetic shared by the dashboard and the plain lines, kept apart from any
 * rendering so it is tested on its own.
 *
 * - Work is counted in repetitions (a point with 10 repetitions is 10 units); a running
 *   point contributes the fraction it reports.
 * - The ETA is honest: remaining work divided by the rate of work *completed by simulation*
 *   since the first point started: points served from the cache count as done but not as
 *   speed, and dispatched-but-unfinished points count only for the fraction they report.
 * - Simulator speed: events and simulated seconds per wall second, over the same span.
 * - A running point's mechanism counters are rates between its last two live snapshots.
 */
import type { LiveCounters } from "../run/point.js";
import type { PointResult, ProgressEvent } from "../run/runner.js";

export interface RunningPoint {
  index: number;
  id: string;
  params: Readonly<Record<string, unknown>>;
  fraction: number;
  events: number;
  simSeconds: number;
  live?: LiveCounters;
  prevLive?: LiveCounters;
}

export interface ProgressSnapshot {
  total: number;
  done: number;
  ok: number;
  failed: number;
  cached: number;
  workTotal: number;
  /** Work done, running fractions included. */
  workDone: number;
  /** workDone / workTotal, 0..1. */
  fraction: number;
  /** Wall seconds since the first point started (0 before). */
  elapsedS: number;
  /** Seconds still to go; absent until there is completed work to estimate from. */
  etaS?: number;
  eventsPerS?: number;
  simSecondsPerS?: number;
  running: RunningPoint[];
}

/** No estimate before this much wall time (ms): the first slices are dominated by start-up. */
const ETA_MIN_MS = 500;

export class ProgressTracker {
  private total: number;
  private workTotal: number;
  private firstStartMs: number | undefined;
  private readonly finished = new Map<number, { work: number; simulated: boolean; result: PointResult; events: number; simSeconds: number }>();
  private readonly running = new Map<number, RunningPoint>();

  constructor(
    /** Units of work of each point, by plan index. */
    private readonly workOf: readonly number[],
  ) {
    this.total = workOf.length;
    this.workTotal = workOf.reduce((a, b) => a + b, 0);
  }

  onEvent(e: ProgressEvent, nowMs: number): void {
    switch (e.type) {
      case "start":
        this.total = e.total;
        this.workTotal = e.work;
        return;
      case "point-start":
        if (e.cached) return;
        this.firstStartMs ??= nowMs;
        this.running.set(e.index, { index: e.index, id: e.id, params: e.params, fraction: 0, events: 0, simSeconds: 0 });
        return;
      case "slice": {
        const r = this.running.get(e.index);
        if (!r) return;
        r.fraction = e.fraction;
        r.events = e.events;
        r.simSeconds = e.simSeconds;
        if (e.live) {
          // A new repetition restarts simulated time: its first snapshot has no predecessor.
          if (r.live && e.live.simSeconds > r.live.simSeconds) r.prevLive = r.live;
          else delete r.prevLive;
          r.live = e.live;
        }
        return;
      }
      case "point-done":
        this.running.delete(e.index);
        this.finished.set(e.index, {
          work: this.workOf[e.index] ?? 1,
          simulated: !e.cached,
          result: e.result,
          events: e.events,
          simSeconds: e.simSeconds,
        });
        return;
    }
  }

  snapshot(nowMs: number): ProgressSnapshot {
    let workDone = 0;
    let simulatedWork = 0;
    let events = 0;
    let simSeconds = 0;
    let ok = 0;
    let failed = 0;
    let cached = 0;
    for (const f of this.finished.values()) {
      workDone += f.work;
      if (f.simulated) {
        simulatedWork += f.work;
        events += f.events;
        simSeconds += f.simSeconds;
      } else cached++;
      if (f.result.status === "ok") ok++;
      else if (f.result.status === "failed" || f.result.status === "crashed") failed++;
    }
    for (const r of this.running.values()) {
      const w = (this.workOf[r.index] ?? 1) * Math.min(1, Math.max(0, r.fraction));
      workDone += w;
      simulatedWork += w;
      events += r.events;
      simSeconds += r.simSeconds;
    }
    const elapsedMs = this.firstStartMs === undefined ? 0 : Math.max(0, nowMs - this.firstStartMs);
    const elapsedS = elapsedMs / 1000;
    const snap: ProgressSnapshot = {
      total: this.total,
      done: this.finished.size,
      ok,
      failed,
      cached,
      workTotal: this.workTotal,
      workDone,
      fraction: this.workTotal > 0 ? Math.min(1, workDone / this.workTotal) : 1,
      elapsedS,
      running: [...this.running.values()].sort((a, b) => a.index - b.index),
    };
    if (elapsedMs >= ETA_MIN_MS && simulatedWork > 0) {
      snap.etaS = (Math.max(0, this.workTotal - workDone) * elapsedS) / simulatedWork;
      snap.eventsPerS = events / elapsedS;
      snap.simSecondsPerS = simSeconds / elapsedS;
    }
    return snap;
  }
}

export interface LiveRates {
  /** True while the point is still warming up (counters start with the measurement window). */
  warmup: boolean;
  interruptsPerS: number;
  driverActivationsPerS: number;
  contextSwitchesPerS: number;
  systemCallsPerS: number;
  /** Share of CPU time by activity class over the last slice (or since the start). */
  cpu: Record<string, number>;
  drops: Record<string, number>;
}

/** Mechanism rates of a running point: between its last two snapshots, else since the window opened. */
export function liveRates(cur: LiveCounters, prev?: LiveCounters): LiveRates {
  const warmup = cur.simSeconds <= cur.windowStartS;
  const from = prev && prev.simSeconds >= cur.windowStartS ? prev : undefined;
  const span = cur.simSeconds - (from ? from.simSeconds : cur.windowStartS);
  const rate = (k: "interrupts" | "driverActivations" | "contextSwitches" | "systemCalls") =>
    warmup || span <= 0 ? 0 : (cur[k] - (from ? from[k] : 0)) / span;
  const cpu: Record<string, number> = {};
  let total = 0;
  for (const [cls, s] of Object.entries(cur.cpuSeconds)) {
    const d = s - (prev?.cpuSeconds[cls] ?? 0);
    cpu[cls] = d;
    total += d;
  }
  for (const cls of Object.keys(cpu)) cpu[cls] = total > 0 ? cpu[cls]! / total : 0;
  return {
    warmup,
    interruptsPerS: rate("interrupts"),
    driverActivationsPerS: rate("driverActivations"),
    contextSwitchesPerS: rate("contextSwitches"),
    systemCallsPerS: rate("systemCalls"),
    cpu,
    drops: { ...cur.drops },
  };
}

/** "1 h 02 min", "4 min 05 s", "12 s", "0.4 s". */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return "—";
  if (s < 10) return `${s.toFixed(1)} s`;
  const t = Math.round(s);
  if (t < 60) return `${t} s`;
  const m = Math.floor(t / 60);
  if (m < 60) return `${m} min ${String(t % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

/** "1.23M", "456k", "789": simulator events per second and similar counts. */
export function formatCount(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${(n / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${(n / 1e3).toPrecision(3)}k`;
  return String(Math.round(n));
}
