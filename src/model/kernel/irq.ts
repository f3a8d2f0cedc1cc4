/**
 * IRQ lines: mask/unmask with a pending bit, and at most one handler each.
 *
 * A line starts masked and is unmasked when a handler is installed, masked again when it is
 * removed (Linux request_irq()/free_irq() start up and shut down the line). An interrupt
 * raised while the line is masked stays pending and is delivered on unmask; two raises
 * before delivery merge into one (edge coalescing at the controller).
 */
import { COUNT_IRQ, RUN, type Context, type HardIrqSource, type Program } from "../cpu/index.js";
import type { Probe } from "../../sim/probe.js";
import type { Kernel } from "./kernel.js";

/** Who handles a line: 0 an in-kernel ISR, 1 an IRQ file, 2 a signal to a process. */
export const HANDLER_ISR = 0;
export const HANDLER_IRQ_FILE = 1;
export const HANDLER_SIGNAL = 2;

export interface IrqHandler {
  readonly kind: typeof HANDLER_ISR | typeof HANDLER_IRQ_FILE | typeof HANDLER_SIGNAL;
  /** Runs at hard-IRQ priority between the kernel's entry and exit. */
  handle(cx: Context, line: IrqLine): Program;
}

/** An in-kernel interrupt service routine: driver bursts at hard-IRQ priority. */
export type Isr = (cx: Context, line: IrqLine) => Program;

export class IrqLine implements HardIrqSource {
  queued = false;
  private maskedNow = true;
  private pendingNow = false;
  private handler: IrqHandler | null = null;

  private readonly pRaise: Probe;
  private readonly pMask: Probe;
  private readonly pHandler: Probe;
  private readonly pUnhandled: Probe;
  private readonly pTaken: Probe;
  /** `irq_entry` and `irq_exit`, ps (looked up once: a hot path). */
  private readonly entryPs: number;
  private readonly exitPs: number;

  constructor(
    private readonly k: Kernel,
    /** IRQ number (the n of /proc/irq/n). */
    readonly vector: number,
    /** Core the line's interrupts are taken on. */
    readonly core: number,
  ) {
    const probes = k.sim.probes;
    this.pRaise = probes.get(`irq/${vector}/raise`);
    this.pMask = probes.get(`irq/${vector}/mask`);
    this.pHandler = probes.get(`irq/${vector}/handler`);
    this.pUnhandled = probes.get(`irq/${vector}/unhandled`);
    this.pTaken = probes.get(`cpu${core}/irq`);
    this.entryPs = k.cost("irq_entry");
    this.exitPs = k.cost("irq_exit");
  }

  get masked(): boolean {
    return this.maskedNow;
  }

  get pending(): boolean {
    return this.pendingNow;
  }

  get installed(): boolean {
    return this.handler !== null;
  }

  /** The device asserts the line. */
  raise(): void {
    const p = this.pRaise;
    if (p.active) p.emit(this.maskedNow ? 0 : 1, this.core); // a: 1 delivered, 0 held pending
    if (this.maskedNow) {
      this.pendingNow = true;
      return;
    }
    this.k.cpu.interrupt(this.core, this);
  }

  /** Mask at the interrupt controller (the caller charges `irq_mask`). */
  mask(): void {
    if (this.maskedNow) return;
    this.maskedNow = true;
    const p = this.pMask;
    if (p.active) p.emit(1, 0); // a: 1 masked, 0 unmasked
  }

  /** Unmask (the caller charges `irq_unmask`); a pending interrupt is delivered now. */
  unmask(): void {
    if (!this.maskedNow) return;
    this.maskedNow = false;
    const p = this.pMask;
    if (p.active) p.emit(0, 0);
    if (this.pendingNow) {
      this.pendingNow = false;
      this.k.cpu.interrupt(this.core, this);
    }
  }

  /** Install `h` and unmask; false (and nothing changes) if a handler is installed. */
  install(h: IrqHandler): boolean {
    if (this.handler !== null) return false;
    this.handler = h;
    const p = this.pHandler;
    if (p.active) p.emit(1, h.kind); // a: 1 installed, 0 removed; b: handler kind
    this.unmask();
    return true;
  }

  /** Remove `h` (if it is the one installed) and mask the line. */
  uninstall(h: IrqHandler): void {
    if (this.handler !== h) return;
    this.handler = null;
    const p = this.pHandler;
    if (p.active) p.emit(0, h.kind);
    this.mask();
  }

  *hardIrq(cx: Context): Program {
    const p = this.pTaken;
    if (p.active) p.emit(this.vector, 0); // a device interrupt is taken; a: IRQ number
    this.k.cpu.countEvent(this.core, COUNT_IRQ);
    if (cx.run(this.entryPs, "irq")) yield RUN;
    const h = this.handler;
    if (h !== null) {
      yield* h.handle(cx, this);
    } else {
      const u = this.pUnhandled;
      if (u.active) u.emit(0, 0);
    }
    if (cx.run(this.exitPs, "irq")) yield RUN;
  }
}

/** Adapts an `Isr` function to the handler interface. */
export class IsrHandler implements IrqHandler {
  readonly kind = HANDLER_ISR;
  constructor(readonly isr: Isr) {}
  handle(cx: Context, line: IrqLine): Program {
    return this.isr(cx, line);
  }
}
