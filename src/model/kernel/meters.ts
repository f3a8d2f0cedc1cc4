/**
 * Meters over a measurement window [start, end): exact CPU time per activity class and the
 * kernel's event counters. Both read the kernel's own exact bookkeeping rather than listen
 * to the probes that fire at every burst or system call (see CpuTimeMeter, KernelCounters);
 * tests check them against the probes.
 */
import { ACTIVITY_CLASSES, COUNT_ACTIVATION, COUNT_CTXSW, COUNT_IRQ, COUNT_SYSCALL, perActivity, type ActivityClass } from "../cpu/index.js";
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
 * Exact CPU time per class in the window. The kernel closes every open accounting interval
 * at the window's edges (syncAccounting), so the time in the window is the kernel's running
 * totals (Kernel.cpuTime, integer ps) at the end less those at the start — exactly the sum
 * of the `cpu<N>/time` intervals between the edges, without a listener on that probe,
 * which fires at every CPU burst (a listener there cost about 5 % of a disk point's time).
 */
export class CpuTimeMeter {
  readonly start: SimTime;
  readonly end: SimTime;
  /** Per core, the running totals by class at the start and at the end (null until then). */
  private atStart: Float64Array[] | null = null;
  private atEnd: Float64Array[] | null = null;

  constructor(
    private readonly k: Kernel,
    window: MeterWindow = {},
  ) {
    const { start, end } = resolve(k, window);
    this.start = start;
    this.end = end;
    const markStart = () => {
      k.syncAccounting();
      this.atStart = this.totals();
    };
    const markEnd = () => {
      k.syncAccounting();
      this.atEnd = this.totals();
    };
    if (start === k.sim.now) markStart();
    else k.sim.at(start, markStart);
    if (end !== Infinity) k.sim.at(end, markEnd);
  }

  /** The kernel's CPU time totals now, per core, in ACTIVITY_CLASSES order. */
  private totals(): Float64Array[] {
    const out: Float64Array[] = [];
    for (let c = 0; c < this.k.coreCount; c++) {
      const t = this.k.cpuTime(c);
      out.push(Float64Array.from(ACTIVITY_CLASSES, (cls) => t[cls]));
    }
    return out;
  }

  /** CPU time per class in the window so far, ps (one core, or summed over all). */
  time(core?: number): Record<ActivityClass, SimTime> {
    const from = this.atStart;
    if (from === null) return perActivity(() => 0);
    if (this.atEnd === null && this.k.sim.now > this.start && this.k.sim.now < this.end) this.k.syncAccounting();
    const to = this.atEnd ?? this.totals();
    return perActivity((c) => {
      const i = ACTIVITY_CLASSES.indexOf(c);
      if (core !== undefined) return to[core]![i]! - from[core]![i]!;
      let sum = 0;
      for (let n = 0; n < to.length; n++) sum += to[n]![i]! - from[n]![i]!;
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

/**
 * Counts kernel events whose time lies in [start, end), summed over cores. The CPU counts
 * them where their probes (`cpu<N>/irq`, `/activation`, `/ctxsw`, `/syscall`) are emitted,
 * in this window (Cpu.countEvent): the same counts as listeners on those probes, without a
 * call through each probe several times per I/O. One per kernel.
 */
export class KernelCounters {
  readonly start: SimTime;
  readonly end: SimTime;

  constructor(
    private readonly k: Kernel,
    window: MeterWindow = {},
  ) {
    const { start, end } = resolve(k, window);
    this.start = start;
    this.end = end;
    k.cpu.setCountWindow(start, end);
  }

  counts(): KernelCounts {
    return this.map((v) => v);
  }

  /** Counts per second of window elapsed so far. */
  perSecond(): KernelCounts {
    const horizon = Math.min(this.k.sim.now, this.end);
    const s = toSeconds(horizon - this.start);
    return this.map((v) => (s > 0 ? v / s : 0));
  }

  private map(f: (v: number) => number): KernelCounts {
    const sum = (kind: number) => {
      let n = 0;
      for (const core of this.k.cpu.cores) n += core.counts[kind]!;
      return f(n);
    };
    return {
      interrupts: sum(COUNT_IRQ),
      driverActivations: sum(COUNT_ACTIVATION),
      contextSwitches: sum(COUNT_CTXSW),
      systemCalls: sum(COUNT_SYSCALL),
    };
  }
}
