/**
 * User-level interrupt delivery (paper §3.1.1).
 *
 * "irq-file" (the paper's mechanism): opening /proc/irq/N/irq installs a ten-line handler.
 * On an interrupt the handler masks the line and ups a per-IRQ semaphore. read() returns
 * the semaphore's value if non-zero (and takes it); otherwise it unmasks the line and
 * sleeps on the semaphore. close() — or the process dying — uninstalls the handler.
 *
 * "signal" (the alternative the paper rejects as slowest): the handler masks the line and
 * posts a signal. The driver sleeps in pause(); when it is scheduled the kernel sets up a
 * signal frame (`signal_delivery`) and enters the handler, which costs the extra context
 * switch the paper names; the handler returns through rt_sigreturn, and the line is
 * re-enabled with one more system call before the driver pauses again. rt_sigreturn is
 * where this driver "returns from its interrupt handler", so `onWait` runs inside it.
 *
 * Both present the same interface, so a driver's own code does not depend on the choice:
 *
 *   const irq = yield* k.openIrq(self, 14);          // null if a handler is installed
 *   for (;;) {
 *     const n = yield* irq.wait(self);                // one driver activation
 *     yield k.regRead(self);                          // read the cause register …
 *   }
 *
 * `post()` is the loopback's "simulated interrupt" (§3.4.2): the kernel ups the semaphore
 * (or posts the signal) without a device interrupt and without masking.
 *
 * Each return of wait() with work is a driver activation: probe `cpu<N>/activation`
 * (a: IRQ number, b: interrupts and posts taken in it).
 */
import type { IrqDelivery } from "../../dsl/normalised.js";
import type { Probe } from "../../sim/probe.js";
import { COUNT_ACTIVATION, COUNT_CTXSW, NOTHING, RUN, type Context, type Program, type Task, type Closable } from "../cpu/index.js";
import { HANDLER_IRQ_FILE, HANDLER_SIGNAL, type IrqHandler, type IrqLine } from "./irq.js";
import type { Kernel } from "./kernel.js";
import { WaitQueue } from "./sync.js";

export interface UserIrq {
  readonly line: IrqLine;
  readonly delivery: IrqDelivery;
  /** The process that opened it. */
  readonly owner: Task;
  /** Still installed. */
  readonly isOpen: boolean;
  /** Interrupts and posts not yet taken by wait(). */
  readonly count: number;
  /**
   * Wait for interrupts: returns how many arrived (≥ 1) — one driver activation. Returns 0
   * only if the file was closed.
   */
  wait(self: Task): Program<number>;
  /** Simulated interrupt from the kernel (no device, no masking). */
  post(cx: Context): Program;
  /** Uninstall the handler (a system call). */
  close(self: Task): Program;
  /**
   * Kernel work done each time the driver returns from its interrupt handler, e.g. the
   * network loopback draining the receive ring (§3.4.2): inside every read() of the IRQ file
   * before it looks at the count, or inside rt_sigreturn when the interrupt came as a signal.
   * Runs in the driver's process context, kernel mode.
   */
  onWait: ((self: Task) => Program) | null;
}

abstract class UserIrqBase implements IrqHandler, Closable {
  abstract readonly kind: typeof HANDLER_IRQ_FILE | typeof HANDLER_SIGNAL;
  abstract readonly delivery: IrqDelivery;
  onWait: ((self: Task) => Program) | null = null;
  protected pending = 0;
  protected open = true;
  protected readonly waiters: WaitQueue;
  protected readonly pPost: Probe;
  protected readonly pActivation: Probe;
  /** Costs of the stub and the read() path, ps (looked up once: a hot path). */
  protected readonly maskPs: number;
  protected readonly unmaskPs: number;
  protected readonly semUpPs: number;
  protected readonly semDownPs: number;

  constructor(
    protected readonly k: Kernel,
    readonly line: IrqLine,
    readonly owner: Task,
  ) {
    this.waiters = new WaitQueue(k, `irq${line.vector}`);
    this.pPost = k.sim.probes.get(`irq/${line.vector}/post`);
    this.pActivation = k.sim.probes.get(`cpu${owner.core}/activation`);
    this.maskPs = k.cost("irq_mask");
    this.unmaskPs = k.cost("irq_unmask");
    this.semUpPs = k.cost("sem_up");
    this.semDownPs = k.cost("sem_down");
  }

  get isOpen(): boolean {
    return this.open;
  }

  get count(): number {
    return this.pending;
  }

  abstract wait(self: Task): Program<number>;
  /** Tell the driver (called where the program runs: it may decide, and act, when called). */
  protected abstract notify(cx: Context): Program;

  /**
   * The in-kernel stub, at hard-IRQ priority: mask the line, then notify the driver.
   * Decided when called, and done then when its bursts run inline (every interrupt).
   */
  handle(cx: Context, line: IrqLine): Program {
    if (cx.run(this.maskPs, "irq") === RUN) return this.handleAfterMask(cx, line);
    return this.masked(cx, line);
  }

  private *handleAfterMask(cx: Context, line: IrqLine): Program {
    yield RUN;
    yield* this.masked(cx, line);
  }

  private masked(cx: Context, line: IrqLine): Program {
    line.mask();
    this.pending++;
    if (this.pPost.active) this.pPost.emit(this.pending, 1); // a: count after; b: 1 device, 0 simulated
    return this.notify(cx);
  }

  post(cx: Context): Program {
    // Done when called (just before the program would run), then the notification's own
    // program: a frame fewer on the loopbacks' hot paths.
    if (!this.open) return NOTHING;
    this.pending++;
    if (this.pPost.active) this.pPost.emit(this.pending, 0);
    return this.notify(cx);
  }

  *close(self: Task): Program {
    yield* this.k.syscall(self, this.closeBody());
  }

  private *closeBody(): Program {
    this.uninstall();
  }

  closeOnExit(): void {
    this.uninstall();
  }

  private uninstall(): void {
    if (!this.open) return;
    this.open = false;
    this.owner.files.delete(this);
    this.line.uninstall(this);
  }

  /** Take the count: one activation. */
  protected take(): number {
    const n = this.pending;
    this.pending = 0;
    if (this.pActivation.active) this.pActivation.emit(this.line.vector, n);
    this.k.cpu.countEvent(this.owner.core, COUNT_ACTIVATION);
    return n;
  }
}

/** The paper's /proc/irq/N/irq file. */
export class IrqFile extends UserIrqBase {
  readonly kind = HANDLER_IRQ_FILE;
  readonly delivery = "irq-file" as const;

  /** read(): the count if non-zero, else unmask and sleep on the semaphore. */
  read(self: Task): Program<number> {
    // The system call itself, not a generator delegating to it: one frame fewer on every
    // step of the driver's read() (a hot path; the same program).
    return this.k.syscall(self, this.readBody(self));
  }

  wait(self: Task): Program<number> {
    return this.read(self);
  }

  private *readBody(self: Task): Program<number> {
    if (this.onWait) yield* this.onWait(self);
    for (;;) {
      if (this.pending > 0) return this.take();
      if (!this.open) return 0;
      if (this.line.masked) {
        if (self.run(this.unmaskPs, "irq")) yield RUN;
        this.line.unmask(); // a pending interrupt is taken right here, before we sleep
      }
      if (self.run(this.semDownPs, self.kernelClass)) yield RUN;
      if (this.pending > 0) continue;
      yield* this.waiters.sleep(self);
    }
  }

  /**
   * up() on the per-IRQ semaphore. Decided when called, and done then when its burst runs
   * inline (no program of its own: it runs on every interrupt and every post).
   */
  protected notify(cx: Context): Program {
    if (cx.run(this.semUpPs, cx.kernelClass) === RUN) return this.notifyAfterBurst(cx);
    return this.wakeDriver(cx);
  }

  private *notifyAfterBurst(cx: Context): Program {
    yield RUN;
    yield* this.wakeDriver(cx);
  }

  private wakeDriver(cx: Context): Program {
    return this.waiters.length > 0 ? this.waiters.wake(cx) : NOTHING; // none asleep: no wake-up to pay
  }
}

/** Interrupts delivered as a signal to the driver process. */
export class SignalIrq extends UserIrqBase {
  readonly kind = HANDLER_SIGNAL;
  readonly delivery = "signal" as const;
  /** The driver is inside its signal handler (returned from wait(), not yet waiting again). */
  private inHandler = false;
  private readonly pCtxsw: Probe;
  private readonly pSignal: Probe;

  constructor(k: Kernel, line: IrqLine, owner: Task) {
    super(k, line, owner);
    this.pCtxsw = k.sim.probes.get(`cpu${owner.core}/ctxsw`);
    this.pSignal = k.sim.probes.get(`cpu${owner.core}/signal`);
  }

  *wait(self: Task): Program<number> {
    if (this.inHandler) {
      this.inHandler = false;
      yield* this.k.syscall(self, this.sigreturnBody(self)); // rt_sigreturn
      yield* this.k.syscall(self, this.unmaskBody(self)); // re-enable the line
    }
    yield* this.k.syscall(self, this.pauseBody(self)); // pause()
    if (this.pending === 0) return 0; // closed
    // Signal delivery on the way back to user mode: frame set-up, then the extra switch
    // into the handler's context (paper §3.1.1: "requiring an extra context switch").
    if (self.run(this.k.cost("signal_delivery"), "irq")) yield RUN;
    if (this.pCtxsw.active) this.pCtxsw.emit(self.pid, self.pid); // from = to: the signal switch
    this.k.cpu.countEvent(self.core, COUNT_CTXSW);
    if (self.run(this.k.cost("context_switch"), "context_switch")) yield RUN;
    if (this.pSignal.active) this.pSignal.emit(self.pid, this.pending); // a: pid, b: signals taken
    this.inHandler = true;
    return this.take();
  }

  /** rt_sigreturn: the return from the handler, where the kernel's `onWait` work runs. */
  private *sigreturnBody(self: Task): Program {
    if (this.onWait) yield* this.onWait(self);
  }

  private *unmaskBody(self: Task): Program {
    if (this.line.masked) {
      if (self.run(this.k.cost("irq_unmask"), "irq")) yield RUN;
      this.line.unmask();
    }
  }

  private *pauseBody(self: Task): Program {
    while (this.pending === 0 && this.open) yield* this.waiters.sleep(self);
  }

  /** send_sig(): the cost is waking the driver; delivery is charged when it runs. */
  protected notify(cx: Context): Program {
    return this.waiters.wake(cx);
  }
}

