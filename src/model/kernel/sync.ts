/**
 * Wait queues and counting semaphores.
 *
 * Costs: `sem_down` for each down(), `sem_up` for each up(), and `wakeup` for each task
 * made runnable, charged to the calling context's kernel class (irq / softirq / syscall).
 * Sleeping itself costs nothing here: the scheduler charges the context switch it causes.
 */
import { blockOnce, burstThen, LEVEL_TASK, returning, RUN, type Context, type Program, type Task, type Waitable } from "../cpu/index.js";
import type { Probe } from "../../sim/probe.js";
import type { Kernel } from "./kernel.js";

/** Tasks sleeping on a condition, woken in FIFO order. */
export class WaitQueue implements Waitable {
  private readonly sleepers: Task[] = [];
  /** `wakeup`, ps (looked up once: a hot path). */
  private readonly wakeupPs: number;
  private readonly wakeNow = (): Task | null => this.wakeOneNow();

  constructor(
    private readonly k: Kernel,
    readonly name: string,
  ) {
    this.wakeupPs = k.cost("wakeup");
  }

  get length(): number {
    return this.sleepers.length;
  }

  /** The task that `wakeOne` would wake, if any. */
  peek(): Task | undefined {
    return this.sleepers[0];
  }

  /**
   * Sleep until woken (the caller has checked its condition): `yield* wq.sleep(self)`.
   * Queued when called; the program only blocks (hand-written: see context.ts).
   */
  sleep(self: Task): Program {
    if (self.level !== LEVEL_TASK) throw new Error(`bug: only a task can sleep on ${this.name}`);
    this.sleepers.push(self);
    self.waitingOn = this;
    return blockOnce();
  }

  /**
   * Wake the first sleeper, charging `wakeup` to `cx`; returns it, or null if none:
   * `yield* wq.wakeOne(cx)`. Decided and, when its burst runs inline, done when called.
   */
  wakeOne(cx: Context): Program<Task | null> {
    if (this.sleepers.length === 0) return returning(null);
    return burstThen(cx.run(this.wakeupPs, cx.kernelClass), this.wakeNow);
  }

  /** `wakeOne` for callers that do not need the task woken: `yield* wq.wake(cx)`. */
  wake(cx: Context): Program {
    return this.wakeOne(cx) as unknown as Program; // the same program; its value is ignored
  }

  /** Wake every sleeper, `wakeup` each; returns how many. */
  *wakeAll(cx: Context): Program<number> {
    let n = 0;
    while (this.sleepers.length > 0) {
      if (cx.run(this.wakeupPs, cx.kernelClass)) yield RUN;
      if (this.wakeOneNow()) n++;
    }
    return n;
  }

  /** Wake the first sleeper without charging anything (for costs accounted elsewhere). */
  wakeOneNow(): Task | null {
    const t = this.sleepers.shift();
    if (t === undefined) return null;
    this.k.cpu.wake(t);
    return t;
  }

  remove(task: Task): void {
    const i = this.sleepers.indexOf(task);
    if (i >= 0) this.sleepers.splice(i, 1);
  }
}

/**
 * A counting semaphore. up() hands its unit straight to the first sleeper if there is one
 * (so a woken task never finds the count taken by a third party).
 */
export class Semaphore {
  private countNow: number;
  private readonly waiters: WaitQueue;
  private readonly pUp: Probe;
  private readonly pDown: Probe;

  constructor(
    private readonly k: Kernel,
    readonly name: string,
    initial = 0,
  ) {
    if (!(Number.isInteger(initial) && initial >= 0)) throw new Error(`bug: semaphore ${name} initial count ${initial}`);
    this.countNow = initial;
    this.waiters = new WaitQueue(k, name);
    this.pUp = k.sim.probes.get(`sem/${name}/up`);
    this.pDown = k.sim.probes.get(`sem/${name}/down`);
  }

  get count(): number {
    return this.countNow;
  }

  /** Tasks sleeping in down(). */
  get sleepers(): number {
    return this.waiters.length;
  }

  /** Take a unit, sleeping until one is available. */
  *down(self: Task): Program {
    if (self.run(this.k.cost("sem_down"), self.kernelClass)) yield RUN;
    if (this.countNow > 0) {
      this.countNow--;
      if (this.pDown.active) this.pDown.emit(this.countNow, 0); // a: count after, b: 1 if it sleeps
      return;
    }
    if (this.pDown.active) this.pDown.emit(this.countNow, 1);
    yield* this.waiters.sleep(self);
  }

  /** Take a unit if one is available, without sleeping or cost (a lock-free peek). */
  tryDown(): boolean {
    if (this.countNow === 0) return false;
    this.countNow--;
    return true;
  }

  /** Release a unit: to the first sleeper if any, else to the count. */
  *up(cx: Context): Program {
    if (cx.run(this.k.cost("sem_up"), cx.kernelClass)) yield RUN;
    if (this.waiters.length > 0) {
      if (cx.run(this.k.cost("wakeup"), cx.kernelClass)) yield RUN;
      // Re-check: the sleeper may have been killed during the wake-up burst.
      const t = this.waiters.wakeOneNow();
      if (t !== null) {
        if (this.pUp.active) this.pUp.emit(this.countNow, t.pid); // a: count after, b: pid woken (0: none)
        return;
      }
    }
    this.countNow++;
    if (this.pUp.active) this.pUp.emit(this.countNow, 0);
  }
}
