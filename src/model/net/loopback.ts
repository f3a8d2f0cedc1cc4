/**
 * The e1000 driver at user level (the paper's "Linux User" configuration, §3.1.1, §3.4.2).
 *
 * The driver process opens /proc/irq/N/irq and loops: read() it (one activation), service
 * the NIC if a real interrupt came (or on every activation, an option), then take the
 * packets the kernel queued for transmission and put them on the NIC's transmit ring.
 *
 * Between the driver and the kernel's IP stack sits a network loopback device, one of:
 *
 * `rings` (the paper's): a transmit ring and a receive ring in shared memory. To send, the
 *   kernel pins the packet (bus address for DMA), writes a ring entry and "simulates an
 *   interrupt" by upping the driver's IRQ semaphore. The driver puts received packets on
 *   the receive ring, in buffers the kernel pinned and posted beforehand, and marks
 *   transmitted entries done. "The kernel checks for received packets each time the
 *   user-level device driver returns from an interrupt handler": inside the driver's next
 *   read() the kernel drains the receive ring into netif_rx(), frees the transmitted skbs
 *   (returning their truesize to the socket's send buffer) and posts fresh receive buffers.
 *   Every ring entry written or read costs `net_ring_entry`.
 *
 * `tap` (the TUN/TAP device the paper tried first): the kernel queues packets to send on
 *   the tap device and wakes the driver; the driver read()s each one into its own pinned
 *   buffer (a system call and a copy; the kernel frees the skb there), and write()s each
 *   received packet (a system call, an skb allocation and a copy; netif_rx_ni() runs the
 *   receive soft IRQ before write() returns).
 *
 * In both, the driver learns that work came from the kernel rather than the NIC from the
 * count read() returns: simulated interrupts are counted as they are posted.
 */
import type { IrqDelivery } from "../../dsl/normalised.js";
import type { Context, Program, Task } from "../cpu/index.js";
import type { Kernel, SpscRing, UserIrq } from "../kernel/index.js";
import type { SimTime } from "../../sim/time.js";
import { Deque } from "./deque.js";
import { E1000, type DriverOps } from "./e1000.js";
import { RX_SKB_EXTRA, releaseTxBuffers } from "./kernel-placement.js";
import type { Nic } from "./nic.js";
import type { Packet } from "./packet.js";
import type { NetDevice, NetStack } from "./stack.js";
import { CHUNK } from "./e1000.js";
import { ETH_FCS } from "./ethernet.js";

export type LoopbackKind = "rings" | "tap";
export type RxService = "interrupt" | "every-activation";

export interface UserDriverConfig {
  irq: number;
  delivery: IrqDelivery;
  loopback: LoopbackKind;
  rxService: RxService;
  /** Nice value of the driver process. */
  priority: number;
  /** Slots of each loopback ring (and of the tap device's queue). */
  ringSlots: number;
  /** Driver receive buffer (rx_buffer_len), bytes. */
  rxBuffer: number;
  batchLimit: number;
  /** Process name. */
  name: string;
}

/** The kernel side of the loopback and the driver's call-outs into it. */
abstract class Loopback implements NetDevice, DriverOps {
  stopped = false;
  irq: UserIrq | null = null;
  /** Simulated interrupts posted and not yet taken by a read(). */
  private kicksPending = 0;
  /** Of the count the last read() returned, the simulated interrupts. */
  kicksTaken = 0;
  protected readonly ring: SimTime;

  constructor(
    protected readonly k: Kernel,
    protected readonly stack: NetStack,
    protected readonly cfg: UserDriverConfig,
    /** Counts a loopback-ring drop. */
    protected readonly dropRing: (pkt: Packet) => void,
  ) {
    this.ring = k.cost("net_ring_entry");
  }

  /** A read() of the IRQ file took `n` from the semaphore (called from its activation probe). */
  tookActivation(n: number): void {
    this.kicksTaken = Math.min(n, this.kicksPending);
    this.kicksPending -= this.kicksTaken;
  }

  /** Up the driver's semaphore: a simulated interrupt. */
  protected *kick(cx: Context): Program {
    if (this.irq === null || !this.irq.isOpen) return;
    this.kicksPending++;
    yield* this.irq.post(cx);
  }

  abstract xmit(cx: Context, pkt: Packet): Program;
  abstract allocRx(cx: Context, n: number): Program<number>;
  abstract deliver(cx: Context, pkts: Packet[], n: number): Program;
  abstract txDone(cx: Context, pkts: Packet[], n: number): Program;
  /** Kernel work inside every read() of the IRQ file, before it looks at the count. */
  abstract onRead(self: Task): Program;
  /** Driver: move the packets the kernel queued onto the NIC's transmit ring. */
  abstract driverTx(self: Task, driver: E1000): Program;
  /** Packets held in the loopback (its rings or queues). */
  abstract get held(): number;

  mapTxPs(): SimTime {
    return 0; // bus addresses come from the kernel, which pinned the packets when it queued them
  }

  mapRxPs(): SimTime {
    return 0; // receive buffers come pinned: the kernel's (rings) or the driver's own (tap)
  }

  *txSpace(): Program {
    // Transmit completions reach the kernel at the driver's next read().
  }

  /** Restart the kernel's queue if the loopback refused packets and now has room. */
  protected restart(cx: Context, room: boolean): void {
    if (this.stopped && room) {
      this.stopped = false;
      this.stack.wakeQueue(cx);
    }
  }
}

/** The paper's shared-memory rings (§3.4.2). */
export class RingsLoopback extends Loopback {
  private readonly tx: SpscRing<Packet>;
  private readonly rx: SpscRing<Packet>;
  /** Transmitted entries the driver marked done, not yet reaped by the kernel. */
  private readonly done = new Deque<Packet>(256);
  /** Empty pinned receive buffers posted for the driver. */
  private pool: number;
  private readonly buf: Packet[] = new Array<Packet>(CHUNK);
  private readonly txBuf: Packet[] = [];
  private readonly postPs: SimTime;
  private readonly reapPs: SimTime;

  constructor(k: Kernel, stack: NetStack, cfg: UserDriverConfig, dropRing: (pkt: Packet) => void) {
    super(k, stack, cfg, dropRing);
    this.tx = k.ring<Packet>(`${cfg.name}.tx`, cfg.ringSlots);
    this.rx = k.ring<Packet>(`${cfg.name}.rx`, cfg.ringSlots);
    this.pool = cfg.ringSlots;
    this.postPs = k.cost("skb_alloc") + k.costs.dmaMap(cfg.rxBuffer) + this.ring;
    this.reapPs = this.ring + k.cost("skb_free");
  }

  get held(): number {
    return this.tx.size + this.rx.size;
  }

  // ---- kernel side
  *xmit(cx: Context, pkt: Packet): Program {
    yield cx.run(this.k.costs.dmaMap(pkt.frame) + this.ring, "stack"); // pin and translate, write the entry
    if (!this.tx.enqueue(pkt)) throw new Error("bug: loopback transmit ring full while the queue ran");
    this.stack.inHand.release();
    if (this.tx.isFull) this.stopped = true;
    yield* this.kick(cx);
  }

  *onRead(self: Task): Program {
    // Transmitted packets: free the skbs (sock_wfree).
    const d = this.done.length;
    if (d > 0) {
      yield self.run(d * this.reapPs, "stack");
      const pkts: Packet[] = [];
      for (let i = 0; i < d; i++) pkts.push(this.done.shift()!);
      yield* releaseTxBuffers(self, pkts, d);
    }
    // Received packets: into netif_rx(), a chunk per burst.
    while (this.rx.size > 0) {
      const n = Math.min(this.rx.size, CHUNK);
      for (let i = 0; i < n; i++) this.buf[i] = this.rx.dequeue()!;
      this.stack.inHand.hold(n);
      yield self.run(n * this.ring, "stack");
      yield* this.stack.netifRx(self, this.buf, n);
    }
    // Fresh receive buffers for the driver.
    const want = this.cfg.ringSlots - this.pool;
    if (want > 0) {
      yield self.run(want * this.postPs, "stack");
      this.pool += want;
    }
    this.restart(self, !this.tx.isFull);
  }

  // ---- driver side
  *allocRx(cx: Context, n: number): Program<number> {
    const m = Math.min(n, this.pool);
    if (m > 0) {
      this.pool -= m;
      yield cx.run(m * this.ring, "driver");
    }
    return m;
  }

  *deliver(cx: Context, pkts: Packet[], n: number): Program {
    yield cx.run(n * this.ring, "driver");
    // The kernel's pinned buffers are skbs of the driver's receive-buffer size.
    const truesize = this.stack.skbTruesize(this.cfg.rxBuffer + RX_SKB_EXTRA);
    for (let i = 0; i < n; i++) {
      const p = pkts[i]!;
      p.truesize = truesize;
      if (!this.rx.enqueue(p)) {
        this.dropRing(p);
        this.pool++; // its buffer goes straight back to the NIC
      }
    }
    this.stack.inHand.release(n);
  }

  *txDone(cx: Context, pkts: Packet[], n: number): Program {
    yield cx.run(n * this.ring, "driver");
    for (let i = 0; i < n; i++) this.done.push(pkts[i]!);
  }

  *driverTx(self: Task, driver: E1000): Program {
    const n = Math.min(this.tx.size, driver.txFree);
    if (n === 0) return;
    const buf = this.txBuf;
    buf.length = n;
    for (let i = 0; i < n; i++) buf[i] = this.tx.dequeue()!;
    this.stack.inHand.hold(n);
    yield self.run(n * this.ring, "driver");
    yield* driver.xmit(self, buf, n);
  }
}

/** The TUN/TAP device: a system call and a copy per packet each way. */
export class TapLoopback extends Loopback {
  private readonly queue = new Deque<Packet>(64);
  private readonly txBuf: Packet[] = [];
  private readonly one: Packet[] = [];
  private readonly freePs: SimTime;
  private readonly allocPs: SimTime;

  constructor(k: Kernel, stack: NetStack, cfg: UserDriverConfig, dropRing: (pkt: Packet) => void) {
    super(k, stack, cfg, dropRing);
    this.freePs = k.cost("skb_free");
    this.allocPs = k.cost("skb_alloc");
  }

  get held(): number {
    return this.queue.length;
  }

  // ---- kernel side
  *xmit(cx: Context, pkt: Packet): Program {
    yield cx.run(this.ring, "stack"); // skb_queue_tail on the tap's queue
    this.queue.push(pkt);
    this.stack.inHand.release();
    if (this.queue.length >= this.cfg.ringSlots) this.stopped = true;
    yield* this.kick(cx); // wakes the driver's poll
  }

  *onRead(self: Task): Program {
    this.restart(self, this.queue.length < this.cfg.ringSlots);
  }

  // ---- driver side: its own pinned buffers, reused
  *allocRx(_cx: Context, n: number): Program<number> {
    return n;
  }

  *deliver(cx: Context, pkts: Packet[], n: number): Program {
    const self = cx as Task;
    for (let i = 0; i < n; i++) {
      const p = pkts[i]!;
      // tun_get_user(): alloc_skb(len + NET_IP_ALIGN), sized to the frame (without FCS).
      p.truesize = this.stack.skbTruesize(p.frame - ETH_FCS + 2);
      this.one[0] = p;
      yield* this.k.syscall(self, this.writeBody(self, this.one));
    }
  }

  /** write(): allocate an skb and copy the frame in, then netif_rx_ni(). */
  private *writeBody(self: Task, one: Packet[]): Program {
    yield self.run(this.allocPs + this.k.costs.copy(one[0]!.frame - ETH_FCS), "stack");
    // netif_rx_ni(): the receive soft IRQ runs before write() returns.
    yield* this.stack.netifRx(self, one, 1);
  }

  *txDone(): Program {
    // The driver's own buffer: nothing to tell the kernel.
  }

  *driverTx(self: Task, driver: E1000): Program {
    const n = Math.min(this.queue.length, driver.txFree);
    const buf = this.txBuf;
    buf.length = 0;
    for (let i = 0; i < n; i++) {
      const p = this.queue.shift()!;
      this.stack.inHand.hold();
      buf.push(p);
      this.one[0] = p;
      yield* this.k.syscall(self, this.readBody(self, this.one));
    }
    // The read() that finds the queue empty (EAGAIN) ends the batch.
    yield* this.k.syscall(self, nothing());
    if (n > 0) yield* driver.xmit(self, buf, n);
    this.restart(self, this.queue.length < this.cfg.ringSlots);
  }

  /** read(): copy the frame (without FCS) into the driver's buffer and free the skb. */
  private *readBody(self: Task, one: Packet[]): Program {
    yield self.run(this.k.costs.copy(one[0]!.frame - ETH_FCS) + this.freePs, "stack");
    yield* releaseTxBuffers(self, one, 1);
  }
}

function* nothing(): Program {}

/**
 * The user-level driver: the loopback it talks to and the process that runs the e1000 logic.
 */
export class UserPlacement {
  readonly loopback: Loopback;
  readonly driver: E1000;
  task: Task | null = null;
  /** Activations that serviced the NIC. */
  serviced = 0;

  constructor(
    private readonly k: Kernel,
    nic: Nic,
    stack: NetStack,
    readonly cfg: UserDriverConfig,
    dropRing: (pkt: Packet) => void,
  ) {
    this.loopback =
      cfg.loopback === "tap" ? new TapLoopback(k, stack, cfg, dropRing) : new RingsLoopback(k, stack, cfg, dropRing);
    this.driver = new E1000(k, nic, this.loopback, { batchLimit: cfg.batchLimit }, stack.inHand);
    // Which part of each read()'s count was simulated interrupts: watch the activations.
    const lb = this.loopback;
    for (let c = 0; c < k.coreCount; c++) {
      k.sim.probes.get(`cpu${c}/activation`).subscribe((_t, vector, n) => {
        if (vector === cfg.irq) lb.tookActivation(n);
      });
    }
  }

  /** Spawn the driver process (the start phase). */
  start(): void {
    const { k, cfg, loopback: lb, driver } = this;
    const self = this;
    this.task = k.spawn(
      cfg.name,
      function* (task: Task): Program {
        const irq = yield* k.openIrq(task, cfg.irq, cfg.delivery);
        if (irq === null) throw new Error(`bug: /proc/irq/${cfg.irq}/irq is busy`);
        lb.irq = irq;
        irq.onWait = (t) => lb.onRead(t);
        // The IRQ file runs onWait inside read(); signal delivery has no read() to run it in
        // (the kernel layer's SignalIrq does not call onWait), so the driver reports the end of
        // its handler with one more system call before it pauses.
        const drainCall = cfg.delivery === "signal";
        for (;;) {
          if (drainCall) yield* k.syscall(task, lb.onRead(task));
          const n = yield* irq.wait(task);
          if (n === 0) return; // closed
          const real = n > lb.kicksTaken;
          if (real || cfg.rxService === "every-activation") {
            self.serviced++;
            yield* driver.interrupt(task);
          }
          yield* lb.driverTx(task, driver);
        }
      },
      { nice: cfg.priority },
    );
  }
}

