/**
 * The kernel's network stack between a network device and the UDP socket (Linux 2.6.6,
 * non-NAPI, net/core/dev.c), the same in both driver placements:
 *
 * Receive — netif_rx() puts each packet on the per-CPU backlog queue and raises the NET_RX
 * soft IRQ. The queue takes packets while it holds at most `backlog` (netdev_max_backlog,
 * 300); a packet arriving to a fuller queue is dropped and the queue throttles: every
 * arrival is dropped until the soft IRQ has drained it empty. The NET_RX soft IRQ
 * (net_rx_action) takes up to `backlog` packets per run through IP and UDP into the
 * socket (`ip_udp_rx` each), raising itself again if more are left.
 *
 * Transmit — dev_queue_xmit() (`dev_xmit`) hands a packet to the device, or queues it in
 * the queueing discipline while the device's queue is stopped (its ring is full); a device
 * that frees room restarts the queue through the NET_TX soft IRQ (qdisc_run).
 *
 * There is one stack per kernel (`NetStack.of(k)`), one device and one UDP socket bound.
 */
import { NOTHING, RUN, type Context, type Program } from "../cpu/index.js";
import type { Kernel, SoftIrq } from "../kernel/index.js";
import type { SimTime } from "../../sim/time.js";
import { Deque } from "../kernel/deque.js";
import type { NetDropStage } from "./drops.js";
import { CHUNK } from "./e1000.js";
import { InHand } from "./ledger.js";
import type { Packet } from "./packet.js";
import type { UdpSocket } from "./socket.js";

/** The driver side of a network interface, as dev_queue_xmit() sees it. */
export interface NetDevice {
  /** Its transmit queue is stopped (hard_start_xmit would refuse). */
  readonly stopped: boolean;
  /** hard_start_xmit(): `pkt`, held by the caller, leaves the caller's hands. */
  xmit(cx: Context, pkt: Packet): Program;
}

/** SKB_DATA_ALIGN unit: SMP_CACHE_BYTES = 128 on ia64 (McKinley L1 line, Linux 2.6 asm-ia64/cache.h). */
export const SMP_CACHE_BYTES = 128;

const stacks = new WeakMap<Kernel, NetStack>();

export class NetStack {
  /** Packets in someone's hands along the whole path (see ledger.ts). */
  readonly inHand = new InHand();
  private readonly backlog = new Deque<Packet>(512);
  private throttle = false;
  private readonly qdisc = new Deque<Packet>(64);
  private readonly netTx: SoftIrq;
  private readonly netRx: SoftIrq;
  private readonly buf: Packet[] = new Array<Packet>(CHUNK);
  private readonly netifRxPs: SimTime;
  private readonly ipUdpPs: SimTime;
  /** CPU time of dev_queue_xmit() per packet. */
  readonly devXmitPs: SimTime;
  private dev: NetDevice | null = null;
  private sock: UdpSocket | null = null;
  /** netdev_max_backlog. */
  backlogCap = 300;
  /** sizeof(struct sk_buff): counted in every buffer's truesize (set by the workload). */
  skbOverhead = 256;
  /** Counts a drop; set by whoever measures (the workload). */
  onDrop: (stage: NetDropStage, pkt: Packet) => void = () => {};

  /** The stack of kernel `k`, created (and its soft IRQs registered) on first use. */
  static of(k: Kernel): NetStack {
    let s = stacks.get(k);
    if (s === undefined) {
      s = new NetStack(k);
      stacks.set(k, s);
    }
    return s;
  }

  private constructor(private readonly k: Kernel) {
    this.netTx = k.softirq("net_tx", (cx) => this.netTxAction(cx));
    this.netRx = k.softirq("net_rx", (cx) => this.netRxAction(cx));
    this.netifRxPs = k.cost("netif_rx");
    this.ipUdpPs = k.cost("ip_udp_rx");
    this.devXmitPs = k.cost("dev_xmit");
  }

  attachDevice(dev: NetDevice): void {
    if (this.dev !== null) throw new Error("bug: a second network device on one stack");
    this.dev = dev;
  }

  bind(sock: UdpSocket): void {
    if (this.sock !== null) throw new Error("bug: a second UDP socket on one stack");
    this.sock = sock;
  }

  /** alloc_skb(size): truesize = SKB_DATA_ALIGN(size) + sizeof(struct sk_buff). */
  skbTruesize(size: number): number {
    return Math.ceil(size / SMP_CACHE_BYTES) * SMP_CACHE_BYTES + this.skbOverhead;
  }

  /** Packets on the backlog queue. */
  get backlogLength(): number {
    return this.backlog.length;
  }

  /** Packets waiting in the queueing discipline. */
  get qdiscLength(): number {
    return this.qdisc.length;
  }

  // ---------------------------------------------------------------- receive

  /** netif_rx() for `pkts[0..n)` (held by the caller; they leave its hands here). */
  *netifRx(cx: Context, pkts: readonly Packet[], n: number): Program {
    if (cx.run(n * this.netifRxPs, "stack")) yield RUN;
    const cap = this.backlogCap;
    for (let i = 0; i < n; i++) {
      const p = pkts[i]!;
      const qlen = this.backlog.length;
      if (qlen <= cap) {
        if (qlen === 0) this.throttle = false;
        else if (this.throttle) {
          this.onDrop("backlog", p);
          continue;
        }
        this.backlog.push(p);
      } else {
        this.throttle = true;
        this.onDrop("backlog", p);
      }
    }
    this.inHand.release(n);
    this.netRx.raise(cx);
  }

  /** net_rx_action(): up to netdev_max_backlog packets through IP and UDP. */
  private *netRxAction(cx: Context): Program {
    let budget = this.backlogCap;
    while (budget > 0) {
      const n = Math.min(this.backlog.length, CHUNK, budget);
      if (n === 0) {
        this.throttle = false; // process_backlog: queue drained
        return;
      }
      for (let i = 0; i < n; i++) this.buf[i] = this.backlog.at(i)!;
      // The packets leave the queue one by one as they are processed: they stay on it
      // (and count against netdev_max_backlog) until the chunk's burst ends.
      if (cx.run(n * this.ipUdpPs, "stack")) yield RUN;
      for (let i = 0; i < n; i++) this.backlog.shift();
      this.inHand.hold(n);
      budget -= n;
      if (this.sock !== null) yield* this.sock.deliver(cx, this.buf, n);
      else {
        for (let i = 0; i < n; i++) this.onDrop("socket_rcvbuf", this.buf[i]!);
        this.inHand.release(n);
      }
    }
    if (this.backlog.length > 0) this.netRx.raise(cx); // softnet_break: run again
    else this.throttle = false;
  }

  // ---------------------------------------------------------------- transmit

  /** dev_queue_xmit(): `pkt`, held by the caller, leaves the caller's hands here. */
  *devQueueXmit(cx: Context, pkt: Packet): Program {
    if (cx.run(this.devXmitPs, "stack")) yield RUN;
    yield* this.queueXmit(cx, pkt);
  }

  /**
   * dev_queue_xmit() once its CPU cost (`devXmitPs`) has been paid — by a caller that runs
   * it in one burst with its own stack work.
   */
  queueXmit(cx: Context, pkt: Packet): Program {
    // The device's own program, not one delegating to it: decided when called (just before
    // the program would run), a frame fewer on the transmit path of every packet.
    const dev = this.dev;
    if (dev === null) throw new Error("bug: transmit with no network device attached");
    if (this.qdisc.length > 0 || dev.stopped) {
      this.qdisc.push(pkt);
      this.inHand.release();
      return NOTHING;
    }
    return dev.xmit(cx, pkt);
  }

  /**
   * Put `pkts` back at the head of the queueing discipline, in order (work a dead driver held,
   * to be handed to its successor). They were in the caller's hands and leave them here.
   */
  requeueFront(pkts: readonly Packet[]): void {
    for (let i = pkts.length - 1; i >= 0; i--) this.qdisc.unshift(pkts[i]!);
  }

  /** netif_wake_queue(): the device has room again; restart the queue if anything waits. */
  wakeQueue(cx: Context | number): void {
    if (this.qdisc.length > 0) this.netTx.raise(cx);
  }

  /** net_tx_action() → qdisc_run(): send queued packets while the device takes them. */
  private *netTxAction(cx: Context): Program {
    const dev = this.dev!;
    while (this.qdisc.length > 0 && !dev.stopped) {
      const p = this.qdisc.shift()!;
      this.inHand.hold();
      yield* dev.xmit(cx, p);
    }
  }
}
