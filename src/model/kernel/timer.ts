/**
 * Kernel timers. An expiry is delivered as a local timer interrupt on the timer's core
 * (hard IRQ entry/exit, vector 239 = IA64_TIMER_VECTOR) that raises the timer soft IRQ;
 * the soft IRQ charges `timer` per expired timer and runs its callback. Timers expiring at
 * the same instant share one interrupt. Expiry is exact: there is no periodic tick, so
 * timers are not rounded to 1/HZ (a known simplification).
 */
import type { EventId } from "../../sim/kernel.js";
import type { Probe } from "../../sim/probe.js";
import type { SimTime } from "../../sim/time.js";
import { RUN, type Context, type HardIrqSource, type Program } from "../cpu/index.js";
import type { Kernel } from "./kernel.js";

/** IA64_TIMER_VECTOR (0xef), Linux 2.6 include/asm-ia64/hw_irq.h. */
export const LOCAL_TIMER_VECTOR = 239;

export type TimerCallback = (cx: Context) => Program;

/** The per-core timer interrupt: the interrupt half of timer expiry. */
export class LocalTimer implements HardIrqSource {
  readonly vector = LOCAL_TIMER_VECTOR;
  queued = false;
  /** Timers expired and waiting for the timer soft IRQ, in expiry order. */
  expired: KernelTimer[] = [];
  private readonly pIrq: Probe;

  constructor(
    private readonly k: Kernel,
    readonly core: number,
  ) {
    this.pIrq = k.sim.probes.get(`cpu${core}/timer_irq`);
  }

  *hardIrq(cx: Context): Program {
    if (this.pIrq.active) this.pIrq.emit(this.expired.length, 0); // a: timers expired
    if (cx.run(this.k.cost("irq_entry"), "irq")) yield RUN;
    this.k.timerSoftirq.raise(cx);
    if (cx.run(this.k.cost("irq_exit"), "irq")) yield RUN;
  }

  /** The timer soft IRQ handler: run the callbacks of expired timers. */
  *runExpired(cx: Context): Program {
    const cost = this.k.cost("timer");
    while (this.expired.length > 0) {
      const t = this.expired.shift()!;
      t.expiredWaiting = false;
      if (cx.run(cost, "softirq")) yield RUN;
      t.fired(cx.core);
      yield* t.callback(cx);
    }
  }
}

export class KernelTimer {
  private event: EventId = -1;
  /** @internal On the local timer's expired list. */
  expiredWaiting = false;
  private readonly pFire: Probe;
  private readonly onExpiry: () => void;

  constructor(
    private readonly k: Kernel,
    readonly name: string,
    readonly callback: TimerCallback,
    private readonly local: LocalTimer,
  ) {
    this.pFire = k.sim.probes.get(`timer/${name}/fire`);
    this.onExpiry = () => {
      this.event = -1;
      this.expiredWaiting = true;
      this.local.expired.push(this);
      this.k.cpu.interrupt(this.local.core, this.local);
    };
  }

  /** Armed and not yet expired. */
  get armed(): boolean {
    return this.event >= 0;
  }

  /** Expire at absolute time `t` (ps); re-arming replaces the previous expiry. */
  armAt(t: SimTime): void {
    this.cancel();
    this.event = this.k.sim.at(t, this.onExpiry);
  }

  /** Expire `delay` ps from now. */
  armAfter(delay: SimTime): void {
    this.armAt(this.k.sim.now + delay);
  }

  /** Disarm, including an expiry whose callback has not run yet (del_timer()). */
  cancel(): void {
    if (this.event >= 0) {
      this.k.sim.cancel(this.event);
      this.event = -1;
    }
    if (this.expiredWaiting) {
      const list = this.local.expired;
      list.splice(list.indexOf(this), 1);
      this.expiredWaiting = false;
    }
  }

  /** @internal */
  fired(core: number): void {
    if (this.pFire.active) this.pFire.emit(core, 0); // a: core
  }
}
