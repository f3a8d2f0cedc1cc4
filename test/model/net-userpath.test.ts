import { expect } from "chai";
import { ns, record } from "./helpers.js";
import { target } from "./net-fixture.js";

/*
 * Test machine costs (ns): irq_entry 50, irq_exit 30, irq_mask 15, irq_unmask 25,
 * softirq 35, syscall_entry/exit 20, context_switch 200 (+100 refill into another address
 * space), sem_up/down 10, wakeup 40, reg_read 500, reg_write 250, dma_map_per_page 80,
 * net_ring_entry 5, nic_rx_packet 100, skb_alloc 60, netif_rx 20, ip_udp_rx 300,
 * udp_recvmsg 150, copy 0.5 ns/B.
 *
 * Frames: 1070 bytes, DMA at 533 MB/s takes 2.0075 µs.
 */

describe("user-level network driver", () => {
  it("one burst on the receive path: IRQ, stub, semaphore, switch, driver, loopback ring, drain in read()", () => {
    // RDTR 32 (32.768 µs): three frames arrive 8.72 µs apart and are written back 2.0075 µs
    // later; the interrupt comes 32.768 µs after the last write-back (29.4475 µs).
    const t = target({ placement: "user", holdoff: { rdtr: 32 } });
    const trace = record(t.sim, /irq\/16|cpu0\/(irq|ctxsw|activation|syscall|softirq|time)|ring\/|proc\/(drv|app)\/(wake|block)/);
    for (const at of [10, 18.72, 27.44]) t.inject(ns(at * 1000));
    t.sim.run(ns(66_000));
    const from = trace.findIndex((l) => l.includes("irq/16/raise"));
    expect(trace.slice(from)).to.deep.equal([
      "62215.505 irq/16/raise 1 0",
      "62215.505 cpu0/time idle 61325.505",
      "62215.505 cpu0/irq 16 0",
      "62265.505 cpu0/time irq 50", // interrupt entry
      "62280.505 cpu0/time irq 15", // the /proc/irq/16/irq stub masks the line …
      "62280.505 irq/16/mask 1 0",
      "62280.505 irq/16/post 1 1", // … counts a device interrupt …
      "62290.505 cpu0/time irq 10", // … ups the semaphore …
      "62330.505 cpu0/time irq 40", // … and wakes the driver
      "62330.505 proc/drv/wake 0 1",
      "62360.505 cpu0/time irq 30",
      "62360.505 cpu0/ctxsw 0 1", // idle → driver
      "62660.505 cpu0/time context_switch 300",
      "62660.505 cpu0/activation 16 1", // read() returns 1
      "62680.505 cpu0/time syscall 20",
      "63180.505 cpu0/time driver 500", // read ICR (uncached register read)
      "63495.505 cpu0/time driver 315", // three descriptors (nic_rx_packet + ring entry each)
      "63510.505 cpu0/time driver 15", // three loopback receive-ring entries …
      "63510.505 ring/drv.rx/enqueue 1 1",
      "63510.505 ring/drv.rx/enqueue 2 1",
      "63510.505 ring/drv.rx/enqueue 3 1",
      "63525.505 cpu0/time driver 15", // three pinned buffers taken from the kernel's pool
      "63790.505 cpu0/time driver 265", // three NIC descriptors refilled, RDT written
      "63790.505 cpu0/syscall 1 0", // read() again: the kernel drains the receive ring
      "63810.505 cpu0/time syscall 20",
      "63810.505 ring/drv.rx/dequeue 2 0",
      "63810.505 ring/drv.rx/dequeue 1 0",
      "63810.505 ring/drv.rx/dequeue 0 0",
      "63825.505 cpu0/time stack 15", // three ring entries read …
      "63885.505 cpu0/time stack 60", // … and handed to netif_rx()
      "63885.505 cpu0/softirq 2 0", // NET_RX runs before read() goes on
      "63920.505 cpu0/time softirq 35",
      "64820.505 cpu0/time stack 900", // IP and UDP, three packets into the socket
      "64860.505 cpu0/time softirq 40", // the reader is woken
      "64860.505 proc/app/wake 0 1",
      "65295.505 cpu0/time stack 435", // three fresh buffers pinned and posted
      "65320.505 cpu0/time irq 25", // nothing pending: unmask …
      "65320.505 irq/16/mask 0 0",
      "65330.505 cpu0/time syscall 10", // … down the semaphore and sleep
      "65330.505 proc/drv/block 0 0",
      "65330.505 cpu0/ctxsw 1 2", // driver → reader
      "65630.505 cpu0/time context_switch 300",
    ]);
    t.sim.run(ns(70_000));
    expect(t.received.length).to.equal(3);
    expect(t.drops.allTime()).to.equal(0);
  });

  it("sends posted while the echo server runs are taken in one activation, with one TDT write", () => {
    const t = target({ placement: "user", holdoff: { rdtr: 32 }, echo: true });
    const acts: number[] = [];
    t.sim.probes.get("cpu0/activation").subscribe((_t, _v, n) => acts.push(n));
    let tdt = 0;
    t.sim.probes.get("ring/drv.tx/dequeue").subscribe(() => tdt++);
    for (const at of [10, 18.72, 27.44]) t.inject(ns(at * 1000));
    t.sim.run(ns(72_000));
    // The interrupt's activation, then one activation for the three simulated interrupts.
    expect(acts).to.deep.equal([1, 3]);
    expect(t.transmitted.length).to.equal(3);
    expect(tdt).to.equal(3);
  });

  it("a driver ranked above the echo server preempts it on every send: one activation per packet", () => {
    // TIDV 1000 (1.024 ms): no transmit interrupt within the test.
    const t = target({ placement: "user", holdoff: { rdtr: 32, tidv: 1000 }, echo: true, driverNice: -5 });
    const acts: number[] = [];
    t.sim.probes.get("cpu0/activation").subscribe((_t, _v, n) => acts.push(n));
    for (const at of [10, 18.72, 27.44]) t.inject(ns(at * 1000));
    t.sim.run(ns(75_000));
    expect(acts).to.deep.equal([1, 1, 1, 1]);
    expect(t.transmitted.length).to.equal(3);
  });

  it("servicing receive on every activation reads the interrupt cause register on simulated interrupts too", () => {
    const reads = (rxService: "interrupt" | "every-activation") => {
      const t = target({ placement: "user", holdoff: { rdtr: 32, itr: 3906 }, echo: true, rxService });
      for (const at of [10, 18.72, 27.44]) t.inject(ns(at * 1000));
      t.sim.run(ns(80_000));
      return t.user!.serviced;
    };
    // Within the ITR interval no second interrupt comes: only the send activation differs.
    expect(reads("interrupt")).to.equal(1);
    expect(reads("every-activation")).to.equal(2);
  });

  it("in the kernel, the interrupt routine and soft IRQ put the burst in the socket before any process runs", () => {
    const t = target({ placement: "kernel", holdoff: { rdtr: 32 } });
    const trace = record(t.sim, /cpu0\/(irq|ctxsw|softirq)|proc\/app\/wake/);
    for (const at of [10, 18.72, 27.44]) t.inject(ns(at * 1000));
    t.sim.run(ns(70_000));
    const from = trace.findIndex((l) => l.includes("cpu0/irq"));
    expect(trace.slice(from).map((l) => l.split(" ").slice(1).join(" "))).to.deep.equal([
      "cpu0/irq 16 0",
      "cpu0/softirq 2 0",
      "proc/app/wake 0 1",
      "cpu0/ctxsw 0 1", // idle → reader and back: the only switches
      "cpu0/ctxsw 1 0",
    ]);
    expect(t.received.length).to.equal(3);
  });
});
