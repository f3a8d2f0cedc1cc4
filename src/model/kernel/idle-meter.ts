/**
 * The ipbench CPU meter (facts.md; paper §4.1): a lowest-priority process loops reading the
 * cycle counter. A gap between two reads no longer than `threshold` counts as idle time; a
 * longer gap is time taken by something else and is not counted. CPU utilisation over a
 * window = 1 − counted idle / window length.
 *
 * The meter process only sees its own run intervals (probe `proc/idlemeter<N>/run`), and
 * reads happen every `loop` of its own run time. Instead of an event per read (one per
 * ~51 ns on the paper's machine), `IdleGapCounter` carries the reads' phase across run
 * intervals: preempted at b with last read r and resumed at c, the next read is at
 * c + loop − (b − r), so the gap seen is c − b + loop. Within an interval every gap is
 * exactly `loop`. Gaps are clipped to the measurement window [start, end).
 */
import { fromSeconds, type SimTime } from "../../sim/time.js";
import type { Program, Task } from "../cpu/index.js";
import type { Kernel } from "./kernel.js";

/** Idle time as the meter process counts it, from its run intervals. Pure arithmetic. */
export class IdleGapCounter {
  private started = false;
  private running = false;
  /** Time of the last read of the cycle counter. */
  private lastRead: SimTime = 0;
  /** Own run time since the last read, as of `onAt` (running) or of going off (stopped). */
  private sinceRead: SimTime = 0;
  private onAt: SimTime = 0;
  /** Idle committed so far (gaps closed at an `off`), within the window. */
  private committed: SimTime = 0;

  constructor(
    /** Time of one iteration of the loop, ps. */
    readonly loop: SimTime,
    /** Longest gap counted as idle, ps (≥ loop). */
    readonly threshold: SimTime,
    readonly windowStart: SimTime = 0,
    readonly windowEnd: SimTime = Infinity,
  ) {
    if (!(loop > 0) || !(threshold >= loop)) {
      throw new Error(`bug: idle meter loop ${loop} ps and threshold ${threshold} ps (need 0 < loop ≤ threshold)`);
    }
  }

  /** The process starts (or resumes) executing its loop at `t`. */
  on(t: SimTime): void {
    if (this.running) return;
    if (!this.started) {
      this.started = true;
      this.lastRead = t; // the first read, as the loop starts
      this.sinceRead = 0;
    }
    this.onAt = t;
    this.running = true;
  }

  /** The process stops executing at `t` (preempted by an interrupt or another task). */
  off(t: SimTime): void {
    if (!this.running) return;
    this.committed += this.walk(t, Infinity);
    this.lastRead = this.walkRead;
    this.sinceRead = this.walkSince;
    this.running = false;
  }

  /** Results of the last `walk`: last read reached, own run time after it, whether none. */
  private walkRead: SimTime = 0;
  private walkSince: SimTime = 0;
  private walkedNone = true;

  /**
   * Reads during the run [onAt, b]: returns the counted idle of the gaps they close, clipped
   * to the window and to `limit`.
   */
  private walk(b: SimTime, limit: SimTime): SimTime {
    const loop = this.loop;
    const total = this.sinceRead + (b - this.onAt);
    let counted = 0;
    if (total >= loop) {
      const first = this.onAt + (loop - this.sinceRead);
      if (first - this.lastRead <= this.threshold) counted += this.clip(this.lastRead, first, limit);
      const n = Math.floor(total / loop);
      const last = first + (n - 1) * loop;
      counted += this.clip(first, last, limit); // gaps of exactly `loop`: all idle
      this.walkRead = last;
      this.walkSince = total - n * loop;
      this.walkedNone = false;
    } else {
      this.walkRead = this.lastRead;
      this.walkSince = total;
      this.walkedNone = true;
    }
    return counted;
  }

  private clip(a: SimTime, z: SimTime, limit: SimTime): SimTime {
    const lo = a > this.windowStart ? a : this.windowStart;
    let hi = z < this.windowEnd ? z : this.windowEnd;
    if (limit < hi) hi = limit;
    return hi > lo ? hi - lo : 0;
  }

  /**
   * Idle counted in [windowStart, min(now, windowEnd)). A gap still open at that horizon is
   * judged as if the loop resumed (or kept running) at `now`.
   */
  countedIdle(now: SimTime): SimTime {
    const horizon = now < this.windowEnd ? now : this.windowEnd;
    let idle = this.committed;
    if (!this.started) return idle;
    if (this.running) {
      idle += this.walk(now, horizon);
      // The open gap closes at the next read: `loop` after the last, or the first read of
      // this run if none happened yet.
      const next = this.walkedNone ? this.onAt + (this.loop - this.sinceRead) : this.walkRead + this.loop;
      if (next - this.walkRead <= this.threshold) idle += this.clip(this.walkRead, next, horizon);
    } else {
      const next = now + this.loop - this.sinceRead;
      if (next - this.lastRead <= this.threshold) idle += this.clip(this.lastRead, next, horizon);
    }
    return idle;
  }

  /** 1 − counted idle / window length, over [windowStart, min(now, windowEnd)). */
  utilisation(now: SimTime): number {
    const horizon = now < this.windowEnd ? now : this.windowEnd;
    const length = horizon - this.windowStart;
    if (length <= 0) return NaN;
    return 1 - this.countedIdle(now) / length;
  }
}

export interface IdleMeterOptions {
  /** Measurement window start, ps (default: now). Warm-up before it is excluded. */
  start?: SimTime;
  /** Measurement window end, ps (default: open). */
  end?: SimTime;
}

/**
 * Installs one meter process per core (user process, nice 20: below every nice value Linux
 * allows, as ipbench's nice-20 thread is the last to run) and counts its idle time.
 */
export class IdleMeter {
  readonly tasks: readonly Task[];
  private readonly counters: IdleGapCounter[] = [];

  constructor(
    private readonly k: Kernel,
    opts: IdleMeterOptions = {},
  ) {
    const loop = fromSeconds(k.machine.idle_meter.loop);
    const threshold = fromSeconds(k.machine.idle_meter.threshold);
    const start = opts.start ?? k.sim.now;
    const end = opts.end ?? Infinity;
    const tasks: Task[] = [];
    for (let c = 0; c < k.coreCount; c++) {
      const counter = new IdleGapCounter(loop, threshold, start, end);
      this.counters.push(counter);
      const name = `idlemeter${c}`;
      k.sim.probes.get(`proc/${name}/run`).subscribe((t, running) => (running ? counter.on(t) : counter.off(t)));
      tasks.push(k.spawn(name, idleLoop, { nice: IDLE_METER_NICE, core: c }));
    }
    this.tasks = tasks;
  }

  /** Idle counted on `core` so far in the window, ps. */
  idle(core = 0): SimTime {
    return this.counters[core]!.countedIdle(this.k.sim.now);
  }

  /** CPU utilisation (0..1) over the window so far, averaged over cores. */
  utilisation(): number {
    let sum = 0;
    for (const c of this.counters) sum += c.utilisation(this.k.sim.now);
    return sum / this.counters.length;
  }
}

/** ipbench runs its thread at nice 20 (clamped by Linux to 19); rank it below nice 19. */
export const IDLE_METER_NICE = 20;

function* idleLoop(self: Task): Program {
  for (;;) yield self.run(Infinity, "idle");
}
