/**
 * The e1000 driver in the kernel (the paper's "Linux Kernel" configuration): its interrupt
 * routine runs at hard-IRQ priority (request_irq) and hands packets to netif_rx(); its
 * transmit routine is the network device's hard_start_xmit, called by dev_queue_xmit() in
 * the sender's context. Receive buffers are fresh skbs mapped for DMA (dev_alloc_skb +
 * pci_map_single); transmitted skbs are mapped per packet and freed when reclaimed, which
 * returns their truesize to the socket's send buffer (sock_wfree). The DMA mapping is done
 * by the driver here and by the loopback at user level; it is charged as `stack` (the
 * kernel's DMA API) in both, as on the block path.
 */
import { NOTHING, RUN, type Context, type Program } from "../cpu/index.js";
import type { Kernel } from "../kernel/index.js";
import type { SimTime } from "../../sim/time.js";
import { E1000, type DriverOps } from "./e1000.js";
import type { Nic } from "./nic.js";
import type { Packet } from "./packet.js";
import type { NetDevice, NetStack } from "./stack.js";
import type { TxOwner } from "./packet.js";
import type { DriverFaultHook } from "../faults/driver.js";

export class KernelPlacement implements NetDevice, DriverOps {
  readonly driver: E1000;
  stopped = false;
  /** Called as the interrupt routine starts (faults); null without faults. */
  hook: DriverFaultHook | null = null;
  private readonly one: Packet[] = [];
  private readonly allocPs: SimTime;
  private readonly freePs: SimTime;

  constructor(
    private readonly k: Kernel,
    nic: Nic,
    private readonly stack: NetStack,
    /** Driver receive buffer (rx_buffer_len), bytes. */
    private readonly rxBuffer: number,
    batchLimit: number,
  ) {
    this.driver = new E1000(k, nic, this, { batchLimit }, stack.inHand);
    this.allocPs = k.cost("skb_alloc");
    this.freePs = k.cost("skb_free");
  }

  /** request_irq(): the driver's interrupt routine on line `irq`. */
  install(irq: number): void {
    const driver = this.driver;
    const ok = this.k.requestIrq(irq, (cx) => this.isr(cx, driver));
    if (!ok) throw new Error(`bug: IRQ ${irq} already has a handler`);
  }

  private *isr(cx: Context, driver: E1000): Program {
    if (this.hook !== null) yield* this.hook.activation(cx);
    yield* driver.interrupt(cx);
  }

  // ---------------------------------------------------------------- the device

  *xmit(cx: Context, pkt: Packet): Program {
    this.one[0] = pkt;
    yield* this.driver.xmit(cx, this.one, 1);
    if (this.driver.txFree === 0) this.stopped = true; // netif_stop_queue
  }

  // ---------------------------------------------------------------- driver call-outs

  *allocRx(cx: Context, n: number): Program<number> {
    if (cx.run(n * this.allocPs, "stack")) yield RUN; // dev_alloc_skb
    return n;
  }

  mapRxPs(n: number): SimTime {
    return n * this.k.costs.dmaMap(this.rxBuffer); // pci_map_single
  }

  *deliver(cx: Context, pkts: Packet[], n: number): Program {
    const truesize = this.stack.skbTruesize(this.rxBuffer + RX_SKB_EXTRA);
    for (let i = 0; i < n; i++) pkts[i]!.truesize = truesize;
    yield* this.stack.netifRx(cx, pkts, n);
  }

  *txDone(cx: Context, pkts: Packet[], n: number): Program {
    if (cx.run(n * this.freePs, "stack")) yield RUN;
    yield* releaseTxBuffers(cx, pkts, n);
  }

  mapTxPs(pkts: readonly Packet[], n: number): SimTime {
    let ps = 0;
    for (let i = 0; i < n; i++) ps += this.k.costs.dmaMap(pkts[i]!.frame); // pci_map_single
    return ps;
  }

  txSpace(cx: Context): Program {
    // No CPU work of its own: done when called (just before the program would run).
    if (this.stopped && this.driver.txFree > 0) {
      this.stopped = false; // netif_wake_queue
      this.stack.wakeQueue(cx);
    }
    return NOTHING;
  }
}

/** dev_alloc_skb(len + NET_IP_ALIGN) reserves 16 bytes of headroom and 2 for IP alignment. */
export const RX_SKB_EXTRA = 16 + 2;

/** sock_wfree() for each buffer, then the write-space wake-ups the releases owe. */
export function* releaseTxBuffers(cx: Context, pkts: readonly Packet[], n: number): Program {
  let owner: TxOwner | null = null;
  for (let i = 0; i < n; i++) {
    const p = pkts[i]!;
    const o = p.owner;
    if (o === null) continue;
    o.release(p);
    owner = o;
  }
  if (owner !== null) yield* owner.wakeWriters(cx);
}
