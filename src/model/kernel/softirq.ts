/**
 * Soft IRQs (bottom halves), after Linux 2.6.6 kernel/softirq.c.
 *
 * A pass snapshots and clears the core's pending bits, then runs each raised handler in
 * number (registration) order, charging `softirq` for the dispatch of each. When a hard IRQ
 * returns, passes repeat while handlers or new interrupts raise more, at most
 * `restarts` passes (MAX_SOFTIRQ_RESTART = 10); what is still pending then is left to the
 * per-core ksoftirqd kernel thread, which runs it at task priority.
 */
import { LEVEL_TASK, RUN, type Context, type Program, type Task } from "../cpu/index.js";
import type { Probe } from "../../sim/probe.js";
import type { Kernel } from "./kernel.js";
import { WaitQueue } from "./sync.js";

/** Linux 2.6.6 MAX_SOFTIRQ_RESTART (kernel/softirq.c). */
export const LINUX_SOFTIRQ_RESTARTS = 10;
/** Soft IRQ numbers are bits of a 32-bit int; keep clear of the sign bit. */
const MAX_SOFTIRQS = 31;

export type SoftirqHandler = (cx: Context) => Program;

export class SoftIrq {
  constructor(
    private readonly k: Kernel,
    /** Number: lower runs first within a pass. */
    readonly nr: number,
    readonly name: string,
    readonly handler: SoftirqHandler,
  ) {}

  /**
   * Mark pending on the core of `from` (a context, or a core index for code outside any
   * context). From process context the pass runs before the task's next burst.
   */
  raise(from: Context | number): void {
    if (typeof from === "number") this.k.cpu.raiseSoftirq(from, this.nr, true);
    else this.k.cpu.raiseSoftirq(from.core, this.nr, from.level === LEVEL_TASK);
  }
}

export class SoftirqSystem {
  private readonly list: SoftIrq[] = [];
  private readonly ksoftirqd: (Task | null)[];
  private readonly ksoftirqdWait: WaitQueue[];
  private readonly pRun: Probe[];

  constructor(
    private readonly k: Kernel,
    /** Passes at one IRQ exit before deferring to ksoftirqd (≥ 1). */
    private readonly restarts: number,
  ) {
    if (!(Number.isInteger(restarts) && restarts >= 1)) throw new Error(`bug: softirq restarts = ${restarts}`);
    const n = k.cpu.cores.length;
    this.ksoftirqd = new Array<Task | null>(n).fill(null);
    this.ksoftirqdWait = [];
    this.pRun = [];
    for (let c = 0; c < n; c++) {
      this.ksoftirqdWait.push(new WaitQueue(k, `ksoftirqd${c}`));
      this.pRun.push(k.sim.probes.get(`cpu${c}/softirq`));
    }
    k.cpu.softirqEntry = (cx) => this.atIrqExit(cx);
  }

  register(name: string, handler: SoftirqHandler): SoftIrq {
    if (this.list.length >= MAX_SOFTIRQS) throw new Error(`bug: more than ${MAX_SOFTIRQS} soft IRQs`);
    if (this.list.some((s) => s.name === name)) throw new Error(`bug: soft IRQ ${name} registered twice`);
    const s = new SoftIrq(this.k, this.list.length, name, handler);
    this.list.push(s);
    return s;
  }

  /** One pass: snapshot and clear the pending bits, run each raised handler once. */
  private *pass(cx: Context, inThread: number): Program {
    const core = this.k.cpu.cores[cx.core]!;
    let pending = core.softPending;
    core.softPending = 0;
    const p = this.pRun[cx.core]!;
    const dispatch = this.k.cost("softirq");
    for (let nr = 0; pending !== 0; nr++, pending >>>= 1) {
      if ((pending & 1) === 0) continue;
      const s = this.list[nr];
      if (s === undefined) continue;
      if (p.active) p.emit(nr, inThread); // a: soft IRQ number; b: 1 in ksoftirqd, 0 at IRQ exit
      if (cx.run(dispatch, "softirq")) yield RUN;
      yield* s.handler(cx);
    }
  }

  /** do_softirq() at IRQ exit: up to `restarts` passes, then hand over to ksoftirqd. */
  private *atIrqExit(cx: Context): Program {
    const core = this.k.cpu.cores[cx.core]!;
    for (let left = this.restarts; ; ) {
      yield* this.pass(cx, 0);
      if (core.softPending === 0) return;
      if (--left === 0) break;
    }
    // wakeup_softirqd(): creating the thread makes it runnable; else wake it if it sleeps.
    if (this.ksoftirqd[cx.core] === null) this.daemon(cx.core);
    else yield* this.ksoftirqdWait[cx.core]!.wakeOne(cx);
  }

  /** The core's ksoftirqd thread, created on first need (nice 19, as in Linux 2.6). */
  private daemon(coreIndex: number): Task {
    const existing = this.ksoftirqd[coreIndex];
    if (existing) return existing;
    const core = this.k.cpu.cores[coreIndex]!;
    const wait = this.ksoftirqdWait[coreIndex]!;
    const t = this.k.spawn(
      `ksoftirqd${coreIndex}`,
      function* (this: SoftirqSystem, self: Task): Program {
        self.kernelClass = "softirq";
        for (;;) {
          while (core.softPending !== 0) {
            core.bhDisabled = true;
            yield* this.pass(self, 1);
            core.bhDisabled = false;
          }
          yield* wait.sleep(self);
        }
      }.bind(this),
      { kernelThread: true, nice: 19, core: coreIndex },
    );
    this.ksoftirqd[coreIndex] = t;
    return t;
  }
}
