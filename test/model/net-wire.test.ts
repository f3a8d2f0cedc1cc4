import { expect } from "chai";
import { frameBytes, maxFramesPerS, maxPayloadBitsPerS, wireBytes, wireTimePs } from "../../src/model/net/ethernet.js";
import { SwitchPort } from "../../src/model/net/switch.js";
import { IpbenchClients } from "../../src/model/net/clients.js";
import { DropCounters } from "../../src/model/net/drops.js";
import type { Packet } from "../../src/model/net/packet.js";
import { Simulator } from "../../src/sim/kernel.js";

describe("Ethernet arithmetic (facts.md)", () => {
  it("a 1024-byte UDP payload is a 1070-byte frame and 1090 bytes (8.72 µs) of gigabit wire", () => {
    expect(frameBytes(1024)).to.equal(1070);
    expect(wireBytes(1024)).to.equal(1090);
    expect(wireTimePs(1024, 1e9)).to.equal(8_720_000);
  });

  it("at most 114,679 such frames per second per direction: 939.4 Mb/s of payload", () => {
    expect(Math.round(maxFramesPerS(1024, 1e9))).to.equal(114_679);
    expect(maxPayloadBitsPerS(1024, 1e9) / 1e6).to.be.closeTo(939.4, 0.05);
  });

  it("payload rates of the paper are these packet rates: 720, 790, 850 Mb/s", () => {
    expect([720, 790, 850].map((m) => Math.round((m * 1e6) / (1024 * 8)))).to.deep.equal([87_891, 96_436, 103_760]);
  });

  it("short payloads are padded to the 64-byte minimum frame", () => {
    expect(frameBytes(1)).to.equal(64);
    expect(wireBytes(1)).to.equal(84);
  });
});

describe("switch port", () => {
  it("forwards frames back to back and drops what does not fit in its buffer", () => {
    const port = new SwitchPort(3 * 1070);
    const ser = wireTimePs(1024, 1e9);
    // Five frames arrive at once: three fit (one sending, two queued), two are dropped.
    const ends = [0, 0, 0, 0, 0].map(() => port.offer(0, 1070, ser));
    expect(ends).to.deep.equal([ser, 2 * ser, 3 * ser, -1, -1]);
    // Once the first has left, there is room for one more, queued behind the others.
    expect(port.offer(ser, 1070, ser)).to.equal(4 * ser);
    expect(port.heldAt(ser)).to.equal(3);
  });
});

describe("ipbench clients", () => {
  function drive(offered: number, clients: number, seconds: number, buffer = 512 * 1024) {
    const sim = new Simulator(7);
    const drops = new DropCounters(0, Infinity);
    const arrivals: number[] = [];
    const c = new IpbenchClients(
      sim,
      { clients, offeredBitsPerS: offered, payload: 1024, linkRate: 1e9, switchBuffer: buffer, dropThresholdPs: 1e11, windowStart: 0, windowEnd: Infinity },
      Array.from({ length: clients }, (_, i) => sim.rng(`c${i}`)),
      (_p: Packet) => arrivals.push(sim.now),
      drops,
    );
    c.start();
    sim.run(seconds * 1e12);
    c.catchUp();
    return { c, drops, arrivals };
  }

  it("each client paces its share evenly: one client at 81.92 Mb/s sends every 100 µs", () => {
    const { arrivals } = drive(81.92e6, 1, 0.001);
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    expect(new Set(gaps)).to.deep.equal(new Set([100e6]));
  });

  it("the offered load is what the clients send, within one packet per client", () => {
    const { c } = drive(500e6, 4, 0.1);
    const expected = (500e6 * 0.1) / (1024 * 8);
    expect(Math.abs(c.sent - expected)).to.be.at.most(4);
  });

  it("beyond wire speed the switch drops the excess and frames reach the NIC 8.72 µs apart", () => {
    const { c, drops, arrivals } = drive(1000e6, 4, 0.2, 64 * 1024);
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    expect(Math.min(...gaps)).to.equal(8_720_000);
    const perS = arrivals.length / 0.2;
    expect(perS).to.be.at.most(114_679 + 10);
    expect(perS).to.be.at.least(114_679 * 0.99);
    // sent = accepted (arrived or still in the switch) + dropped
    expect(c.sent).to.equal(arrivals.length + c.inSwitch + drops.stageAllTime("switch"));
    expect(drops.stageAllTime("switch")).to.be.greaterThan(0);
  });
});
