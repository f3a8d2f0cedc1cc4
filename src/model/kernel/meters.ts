/**
 * Meters over a measurement window [start, end): exact CPU time per activity class and the
 * kernel's event counters. Both only subscribe to probes (design: observe through probes).
 */
import { ACTIVITY_CLASSES, ACTIVITY_COUNT, perActivity, type ActivityClass } from "../cpu/index.js";
import { toSeconds, type SimTime } from "../../sim/time.js";
import type { Kernel } from "./kernel.js";

export interface MeterWindow {
  /** Window start, ps (default: now). Must not be in the past. */
  start?: SimTime;
  /** Window end, ps (default: open). */
  end?: SimTime;
}

function resolve(k: Kernel, w: MeterWindow): { start: SimTime; end: SimTime } {
  const start = w.start ?? k.sim.now;
  const end = w.end ?? Infinity;
  if (start < k.sim.now) throw new Error(`bug: meter window starts at ${start} ps, before now (${k.sim.now} ps)`);
  if (!(end > start)) throw new Error(`bug: meter window [${start}, ${end}) ps is empty`);
  return { start, end };
}

/**
 * Exact CPU time per class from the `cpu<N>/time` intervals. The kernel closes every open
 * interval at the window's edges (syncAccounting), so no interval straddles them.
 */
export class CpuTimeMeter {
  readonly start: SimTime;
  readonly end: SimTime;
  private readonly acc: Float64Array[] = [];

  constructor(
    private readonly k: Kernel,
    window: MeterWindow = {},
  ) {
    const { start, end } = resolve(k, window);
    this.start = start;
    this.end = end;
    const sync = () => k.syncAccounting();
    if (start === k.sim.now) sync();
    else k.sim.at(start, sync);
    if (end !== Infinity) k.sim.at(end, sync);
    for (let c = 0; c < k.coreCount; c++) {
      const acc = new Float64Array(ACTIVITY_COUNT);
      this.acc.push(acc);
      k.sim.probes.get(`cpu${c}/time`).subscribe((t, cls, d) => {
        if (t - d >= this.start && t <= this.end) acc[cls]! += d;
      });
    }
  }

  /** CPU time per class in the window so far, ps (one core, or summed over all). */
  time(core?: number): Record<ActivityClass, SimTime> {
    if (this.k.sim.now > this.start && this.k.sim.now < this.end) this.k.syncAccounting();
    return perActivity((c) => {
      const i = ACTIVITY_CLASSES.indexOf(c);
      if (core !== undefined) return this.acc[core]![i]!;
      let sum = 0;
      for (const a of this.acc) sum += a[i]!;
      return sum;
    });
  }

  /** Fractions of all cores' time in the window, summing to 1 (design §4 cpu_breakdown). */
  breakdown(): Record<ActivityClass, number> {
    const t = this.time();
    let total = 0;
    for (const c of ACTIVITY_CLASSES) total += t[c];
    return perActivity((c) => (total > 0 ? t[c] / total : 0));
  }
}

export interface KernelCounts {
  /** Device interrupts taken (`cpu<N>/irq`). */
  interrupts: number;
  /** User-level driver activations (`cpu<N>/activation`), simulated interrupts included. */
  driverActivations: number;
  /** Context switches (`cpu<N>/ctxsw`), signal-handler switches included. */
  contextSwitches: number;
  /** System calls (`cpu<N>/syscall`). */
  systemCalls: number;
}

/** Counts kernel events whose time lies in [start, end), summed over cores. */
export class KernelCounters {
  readonly start: SimTime;
  readonly end: SimTime;
  private readonly n: KernelCounts = { interrupts: 0, driverActivations: 0, contextSwitches: 0, systemCalls: 0 };

  constructor(
    private readonly k: Kernel,
    window: MeterWindow = {},
  ) {
    const { start, end } = resolve(k, window);
    this.start = start;
    this.end = end;
    const probes: [keyof KernelCounts, string][] = [
      ["interrupts", "irq"],
      ["driverActivations", "activation"],
      ["contextSwitches", "ctxsw"],
      ["systemCalls", "syscall"],
    ];
    for (let c = 0; c < k.coreCount; c++) {
      for (const [key, probe] of probes) {
        k.sim.probes.get(`cpu${c}/${probe}`).subscribe((t) => {
          if (t >= this.start && t < this.end) this.n[key]++;
        });
      }
    }
  }

  counts(): KernelCounts {
    return { ...this.n };
  }

  /** Counts per second of window elapsed so far. */
  perSecond(): KernelCounts {
    const horizon = Math.min(this.k.sim.now, this.end);
    const s = toSeconds(horizon - this.start);
    const r = (v: number) => (s > 0 ? v / s : 0);
    return {
      interrupts: r(this.n.interrupts),
      driverActivations: r(this.n.driverActivations),
      contextSwitches: r(this.n.contextSwitches),
      systemCalls: r(this.n.systemCalls),
    };
  }
}
