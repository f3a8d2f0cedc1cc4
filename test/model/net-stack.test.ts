import { expect } from "chai";
import { effectiveBuffer, SOCK_MIN_RCVBUF } from "../../src/model/net/socket.js";
import { ns } from "./helpers.js";
import { target } from "./net-fixture.js";

/** `n` frames back to back on the wire (8.72 µs apart) from t = 10 µs. */
function burst(t: ReturnType<typeof target>, n: number): void {
  for (let i = 0; i < n; i++) t.inject(ns(10_000 + i * 8720));
}

describe("network stack buffers (Linux 2.6.6 semantics)", () => {
  it("setsockopt doubles the request bounded by the system maximum; no setsockopt keeps the default", () => {
    expect(effectiveBuffer(256 * 1024, 65535, 65535, SOCK_MIN_RCVBUF)).to.equal(131070);
    expect(effectiveBuffer(40 * 1024, 65535, 65535, SOCK_MIN_RCVBUF)).to.equal(81920);
    expect(effectiveBuffer(0, 65535, 65535, SOCK_MIN_RCVBUF)).to.equal(65535);
    expect(effectiveBuffer(100, 65535, 65535, SOCK_MIN_RCVBUF)).to.equal(SOCK_MIN_RCVBUF);
  });

  it("received packets are charged at their buffer's truesize: 2432 bytes for a 2 KB receive buffer", () => {
    const t = target({ placement: "kernel" });
    // SKB_DATA_ALIGN(2048 + 16 + 2) = 2176, + sizeof(struct sk_buff) 256.
    expect(t.stack.skbTruesize(2048 + 18)).to.equal(2432);
    // A 1024-byte reply: SKB_DATA_ALIGN(1024 + 8 + 20 + 16 + 15) = 1152, + 256.
    expect(t.stack.skbTruesize(1024 + 59)).to.equal(1408);
  });

  it("a burst delivered in one soft IRQ fills the receive buffer: 53 of 60 fit in 131070 bytes", () => {
    // RDTR 1000 units: one interrupt after the whole burst (256 descriptors: RXDMT0 at 128
    // does not fire).
    const t = target({ placement: "kernel", holdoff: { rdtr: 1000 }, rxRing: 256 });
    burst(t, 60);
    t.sim.run(ns(3_000_000));
    expect(t.drops.stageAllTime("socket_rcvbuf")).to.equal(7);
    expect(t.received.length).to.equal(53);
  });

  it("the backlog takes at most netdev_max_backlog + 1 packets, then drops until it has drained", () => {
    const t = target({ placement: "kernel", holdoff: { rdtr: 1000 }, rxRing: 256, backlog: 8 });
    burst(t, 20);
    t.sim.run(ns(3_000_000));
    // netif_rx() queues while the queue holds ≤ 8: 9 packets; the other 11 are dropped.
    expect(t.drops.stageAllTime("backlog")).to.equal(11);
    expect(t.received.length).to.equal(9);
  });

  it("the echo server blocks in sendto() on a full send buffer and resumes when reclaims free half of it", () => {
    // Send buffer 5 × 1408 bytes; transmit write-backs interrupt only after 1 ms (TIDV).
    const t = target({ placement: "kernel", holdoff: { rdtr: 1000, tidv: 1000 }, sndbuf: 5 * 1408, echo: true });
    burst(t, 10);
    t.sim.run(ns(1_500_000));
    expect(t.sock.sendBlocks).to.be.greaterThan(0);
    expect(t.transmitted.length).to.be.lessThan(10);
    t.sim.run(ns(6_000_000));
    expect(t.transmitted.length).to.equal(10);
    expect(t.sock.wmem).to.equal(0);
  });

  it("the NIC drops at the FIFO when the receive ring is full: counted at rx_ring", () => {
    // 8 descriptors (7 usable) and a 4 KiB FIFO (3 frames). A first frame takes the
    // interrupt at once; ITR (39063 units = 10 ms) then holds the next one, RXDMT0 included,
    // while a burst of 20 arrives.
    const t = target({ placement: "kernel", holdoff: { itr: 39063 }, rxRing: 8, rxFifo: 4096 });
    t.inject(0);
    burst(t, 20);
    t.sim.run(ns(30_000_000));
    expect(t.drops.stageAllTime("rx_ring")).to.equal(20 - 7 - 3);
    expect(t.drops.stageAllTime("nic_fifo")).to.equal(0);
    expect(t.received.length).to.equal(1 + 7 + 3);
  });
});
