/**
 * The Intel 82545GM gigabit Ethernet controller, as the driver and the wire see it.
 *
 * Receive: a frame arriving from the wire enters the on-chip receive FIFO (48 KB). The DMA
 * engine moves it into the buffer of the next free receive descriptor in host memory and
 * writes the descriptor back (DD set) — one event per frame, at the write-back, which also
 * feeds the hold-off timers. With no free descriptor the frame waits in the FIFO; a frame
 * that does not fit in the FIFO is dropped: at stage `rx_ring` when the descriptors had run
 * out (the FIFO filled behind a full ring), at `nic_fifo` otherwise (DMA could not keep up).
 * The driver returns cleaned descriptors with a write of RDT (`refill`).
 *
 * Transmit: the driver places descriptors and writes TDT (`writeTdt`). For each new
 * descriptor the NIC fetches the frame into its transmit FIFO (16 KB) by DMA, as soon as
 * the FIFO has room, writes the descriptor back (DD, the buffer may be reclaimed) — one
 * event per frame — and sends the frame as soon as the wire is free. The whole schedule is
 * fixed at the TDT write, since nothing later can change it.
 *
 * Interrupts: causes and hold-off timers in holdoff.ts; the line is asserted through `raise`.
 *
 * Reset (the kernel quiescing the device of a user-level driver that died, or the new
 * driver's e1000_reset): receive and DMA stop, the receive side's frames are lost (stage
 * `driver_fault`), the descriptor rings are forgotten and the interrupt causes cleared. DMA
 * events already scheduled are ignored by their generation. Transmissions whose schedule was
 * fixed at a TDT write still leave (a simplification: at most a ring's worth, a few ms at
 * 1 Gb/s); their packets are handed back so the kernel can free the buffers. Until the driver
 * enables it again, arriving frames are dropped (`driver_fault`).
 *
 * Probes (a, b): `<nic>/rx_writeback`, `<nic>/tx_writeback` (see the handlers),
 * `<nic>/enabled` (0 at a reset, frames lost; 1 when enabled, receive descriptors free).
 */
import type { Simulator } from "../../sim/kernel.js";
import type { Probe } from "../../sim/probe.js";
import type { SimTime } from "../../sim/time.js";
import { Deque } from "../kernel/deque.js";
import type { NetDropStage } from "./drops.js";
import { transferPs, wireTimePs } from "./ethernet.js";
import { InterruptModeration, type HoldoffRegisters } from "./holdoff.js";
import type { Packet } from "./packet.js";

export interface NicConfig {
  /** Receive and transmit descriptors. */
  rxRing: number;
  txRing: number;
  /** On-chip FIFOs, bytes. */
  rxFifo: number;
  txFifo: number;
  /** Line rate, bit/s. */
  linkRate: number;
  /** Bus DMA rate, bytes/s. */
  dmaRate: number;
  holdoff: HoldoffRegisters;
}

export interface NicHooks {
  /** The device asserts its interrupt line. */
  raise(): void;
  /** A frame was dropped at `stage`. */
  drop(stage: NetDropStage, pkt: Packet): void;
  /** A frame's transmission is scheduled: its last bit leaves at `wireEnd`. */
  transmitted(pkt: Packet, wireEnd: SimTime): void;
}

/** RCTL.RDMTS = 1/2 (e1000 default): RXDMT0 when free descriptors fall to half the ring. */
const RDMTS_FRACTION = 0.5;

export class Nic {
  readonly moderation: InterruptModeration;

  // ---- receive
  /** Frames in the FIFO waiting for a descriptor. */
  private readonly rxWaiting = new Deque<Packet>(64);
  /** Frames whose DMA is scheduled and not yet written back (still in the FIFO). */
  private readonly rxInDma = new Deque<Packet>(64);
  /** Frames written back (DD set), not yet taken by the driver. */
  private readonly rxDone = new Deque<Packet>(256);
  /** Bytes in the receive FIFO (waiting + in DMA). */
  private rxFifoBytes = 0;
  /** Descriptors owned by the hardware (empty buffers it may fill). */
  private rxAvail: number;
  private rxDmaFree: SimTime = 0;
  private readonly rxLowMark: number;
  private readonly onRxDma: (gen: number) => void;

  // ---- transmit
  /** Descriptors placed and not yet reclaimed, in ring order. */
  private readonly txRingQ = new Deque<Packet>(256);
  /** Of those, placed but not yet handed to the hardware by a TDT write. */
  private txUnposted = 0;
  /** Of those, written back (DD) and reclaimable, counted from the front. */
  private txDoneCount = 0;
  /** Frames in the transmit FIFO: their departure times and sizes. */
  private readonly txFifoEnd = new Deque<number>(32);
  private readonly txFifoSize = new Deque<number>(32);
  private txFifoBytes = 0;
  private txDmaFree: SimTime = 0;
  private wireFree: SimTime = 0;
  private readonly onTxDma: (gen: number) => void;

  /** Frames received from the wire (accepted into the FIFO or dropped). */
  arrived = 0;
  /** Frames dropped because the receive FIFO was full. */
  fifoDrops = 0;
  /** Frames the driver took from the receive ring. */
  taken = 0;
  /** Frames lost to a reset, or arriving while the device was disabled. */
  faultDrops = 0;
  /** Receive and DMA enabled (false from a reset until the driver enables it). */
  private enabled = true;
  /** Generation of scheduled DMA events: a reset makes the older ones stale. */
  private gen = 0;
  private readonly pRx: Probe;
  private readonly pTx: Probe;
  private readonly pEnabled: Probe;

  constructor(
    private readonly sim: Simulator,
    readonly cfg: NicConfig,
    private readonly hooks: NicHooks,
    probePrefix: string,
  ) {
    this.rxAvail = 0;
    this.rxLowMark = Math.floor(cfg.rxRing * RDMTS_FRACTION);
    this.moderation = new InterruptModeration(sim, cfg.holdoff, () => hooks.raise(), probePrefix);
    this.pRx = sim.probes.get(`${probePrefix}/rx_writeback`);
    this.pTx = sim.probes.get(`${probePrefix}/tx_writeback`);
    this.pEnabled = sim.probes.get(`${probePrefix}/enabled`);
    this.onRxDma = (gen) => {
      if (gen !== this.gen) return;
      const pkt = this.rxInDma.shift()!;
      this.rxFifoBytes -= pkt.frame;
      this.rxDone.push(pkt);
      if (this.pRx.active) this.pRx.emit(this.rxDone.length, this.rxAvail); // a: done, b: free descriptors
      this.moderation.rxPacket();
    };
    this.onTxDma = (gen) => {
      if (gen !== this.gen) return;
      this.txDoneCount++;
      if (this.pTx.active) this.pTx.emit(this.txDoneCount, 0); // a: reclaimable descriptors
      this.moderation.txPacket();
    };
  }

  // ---------------------------------------------------------------- receive

  /** A frame's last bit has arrived from the wire. */
  receive(pkt: Packet): void {
    this.arrived++;
    if (!this.enabled) {
      this.faultDrops++;
      this.hooks.drop("driver_fault", pkt);
      return;
    }
    if (this.rxFifoBytes + pkt.frame > this.cfg.rxFifo) {
      this.fifoDrops++;
      this.hooks.drop(this.rxAvail === 0 ? "rx_ring" : "nic_fifo", pkt);
      return;
    }
    this.rxFifoBytes += pkt.frame;
    this.rxWaiting.push(pkt);
    this.startRxDma();
  }

  private startRxDma(): void {
    const now = this.sim.now;
    while (this.rxWaiting.length > 0 && this.rxAvail > 0) {
      const pkt = this.rxWaiting.shift()!;
      this.rxAvail--;
      const start = this.rxDmaFree > now ? this.rxDmaFree : now;
      const done = start + transferPs(pkt.frame, this.cfg.dmaRate);
      this.rxDmaFree = done;
      pkt.doneAt = done;
      this.rxInDma.push(pkt);
      this.sim.at(done, this.onRxDma, this.gen);
      if (this.rxAvail === this.rxLowMark) this.moderation.rxLow();
    }
  }

  /** Received frames written back and not yet taken (descriptors with DD set). */
  get rxReady(): number {
    return this.rxDone.length;
  }

  /** The driver takes the oldest received frame (its descriptor is now the driver's). */
  takeRx(): Packet {
    const p = this.rxDone.shift();
    if (p === undefined) throw new Error("bug: takeRx with no descriptor done");
    this.taken++;
    return p;
  }

  /** The driver gives `n` refilled descriptors back (a write of RDT). */
  refill(n: number): void {
    if (n <= 0) return;
    this.rxAvail += n;
    if (this.rxAvail + this.rxInDma.length + this.rxDone.length > this.cfg.rxRing - 1) {
      throw new Error(`bug: receive ring over-filled (${this.rxAvail} free + ${this.rxInDma.length + this.rxDone.length} in use > ${this.cfg.rxRing - 1})`);
    }
    this.startRxDma();
  }

  /** Descriptors the hardware may fill now. */
  get rxFree(): number {
    return this.rxAvail;
  }

  /** Frames in the receive FIFO waiting for a descriptor. */
  get rxWaitingCount(): number {
    return this.rxWaiting.length;
  }

  /** Frames anywhere in the NIC's receive side (FIFO, DMA, written back). */
  get rxHeld(): number {
    return this.rxWaiting.length + this.rxInDma.length + this.rxDone.length;
  }

  // ---------------------------------------------------------------- transmit

  /** Descriptors free for the driver to place. */
  get txFree(): number {
    return this.cfg.txRing - 1 - this.txRingQ.length;
  }

  /** The driver writes a descriptor for `pkt` (not yet visible to the hardware). */
  place(pkt: Packet): void {
    if (this.txFree <= 0) throw new Error("bug: transmit descriptor placed on a full ring");
    this.txRingQ.push(pkt);
    this.txUnposted++;
  }

  /** The driver writes TDT: the hardware takes every descriptor placed so far. */
  writeTdt(): void {
    const now = this.sim.now;
    const n = this.txRingQ.length;
    for (let i = n - this.txUnposted; i < n; i++) {
      const pkt = this.txRingQ.at(i)!;
      // Wait for FIFO room: frames leave the FIFO as their last bit goes on the wire.
      let start = this.txDmaFree > now ? this.txDmaFree : now;
      while (this.txFifoBytes + pkt.frame > this.cfg.txFifo && this.txFifoEnd.length > 0) {
        const end = this.txFifoEnd.shift()!;
        this.txFifoBytes -= this.txFifoSize.shift()!;
        if (end > start) start = end;
      }
      // Frames that have left by `start` no longer take room.
      while (this.txFifoEnd.length > 0 && this.txFifoEnd.peek()! <= start) {
        this.txFifoEnd.shift();
        this.txFifoBytes -= this.txFifoSize.shift()!;
      }
      const fetched = start + transferPs(pkt.frame, this.cfg.dmaRate);
      this.txDmaFree = fetched;
      pkt.doneAt = fetched;
      const wireStart = this.wireFree > fetched ? this.wireFree : fetched;
      const wireEnd = wireStart + wireTimePs(pkt.payload, this.cfg.linkRate);
      this.wireFree = wireEnd;
      this.txFifoEnd.push(wireEnd);
      this.txFifoSize.push(pkt.frame);
      this.txFifoBytes += pkt.frame;
      this.sim.at(fetched, this.onTxDma, this.gen);
      this.hooks.transmitted(pkt, wireEnd);
    }
    this.txUnposted = 0;
  }

  /** Transmit descriptors written back and not yet reclaimed. */
  get txReclaimable(): number {
    return this.txDoneCount;
  }

  /** The driver reclaims the oldest written-back descriptor; returns its packet. */
  reclaimTx(): Packet {
    if (this.txDoneCount === 0) throw new Error("bug: reclaimTx with no descriptor written back");
    this.txDoneCount--;
    return this.txRingQ.shift()!;
  }

  /** Descriptors placed and not yet reclaimed. */
  get txHeld(): number {
    return this.txRingQ.length;
  }

  // ---------------------------------------------------------------- reset

  /** Receive and DMA are enabled. */
  get isEnabled(): boolean {
    return this.enabled;
  }

  /**
   * Device reset (see the file comment): returns the packets of the transmit descriptors it
   * forgot, whose frames still leave as scheduled, for the caller to free their buffers.
   */
  reset(): Packet[] {
    this.gen++;
    this.enabled = false;
    const lostBefore = this.faultDrops;
    for (const q of [this.rxWaiting, this.rxInDma, this.rxDone]) {
      for (let p = q.shift(); p !== undefined; p = q.shift()) {
        this.faultDrops++;
        this.hooks.drop("driver_fault", p);
      }
    }
    const lost = this.faultDrops - lostBefore;
    this.rxFifoBytes = 0;
    this.rxAvail = 0;
    this.rxDmaFree = this.sim.now; // the receive DMA in progress is abandoned
    const tx: Packet[] = [];
    for (let p = this.txRingQ.shift(); p !== undefined; p = this.txRingQ.shift()) tx.push(p);
    this.txUnposted = 0;
    this.txDoneCount = 0;
    this.moderation.reset();
    if (this.pEnabled.active) this.pEnabled.emit(0, lost); // a: 0 reset, 1 enabled; b: frames lost
    return tx;
  }

  /** The driver enables receive and DMA again (after refilling the receive ring). */
  enable(): void {
    this.enabled = true;
    if (this.pEnabled.active) this.pEnabled.emit(1, this.rxAvail);
    this.startRxDma();
  }

}
