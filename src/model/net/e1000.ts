/**
 * The e1000-style driver logic (after Linux 2.6.6 drivers/net/e1000, non-NAPI), written
 * once and run unchanged in both placements: as an ISR plus transmit routine in the kernel,
 * or inside the user-level driver process. What differs by placement is only what the
 * driver calls out to (`DriverOps`): where received packets go (netif_rx, or the loopback's
 * receive ring), where receive buffers come from (dev_alloc_skb + DMA mapping, or buffers
 * the kernel pinned and posted), and what happens to a transmitted buffer (freed at once,
 * or reported to the kernel through the loopback).
 *
 *   interrupt: read ICR (clears it); if any cause, up to E1000_MAX_INTR passes of
 *              { clean the receive ring, clean the transmit ring } while either finds work
 *   clean rx:  take every written-back descriptor, hand the packets up, refill the ring
 *              with new buffers and write RDT once
 *   clean tx:  reclaim every written-back descriptor, release its buffer
 *   xmit:      place a descriptor per packet, write TDT once
 *
 * Descriptors are handled in chunks of up to CHUNK per CPU burst (an exact coalescing: the
 * packets of a chunk only become visible to the next stage when the chunk's burst ends, as
 * nothing downstream can run while the driver does).
 */
import { RUN, type Context, type Program } from "../cpu/index.js";
import type { Kernel } from "../kernel/index.js";
import type { SimTime } from "../../sim/time.js";
import type { InHand } from "./ledger.js";
import type { Nic } from "./nic.js";
import type { Packet } from "./packet.js";

/** e1000_main.c (2.6.6): passes over the rings per interrupt. */
export const E1000_MAX_INTR = 10;
/** Descriptors per CPU burst. */
export const CHUNK = 16;

export interface DriverOps {
  /** Buffers for up to `n` receive descriptors; returns how many it provided (charging its own costs). */
  allocRx(cx: Context, n: number): Program<number>;
  /** CPU time the driver spends mapping `n` new receive buffers for DMA (0 when already mapped; charged as `stack`). */
  mapRxPs(n: number): SimTime;
  /** Hand the received packets `pkts[0..n)` up (each leaves the driver's hands here). */
  deliver(cx: Context, pkts: Packet[], n: number): Program;
  /** The transmitted buffers of `pkts[0..n)` are free. */
  txDone(cx: Context, pkts: Packet[], n: number): Program;
  /**
   * CPU time the driver spends mapping the transmit buffers of `pkts[0..n)` for DMA
   * (pci_map_single; 0 when the kernel handed over bus addresses; charged as `stack`).
   */
  mapTxPs(pkts: readonly Packet[], n: number): SimTime;
  /** Transmit descriptors were reclaimed: a stopped queue above may restart. */
  txSpace(cx: Context): Program;
}

export interface E1000Options {
  /** Most received packets per pass (0 = all that are ready). */
  batchLimit: number;
}

export class E1000 {
  /** Descriptors cleaned but not refilled for want of buffers; retried at the next pass. */
  private owed = 0;
  private readonly rxBuf: Packet[] = new Array<Packet>(CHUNK);
  private readonly txBuf: Packet[] = new Array<Packet>(CHUNK);
  private readonly rxCostPs: SimTime;
  private readonly txCleanPs: SimTime;
  private readonly txPs: SimTime;
  private readonly ringPs: SimTime;
  private readonly regWritePs: SimTime;

  /** Interrupt-cause reads that found a cause (the driver's own count of interrupts it served). */
  served = 0;

  constructor(
    private readonly k: Kernel,
    readonly nic: Nic,
    private readonly ops: DriverOps,
    private readonly opts: E1000Options,
    private readonly inHand: InHand,
  ) {
    this.ringPs = k.cost("net_ring_entry");
    this.rxCostPs = k.cost("nic_rx_packet") + this.ringPs;
    this.txCleanPs = k.cost("nic_tx_clean") + this.ringPs;
    this.txPs = k.cost("nic_tx_packet") + this.ringPs;
    this.regWritePs = k.cost("reg_write");
  }

  /** Fill the receive ring at start-up (e1000_up), outside any measurement: no CPU cost. */
  fillRing(buffers: number): void {
    this.nic.refill(Math.min(buffers, this.nic.cfg.rxRing - 1));
  }

  /** e1000_intr(): returns false when the cause register was empty (not our interrupt). */
  *interrupt(cx: Context): Program<boolean> {
    if (this.k.regRead(cx, 1, "driver")) yield RUN;
    const icr = this.nic.moderation.readIcr();
    if (icr === 0) return false;
    this.served++;
    for (let i = 0; i < E1000_MAX_INTR; i++) {
      const rx = yield* this.cleanRx(cx);
      const tx = yield* this.cleanTx(cx);
      if (rx === 0 && tx === 0) break;
    }
    return true;
  }

  /** e1000_clean_rx_irq() + e1000_alloc_rx_buffers(); returns packets handed up. */
  *cleanRx(cx: Context): Program<number> {
    const nic = this.nic;
    const limit = this.opts.batchLimit > 0 ? this.opts.batchLimit : Infinity;
    let total = 0;
    while (nic.rxReady > 0 && total < limit) {
      const n = Math.min(nic.rxReady, CHUNK, limit - total);
      for (let i = 0; i < n; i++) this.rxBuf[i] = nic.takeRx();
      this.inHand.hold(n);
      if (cx.run(n * this.rxCostPs, "driver")) yield RUN;
      yield* this.ops.deliver(cx, this.rxBuf, n);
      total += n;
    }
    const want = total + this.owed;
    if (want > 0) {
      const got = yield* this.ops.allocRx(cx, want);
      this.owed = want - got;
      if (got > 0) {
        // DMA mapping is the kernel's DMA API, charged as `stack` as on the block path.
        const map = this.ops.mapRxPs(got);
        if (map > 0 && cx.run(map, "stack")) yield RUN;
        if (cx.run(got * this.ringPs + this.regWritePs, "driver")) yield RUN; // descriptors, then RDT
        nic.refill(got);
      }
    }
    return total;
  }

  /** e1000_clean_tx_irq(); returns descriptors reclaimed. */
  *cleanTx(cx: Context): Program<number> {
    const nic = this.nic;
    let total = 0;
    while (nic.txReclaimable > 0) {
      const n = Math.min(nic.txReclaimable, CHUNK);
      for (let i = 0; i < n; i++) this.txBuf[i] = nic.reclaimTx();
      if (cx.run(n * this.txCleanPs, "driver")) yield RUN;
      yield* this.ops.txDone(cx, this.txBuf, n);
      total += n;
    }
    if (total > 0) yield* this.ops.txSpace(cx);
    return total;
  }

  /** Descriptors free for `xmit`. */
  get txFree(): number {
    return this.nic.txFree;
  }

  /**
   * e1000_xmit_frame() for a batch: `pkts[0..n)` (n ≤ txFree), held by the caller, go on
   * the transmit ring with one TDT write; they leave the caller's hands at the write.
   */
  *xmit(cx: Context, pkts: readonly Packet[], n: number): Program {
    if (n === 0) return;
    if (n > this.nic.txFree) throw new Error(`bug: xmit of ${n} packets with ${this.nic.txFree} descriptors free`);
    const map = this.ops.mapTxPs(pkts, n);
    if (map > 0 && cx.run(map, "stack")) yield RUN;
    if (cx.run(n * this.txPs + this.regWritePs, "driver")) yield RUN; // descriptors, then TDT
    for (let i = 0; i < n; i++) this.nic.place(pkts[i]!);
    this.nic.writeTdt();
    this.inHand.release(n);
  }

  /**
   * e1000_up() at a restart, after the device's reset: a fresh driver owes nothing; it fills
   * the receive ring with buffers from the host (a ring entry and, where needed, a mapping
   * each, then one RDT write) and enables the receiver.
   */
  *up(cx: Context): Program {
    this.owed = 0;
    const want = this.nic.cfg.rxRing - 1 - this.nic.rxFree - this.nic.rxHeld;
    const got = want > 0 ? yield* this.ops.allocRx(cx, want) : 0;
    this.owed = Math.max(0, want - got);
    if (got > 0) {
      const map = this.ops.mapRxPs(got);
      if (map > 0 && cx.run(map, "stack")) yield RUN;
      if (cx.run(got * this.ringPs + this.regWritePs, "driver")) yield RUN;
      this.nic.refill(got);
    }
    this.nic.enable();
  }

  /** Receive descriptors cleaned and waiting for buffers. */
  get owedRefills(): number {
    return this.owed;
  }
}
