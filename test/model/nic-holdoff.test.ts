import { expect } from "chai";
import {
  holdoffRegisters,
  ICR_RXDMT0,
  ICR_RXT0,
  ICR_TXDW,
  InterruptModeration,
  type HoldoffRegisters,
} from "../../src/model/net/holdoff.js";
import { Simulator } from "../../src/sim/kernel.js";

const us = (v: number) => Math.round(v * 1e6);
const fmt = (ps: number) => String(ps / 1e6);

/**
 * Drive an InterruptModeration with events at given times (µs) and a driver that reads ICR
 * `readAfter` µs after each assertion. Returns "t assert" and "t read ICR=…" lines.
 */
function trace(regs: Partial<HoldoffRegisters>, events: [number, "rx" | "tx" | "low"][], readAfter = 5, until = 5000): string[] {
  const sim = new Simulator(1);
  const lines: string[] = [];
  const full: HoldoffRegisters = { itr: 0, rdtr: 0, radv: 0, tidv: 0, tadv: 0, ...regs };
  const m: InterruptModeration = new InterruptModeration(sim, full, () => {
    lines.push(`${fmt(sim.now)} assert`);
    sim.after(us(readAfter), () => lines.push(`${fmt(sim.now)} read ICR=${m.readIcr()}`));
  });
  for (const [t, kind] of events) {
    sim.at(us(t), () => (kind === "rx" ? m.rxPacket() : kind === "tx" ? m.txPacket() : m.rxLow()));
  }
  sim.run(us(until));
  return lines;
}

describe("82545GM interrupt moderation (hold-off timers)", () => {
  it("programs the registers in their units: ITR 256 ns, the delay timers 1.024 µs", () => {
    expect(holdoffRegisters({ itr: 1 / 2000, rdtr: 0, radv: 131.072e-6, tidv: 65.536e-6, tadv: 65.536e-6 })).to.deep.equal({
      itr: 1953, // 500 µs / 256 ns = 1953.1: the e1000's 10^9 / (2000 × 256)
      rdtr: 0,
      radv: 128,
      tidv: 64,
      tadv: 64,
    });
  });

  it("with RDTR 0 every received packet sets RXT0 at once, and ITR spaces the assertions", () => {
    // ITR 1953 units = 499.968 µs. Hand-computed: the first cause asserts at once (t 10);
    // the cause at 20 waits for 10 + 499.968; the causes at 700 and 1000 share the
    // assertion at 509.968 + 499.968; the one at 1100 waits for 1009.936 + 499.968.
    expect(trace({ itr: 1953 }, [[10, "rx"], [20, "rx"], [700, "rx"], [1000, "rx"], [1100, "rx"]])).to.deep.equal([
      "10 assert",
      "15 read ICR=128",
      "509.968 assert",
      "514.968 read ICR=128",
      "1009.936 assert",
      "1014.936 read ICR=128",
      "1509.904 assert",
      "1514.904 read ICR=128",
    ]);
  });

  it("without ITR each packet asserts at once, a new cause while asserted does not assert again", () => {
    expect(trace({}, [[10, "rx"], [12, "rx"], [100, "rx"]])).to.deep.equal([
      "10 assert",
      "15 read ICR=128", // the packet at 12 merged into the asserted interrupt
      "100 assert",
      "105 read ICR=128",
    ]);
  });

  it("RDTR restarts with every packet; RADV, started by the first, bounds the delay", () => {
    // RDTR 8 units = 8.192 µs, RADV 32 units = 32.768 µs. Packets every 5 µs from 0 to 35:
    // the packet timer never runs out, the absolute timer (started at 0) fires at 32.768.
    // The packet at 35 starts both again; with no packet after it, RDTR fires at 43.192.
    const pkts: [number, "rx"][] = [0, 5, 10, 15, 20, 25, 30, 35].map((t) => [t, "rx"]);
    expect(trace({ rdtr: 8, radv: 32 }, pkts, 1)).to.deep.equal([
      "32.768 assert",
      "33.768 read ICR=128",
      "43.192 assert",
      "44.192 read ICR=128",
    ]);
  });

  it("RDTR alone waits for a gap of RDTR between packets", () => {
    expect(trace({ rdtr: 8 }, [[0, "rx"], [5, "rx"], [10, "rx"], [30, "rx"]], 1)).to.deep.equal([
      "18.192 assert", // 10 + 8.192
      "19.192 read ICR=128",
      "38.192 assert",
      "39.192 read ICR=128",
    ]);
  });

  it("RADV is disabled when RDTR is 0", () => {
    expect(trace({ rdtr: 0, radv: 32 }, [[0, "rx"], [10, "rx"]], 1)).to.deep.equal([
      "0 assert",
      "1 read ICR=128",
      "10 assert",
      "11 read ICR=128",
    ]);
  });

  it("TIDV and TADV delay TXDW the same way, ITR applying on top", () => {
    // TIDV 64 = 65.536 µs restarted at 10 (deadline 75.536); TADV 64 from 0 fires first.
    expect(trace({ tidv: 64, tadv: 64 }, [[0, "tx"], [10, "tx"]], 1)).to.deep.equal(["65.536 assert", "66.536 read ICR=1"]);
    // With ITR 1953, a TXDW at 65.536 after an RXT0 assertion at 0 waits until 499.968.
    expect(trace({ itr: 1953, tidv: 64, tadv: 64 }, [[0, "rx"], [0, "tx"]], 1)).to.deep.equal([
      "0 assert",
      "1 read ICR=128",
      "499.968 assert",
      "500.968 read ICR=1",
    ]);
  });

  it("causes accumulate until ICR is read: RXT0, TXDW and RXDMT0 together", () => {
    expect(trace({ itr: 1953 }, [[0, "rx"], [100, "tx"], [200, "low"], [300, "rx"]], 1)).to.deep.equal([
      "0 assert",
      "1 read ICR=128",
      "499.968 assert",
      `500.968 read ICR=${ICR_RXT0 | ICR_TXDW | ICR_RXDMT0}`,
    ]);
  });
});
