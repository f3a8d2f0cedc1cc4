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
 *
 * When the driver process dies (rings only; src/model/faults): its files close in the order
 * it opened them — the IRQ file (the handler is uninstalled), the DMA ledger (the kernel
 * resets the NIC, which stops its DMA, then releases every mapping the driver held), the
 * loopback registration (this file's `driverDied`). The kernel then accounts for everything
 * the dead driver held: received packets in its hands are lost (`driver_fault`), transmitted
 * ones are freed; packets handed to it for transmission and not yet sent are, by the
 * in-flight policy, put back at the head of the queueing discipline for the next driver
 * (`reissue`) or dropped (`requeue`, `fail`). New transmissions wait in the queueing
 * discipline while no driver serves (`requeue`, `reissue`) or are dropped at once (`fail`).
 * Kernel work that needs the CPU — freeing buffers' send-buffer wake-ups, draining the
 * receive ring the dead driver filled into netif_rx() — runs at once from a kernel timer
 * (like ublk's monitor work). A new driver registers again with a system call: the rings
 * are re-established with fresh pinned receive buffers and the queue restarts.
 */
import type { InFlightPolicy, IrqDelivery } from "../../dsl/normalised.js";
import { NOTHING, RUN, type Context, type Program, type Task } from "../cpu/index.js";
import type { DmaMappings, Kernel, KernelTimer, SpscRing, UserIrq } from "../kernel/index.js";
import type { DriverFaultHook, RestartPlan } from "../faults/driver.js";
import type { Probe } from "../../sim/probe.js";
import type { SimTime } from "../../sim/time.js";
import { Deque } from "../kernel/deque.js";
import { E1000, type DriverOps } from "./e1000.js";
import { RX_SKB_EXTRA, releaseTxBuffers } from "./kernel-placement.js";
import type { Nic } from "./nic.js";
import type { Packet, TxOwner } from "./packet.js";
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
  /** What happens to work in flight when the driver dies. */
  policy: InFlightPolicy = "requeue";
  /** No driver serves: from a driver's death until its successor registers. */
  down = false;
  /** Received packets the driver has put on the loopback (or dropped there), all time. */
  rxAccepted = 0;
  protected readonly ring: SimTime;
  /** The ledger of pages mapped for the driver now (null while none serves). */
  protected dma: DmaMappings | null = null;

  constructor(
    protected readonly k: Kernel,
    protected readonly stack: NetStack,
    protected readonly cfg: UserDriverConfig,
    /** Counts a loopback-ring drop. */
    protected readonly dropRing: (pkt: Packet) => void,
    /** Counts `n` packets lost to a driver fault. */
    protected readonly dropFault: (n: number) => void,
  ) {
    this.ring = k.cost("net_ring_entry");
  }

  /** A read() of the IRQ file took `n` from the semaphore (called from its activation probe). */
  tookActivation(n: number): void {
    this.kicksTaken = Math.min(n, this.kicksPending);
    this.kicksPending -= this.kicksTaken;
  }

  /**
   * The first driver attaches when it starts (outside any measurement: no CPU cost, so a
   * scenario without faults runs exactly as before): its IRQ file, and the ledger of what the
   * kernel mapped for it — the receive buffers posted and those already on the NIC's ring.
   */
  attach(irq: UserIrq, dma: DmaMappings, nicBuffers: number): void {
    this.irq = irq;
    this.dma = dma;
    dma.map((this.postedNow() + nicBuffers) * this.k.costs.pages(this.cfg.rxBuffer));
  }

  /** Receive buffers posted to the driver and not yet given to the NIC. */
  protected abstract postedNow(): number;
  /** The driver died: account for what it held (see the file comment). `nicTx`: the NIC's forgotten transmit descriptors. */
  abstract driverDied(nicTx: Packet[], rxInHands: number): void;
  /** The body of a new driver's registration system call: the rings re-established. */
  abstract reregister(self: Task, irq: UserIrq, dma: DmaMappings): Program;

  /** Forget simulated interrupts posted to a driver that died. */
  protected clearKicks(): void {
    this.kicksPending = 0;
  }

  /** Up the driver's semaphore: a simulated interrupt. */
  protected kick(cx: Context): Program {
    // Done when called (just before the program would run), then the post's own program.
    if (this.irq === null || !this.irq.isOpen) return NOTHING;
    this.kicksPending++;
    return this.irq.post(cx);
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

  txSpace(): Program {
    return NOTHING; // transmit completions reach the kernel at the driver's next read()
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
  private readonly one: Packet[] = [];
  private readonly postPs: SimTime;
  private readonly reapPs: SimTime;
  /** Transmit packets handed to the driver (dequeued by it) and not yet reported done, in order. */
  private readonly txOutstanding = new Deque<Packet>(64);
  /** Of those, taken from the ring and placed on the NIC's ring, counted since the driver registered. */
  private txTaken = 0;
  private txPlaced = 0;
  /** Pages of one posted receive buffer. */
  private readonly rxPages: number;
  /** A socket whose send-buffer wake-up is owed since a death freed its buffers. */
  private owedWake: TxOwner | null = null;
  /** The kernel's clean-up after a death, at once from a kernel timer (needs the CPU). */
  private readonly reclaimTimer: KernelTimer;
  private reclaimPending = false;
  /** `loopback/<name>/register` (a: receive buffers posted, b: packets waiting in the queueing discipline). */
  private readonly pRegister: Probe;

  constructor(k: Kernel, stack: NetStack, cfg: UserDriverConfig, dropRing: (pkt: Packet) => void, dropFault: (n: number) => void) {
    super(k, stack, cfg, dropRing, dropFault);
    this.pRegister = k.sim.probes.get(`loopback/${cfg.name}/register`);
    this.tx = k.ring<Packet>(`${cfg.name}.tx`, cfg.ringSlots);
    this.rx = k.ring<Packet>(`${cfg.name}.rx`, cfg.ringSlots);
    this.pool = cfg.ringSlots;
    this.postPs = k.cost("skb_alloc") + k.costs.dmaMap(cfg.rxBuffer) + this.ring;
    this.reapPs = this.ring + k.cost("skb_free");
    this.rxPages = k.costs.pages(cfg.rxBuffer);
    this.reclaimTimer = k.timer(`${cfg.name}.reclaim`, (cx) => this.reclaim(cx));
  }

  get held(): number {
    return this.tx.size + this.rx.size;
  }

  protected postedNow(): number {
    return this.pool;
  }

  // ---- kernel side
  xmit(cx: Context, pkt: Packet): Program {
    // Decided when called, and done then when the burst runs inline: every packet sent.
    if (this.down && this.policy === "fail") return this.xmitRefused(cx, pkt);
    if (cx.run(this.k.costs.dmaMap(pkt.frame) + this.ring, "stack") === RUN) return this.xmitAfterBurst(cx, pkt); // pin and translate, write the entry
    return this.xmitQueued(cx, pkt);
  }

  /** No driver, and the policy fails new work at once: the packet is dropped (its buffer freed). */
  private *xmitRefused(cx: Context, pkt: Packet): Program {
    this.stack.inHand.release();
    this.dropFault(1);
    this.one[0] = pkt;
    yield* releaseTxBuffers(cx, this.one, 1);
  }

  private *xmitAfterBurst(cx: Context, pkt: Packet): Program {
    yield RUN;
    yield* this.xmitQueued(cx, pkt);
  }

  /** The entry is written: hand it over, and simulate an interrupt. */
  private xmitQueued(cx: Context, pkt: Packet): Program {
    if (!this.tx.enqueue(pkt)) throw new Error("bug: loopback transmit ring full while the queue ran");
    this.dma?.map(this.k.costs.pages(pkt.frame));
    this.stack.inHand.release();
    if (this.tx.isFull) this.stopped = true;
    return this.kick(cx);
  }

  *onRead(self: Task): Program {
    // Transmitted packets: free the skbs (sock_wfree).
    const d = this.done.length;
    if (d > 0) {
      if (self.run(d * this.reapPs, "stack")) yield RUN;
      const pkts: Packet[] = [];
      for (let i = 0; i < d; i++) {
        const p = this.done.shift()!;
        this.dma?.unmap(this.k.costs.pages(p.frame));
        pkts.push(p);
      }
      yield* releaseTxBuffers(self, pkts, d);
    }
    // Received packets: into netif_rx(), a chunk per burst.
    yield* this.drainRx(self);
    // Fresh receive buffers for the driver.
    const want = this.cfg.ringSlots - this.pool;
    if (want > 0) {
      if (self.run(want * this.postPs, "stack")) yield RUN;
      this.pool += want;
      this.dma?.map(want * this.rxPages);
    }
    this.restart(self, !this.tx.isFull);
  }

  /** The receive ring into netif_rx(), a chunk per burst; the buffers are the kernel's again. */
  private *drainRx(cx: Context): Program {
    while (this.rx.size > 0) {
      const n = Math.min(this.rx.size, CHUNK);
      for (let i = 0; i < n; i++) this.buf[i] = this.rx.dequeue()!;
      this.dma?.unmap(n * this.rxPages);
      this.stack.inHand.hold(n);
      if (cx.run(n * this.ring, "stack")) yield RUN;
      yield* this.stack.netifRx(cx, this.buf, n);
    }
  }

  driverDied(nicTx: Packet[], rxInHands: number): void {
    this.irq = null;
    this.dma = null; // released with the DMA ledger, which closed just before
    this.down = true;
    this.kicksTaken = 0;
    this.clearKicks();
    const inHand = this.stack.inHand;
    // Received packets taken from the NIC and not yet on the receive ring: lost.
    if (rxInHands > 0) {
      inHand.release(rxInHands);
      this.dropFault(rxInHands);
      this.rxAccepted += rxInHands;
    }
    // Transmit packets the driver had: first those it placed on the NIC's ring — still there
    // (the reset forgot them) or reclaimed and not yet reported — whose frames leave as
    // scheduled: free their buffers; then those still in its hands, never placed.
    const unplaced = this.txTaken - this.txPlaced;
    const placed = this.txOutstanding.length - unplaced;
    const sent = new Set<Packet>();
    for (let i = 0; i < placed; i++) {
      const p = this.txOutstanding.shift()!;
      sent.add(p);
      this.free(p);
    }
    for (const p of nicTx) if (!sent.has(p)) throw new Error("bug: the NIC held a transmit descriptor the driver had not placed");
    const again: Packet[] = [];
    for (let p = this.txOutstanding.shift(); p !== undefined; p = this.txOutstanding.shift()) {
      inHand.release();
      again.push(p);
    }
    this.txTaken = this.txPlaced = 0;
    // Entries handed to the driver on the transmit ring and not yet taken.
    for (let p = this.tx.dequeue(); p !== undefined; p = this.tx.dequeue()) again.push(p);
    if (this.policy === "reissue") this.stack.requeueFront(again);
    else {
      for (const p of again) this.free(p);
      this.dropFault(again.length);
    }
    // Transmitted packets reported done and not yet reaped.
    for (let p = this.done.shift(); p !== undefined; p = this.done.shift()) this.free(p);
    this.pool = 0;
    // Until a new driver registers, transmissions wait in the queueing discipline, or (fail) are dropped.
    this.stopped = this.policy !== "fail";
    this.reclaimPending = true;
    this.reclaimTimer.armAfter(0);
  }

  /** sock_wfree() of a transmit buffer; the wake-up it may owe is paid by the reclaim work. */
  private free(p: Packet): void {
    const o = p.owner;
    if (o === null) return;
    o.release(p);
    this.owedWake = o;
  }

  /** The kernel's clean-up after a death, with a CPU context: wake-ups owed, the receive ring drained. */
  private *reclaim(cx: Context): Program {
    if (!this.reclaimPending) return;
    this.reclaimPending = false;
    const o = this.owedWake;
    this.owedWake = null;
    if (o !== null) yield* o.wakeWriters(cx);
    yield* this.drainRx(cx);
  }

  *reregister(self: Task, irq: UserIrq, dma: DmaMappings): Program {
    if (this.reclaimPending) {
      this.reclaimTimer.cancel();
      yield* this.reclaim(self);
    }
    this.irq = irq;
    this.dma = dma;
    // The rings re-established: fresh pinned receive buffers for the new driver.
    const want = this.cfg.ringSlots - this.pool;
    if (want > 0) {
      if (self.run(want * this.postPs, "stack")) yield RUN;
      this.pool += want;
      dma.map(want * this.rxPages);
    }
    this.down = false;
    this.stopped = false;
    if (this.pRegister.active) this.pRegister.emit(this.pool, this.stack.qdiscLength);
    this.stack.wakeQueue(self);
  }

  // ---- driver side
  *allocRx(cx: Context, n: number): Program<number> {
    const m = Math.min(n, this.pool);
    if (m > 0) {
      this.pool -= m;
      if (cx.run(m * this.ring, "driver")) yield RUN;
    }
    return m;
  }

  *deliver(cx: Context, pkts: Packet[], n: number): Program {
    if (cx.run(n * this.ring, "driver")) yield RUN;
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
    this.rxAccepted += n;
  }

  *txDone(cx: Context, pkts: Packet[], n: number): Program {
    if (cx.run(n * this.ring, "driver")) yield RUN;
    for (let i = 0; i < n; i++) {
      this.txOutstanding.shift();
      this.done.push(pkts[i]!);
    }
  }

  *driverTx(self: Task, driver: E1000): Program {
    const n = Math.min(this.tx.size, driver.txFree);
    if (n === 0) return;
    const buf = this.txBuf;
    buf.length = n;
    for (let i = 0; i < n; i++) {
      const p = this.tx.dequeue()!;
      buf[i] = p;
      this.txOutstanding.push(p);
    }
    this.txTaken += n;
    this.stack.inHand.hold(n);
    if (self.run(n * this.ring, "driver")) yield RUN;
    yield* driver.xmit(self, buf, n);
    this.txPlaced += n; // on the NIC's ring since the TDT write, at the end of xmit()
  }
}

/** The TUN/TAP device: a system call and a copy per packet each way. */
export class TapLoopback extends Loopback {
  private readonly queue = new Deque<Packet>(64);
  private readonly txBuf: Packet[] = [];
  private readonly one: Packet[] = [];
  private readonly freePs: SimTime;
  private readonly allocPs: SimTime;

  constructor(k: Kernel, stack: NetStack, cfg: UserDriverConfig, dropRing: (pkt: Packet) => void, dropFault: (n: number) => void) {
    super(k, stack, cfg, dropRing, dropFault);
    this.freePs = k.cost("skb_free");
    this.allocPs = k.cost("skb_alloc");
  }

  get held(): number {
    return this.queue.length;
  }

  protected postedNow(): number {
    return 0; // the driver's own buffers
  }

  driverDied(): void {
    throw new Error("bug: driver recovery is modelled for the shared rings only (the validator refuses faults with loopback: tap)");
  }

  // eslint-disable-next-line require-yield
  *reregister(): Program {
    throw new Error("bug: driver recovery is modelled for the shared rings only");
  }

  // ---- kernel side
  *xmit(cx: Context, pkt: Packet): Program {
    if (cx.run(this.ring, "stack")) yield RUN; // skb_queue_tail on the tap's queue
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
    if (self.run(this.allocPs + this.k.costs.copy(one[0]!.frame - ETH_FCS), "stack")) yield RUN;
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
    if (self.run(this.k.costs.copy(one[0]!.frame - ETH_FCS) + this.freePs, "stack")) yield RUN;
    yield* releaseTxBuffers(self, one, 1);
  }
}

function* nothing(): Program {}

/**
 * The user-level driver: the loopback it talks to and the process that runs the e1000 logic.
 * A new incarnation (a restart after a death) is a new process named `<name>.<n>`.
 */
export class UserPlacement {
  readonly loopback: Loopback;
  readonly driver: E1000;
  task: Task | null = null;
  /** Activations that serviced the NIC. */
  serviced = 0;
  /** Incarnations started so far. */
  incarnations = 0;
  /** Called at the start of each activation (faults); null without faults. */
  hook: DriverFaultHook | null = null;
  /** Transmit packets the NIC forgot at the reset that quiesced it for a dead driver. */
  private nicTx: Packet[] = [];

  constructor(
    private readonly k: Kernel,
    private readonly nic: Nic,
    stack: NetStack,
    readonly cfg: UserDriverConfig,
    dropRing: (pkt: Packet) => void,
    dropFault: (n: number) => void = () => {},
  ) {
    this.loopback =
      cfg.loopback === "tap" ? new TapLoopback(k, stack, cfg, dropRing, dropFault) : new RingsLoopback(k, stack, cfg, dropRing, dropFault);
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
    this.task = this.spawn(null);
  }

  /** Spawn a new incarnation after the previous one died. */
  restart(plan: RestartPlan): Task {
    this.task = this.spawn(plan);
    return this.task;
  }

  private spawn(plan: RestartPlan | null): Task {
    const { k, cfg, loopback: lb, driver, nic } = this;
    const self = this;
    this.incarnations++;
    const name = this.incarnations === 1 ? cfg.name : `${cfg.name}.${this.incarnations}`;
    return k.spawn(
      name,
      function* (task: Task): Program {
        if (plan && plan.costPs > 0 && task.run(plan.costPs, "driver")) yield RUN; // exec and initialisation
        const irq = yield* k.openIrq(task, cfg.irq, cfg.delivery);
        if (irq === null) throw new Error(`bug: /proc/irq/${cfg.irq}/irq is busy`);
        // Closed in this order when the process dies: the IRQ file, the DMA ledger (the NIC
        // is reset first), the loopback registration.
        const dma = k.dmaMappings(task, () => {
          self.nicTx = nic.reset();
        });
        k.register(task, () => self.died());
        if (plan === null) {
          lb.attach(irq, dma, nic.rxFree + nic.rxHeld);
        } else {
          yield* k.syscall(task, lb.reregister(task, irq, dma)); // the rings re-established
          if (plan.delayPs > 0) yield* k.sleep(task, plan.delayPs); // e1000_reset(): the device settles
          yield* driver.up(task);
          plan.ready(task);
        }
        irq.onWait = (t) => lb.onRead(t);
        const hook = self.hook;
        for (;;) {
          const n = yield* irq.wait(task);
          if (n === 0) return; // closed
          if (hook !== null) yield* hook.activation(task);
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

  /** The driver's registration closed (it died): the kernel accounts for what it held. */
  private died(): void {
    const nicTx = this.nicTx;
    this.nicTx = [];
    this.loopback.driverDied(nicTx, this.nic.taken - this.loopback.rxAccepted);
    if (this.task !== null && !this.task.alive) this.task = null;
  }

  /** A heartbeat ping: a simulated interrupt on the driver's IRQ file. */
  *ping(cx: Context): Program {
    const irq = this.loopback.irq;
    if (irq !== null && irq.isOpen) yield* irq.post(cx);
  }
}
