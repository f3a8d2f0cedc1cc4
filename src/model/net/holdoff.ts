/**
 * Interrupt moderation of the 82545GM (Intel PCI/PCI-X Family of Gigabit Ethernet
 * Controllers Software Developer's Manual; facts.md):
 *
 * - Interrupt causes accumulate in the interrupt cause register (ICR). Reading it returns
 *   and clears them, and de-asserts the interrupt.
 * - ITR, the interrupt throttle: the interrupt is asserted when a cause is set, but never
 *   sooner than ITR × 256 ns after the previous assertion (0 = no throttling).
 * - RDTR, the receive packet timer (1.024 µs units): restarted by every received packet;
 *   RXT0 is set when it expires. RDTR = 0: RXT0 is set by every packet at once.
 * - RADV, the receive absolute timer (1.024 µs units): started by the first packet after
 *   the last RXT0 and not restarted; RXT0 is set when it expires. Disabled when RADV = 0 or
 *   RDTR = 0. Either timer setting RXT0 stops both.
 * - TIDV / TADV: the same pair for transmit write-backs, setting TXDW.
 * - RXDMT0: set at once when the free receive descriptors fall to the minimum threshold.
 *
 * Every event here is a timer expiry or an assertion: nothing is scheduled per packet when
 * the packet timers are off, and a restarted packet timer is re-armed lazily (its event
 * fires at the old deadline, sees the deadline moved, and re-arms once).
 */
import type { EventId, Simulator } from "../../sim/kernel.js";
import type { Probe } from "../../sim/probe.js";
import type { SimTime } from "../../sim/time.js";

/** ICR bits (82545GM): transmit descriptor written back, receive descriptor minimum threshold, receive timer. */
export const ICR_TXDW = 1 << 0;
export const ICR_RXDMT0 = 1 << 4;
export const ICR_RXT0 = 1 << 7;

/** One ITR unit, ps. */
export const ITR_UNIT_PS = 256_000;
/** One RDTR/RADV/TIDV/TADV unit, ps. */
export const DELAY_UNIT_PS = 1_024_000;

export interface HoldoffRegisters {
  /** Register values in their units (ITR: 256 ns; the others: 1.024 µs). */
  itr: number;
  rdtr: number;
  radv: number;
  tidv: number;
  tadv: number;
}

/**
 * Register values for intervals in seconds, as a driver would program them (rounded to
 * the nearest unit; an interval given as a rate, e.g. 2000/s, is already 1/rate seconds).
 */
export function holdoffRegisters(s: { itr: number; rdtr: number; radv: number; tidv: number; tadv: number }): HoldoffRegisters {
  const units = (seconds: number, unitPs: number) => Math.round((seconds * 1e12) / unitPs);
  return {
    itr: units(s.itr, ITR_UNIT_PS),
    rdtr: units(s.rdtr, DELAY_UNIT_PS),
    radv: units(s.radv, DELAY_UNIT_PS),
    tidv: units(s.tidv, DELAY_UNIT_PS),
    tadv: units(s.tadv, DELAY_UNIT_PS),
  };
}

/** A packet/absolute timer pair (RDTR/RADV or TIDV/TADV) that sets one cause bit. */
class DelayPair {
  /** Deadlines, ps; Infinity when not running. */
  packetDeadline = Infinity;
  absoluteDeadline = Infinity;
  private event: EventId = -1;
  private eventAt = Infinity;
  private readonly fire: () => void;

  constructor(
    private readonly sim: Simulator,
    private readonly packetPs: SimTime,
    private readonly absolutePs: SimTime,
    private readonly onExpire: () => void,
  ) {
    this.fire = () => {
      this.event = -1;
      this.eventAt = Infinity;
      const due = Math.min(this.packetDeadline, this.absoluteDeadline);
      if (due <= this.sim.now) {
        this.packetDeadline = Infinity;
        this.absoluteDeadline = Infinity;
        this.onExpire();
      } else if (due < Infinity) {
        this.arm(due);
      }
    };
  }

  /** Immediate mode: the packet timer is 0, so each event sets the cause at once. */
  get immediate(): boolean {
    return this.packetPs === 0;
  }

  /** A packet (write-back) now: restart the packet timer, start the absolute one if idle. */
  packet(): void {
    const now = this.sim.now;
    this.packetDeadline = now + this.packetPs;
    if (this.absolutePs > 0 && this.absoluteDeadline === Infinity) this.absoluteDeadline = now + this.absolutePs;
    const due = Math.min(this.packetDeadline, this.absoluteDeadline);
    // Only an earlier deadline needs a new event; a later one is found when the old fires.
    if (due < this.eventAt) this.arm(due);
  }

  /** Stop both timers (a device reset). */
  reset(): void {
    if (this.event >= 0) this.sim.cancel(this.event);
    this.event = -1;
    this.eventAt = Infinity;
    this.packetDeadline = Infinity;
    this.absoluteDeadline = Infinity;
  }

  private arm(t: SimTime): void {
    if (this.event >= 0) this.sim.cancel(this.event);
    this.event = this.sim.at(t, this.fire);
    this.eventAt = t;
  }
}

export class InterruptModeration {
  /** Interrupt cause register. */
  private icr = 0;
  private asserted = false;
  private lastAssert = -Infinity;
  private assertEvent: EventId = -1;
  readonly itrPs: SimTime;
  private readonly rx: DelayPair;
  private readonly tx: DelayPair;
  private readonly doAssert: () => void;
  private readonly pAssert: Probe;
  private readonly pCause: Probe;

  constructor(
    private readonly sim: Simulator,
    regs: HoldoffRegisters,
    /** The device asserts its interrupt line. */
    private readonly onAssert: () => void,
    probePrefix = "nic",
  ) {
    this.itrPs = regs.itr * ITR_UNIT_PS;
    const rdtr = regs.rdtr * DELAY_UNIT_PS;
    // RADV is disabled when RDTR is 0 (the manual; facts.md).
    const radv = regs.rdtr === 0 ? 0 : regs.radv * DELAY_UNIT_PS;
    this.rx = new DelayPair(sim, rdtr, radv, () => this.setCause(ICR_RXT0));
    const tidv = regs.tidv * DELAY_UNIT_PS;
    const tadv = regs.tidv === 0 ? 0 : regs.tadv * DELAY_UNIT_PS;
    this.tx = new DelayPair(sim, tidv, tadv, () => this.setCause(ICR_TXDW));
    this.pAssert = sim.probes.get(`${probePrefix}/assert`);
    this.pCause = sim.probes.get(`${probePrefix}/cause`);
    this.doAssert = () => {
      this.assertEvent = -1;
      if (this.icr === 0 || this.asserted) return;
      this.asserted = true;
      this.lastAssert = this.sim.now;
      if (this.pAssert.active) this.pAssert.emit(this.icr, 0); // a: ICR at assertion
      this.onAssert();
    };
  }

  /** A received packet has been written to host memory (descriptor write-back). */
  rxPacket(): void {
    if (this.rx.immediate) this.setCause(ICR_RXT0);
    else this.rx.packet();
  }

  /** A transmit descriptor (with RS and IDE set) has been written back. */
  txPacket(): void {
    if (this.tx.immediate) this.setCause(ICR_TXDW);
    else this.tx.packet();
  }

  /** Free receive descriptors fell to the minimum threshold. */
  rxLow(): void {
    this.setCause(ICR_RXDMT0);
  }

  /** The driver reads ICR: returns and clears the causes, de-asserting the interrupt. */
  readIcr(): number {
    const v = this.icr;
    this.icr = 0;
    this.asserted = false;
    if (this.assertEvent >= 0) {
      this.sim.cancel(this.assertEvent);
      this.assertEvent = -1;
    }
    return v;
  }

  /** A device reset: causes cleared, timers stopped, the interrupt de-asserted (ITR keeps its history). */
  reset(): void {
    this.icr = 0;
    this.asserted = false;
    if (this.assertEvent >= 0) this.sim.cancel(this.assertEvent);
    this.assertEvent = -1;
    this.rx.reset();
    this.tx.reset();
  }

  /** Causes set and not yet read. */
  get cause(): number {
    return this.icr;
  }

  /** The interrupt is asserted (a cause is set and ITR let it through). */
  get isAsserted(): boolean {
    return this.asserted;
  }

  private setCause(bits: number): void {
    const fresh = (this.icr & bits) !== bits;
    this.icr |= bits;
    if (fresh && this.pCause.active) this.pCause.emit(bits, this.icr); // a: bits set; b: ICR after
    if (this.asserted || this.assertEvent >= 0) return;
    const t = Math.max(this.sim.now, this.lastAssert + this.itrPs);
    this.assertEvent = this.sim.at(t, this.doAssert);
  }
}
