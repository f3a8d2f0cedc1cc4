import { readFileSync } from "node:fs";
import { expect } from "chai";
import { packagePath } from "../../src/dsl/package-root.js";

/**
 * The lessons of the network teaching scenarios, checked on their committed --quick
 * results (test/snapshots/*.quick.json, which the snapshot test keeps equal to what the
 * model produces). Each scenario's `expect:` block states the same lessons for `loopdrv run`.
 */
interface Point {
  params: Record<string, unknown>;
  status: string;
  metrics: {
    throughput_bits_per_s: number;
    offered_bits_per_s: number;
    cpu_utilization: number;
    context_switches_per_s: number;
    interrupts_per_s: number;
    drops: Record<string, number>;
  };
}

function points(name: string): Point[] {
  const doc = JSON.parse(readFileSync(packagePath("test", "snapshots", `${name}.quick.json`), "utf8")) as { points: Point[] };
  for (const p of doc.points) expect(p.status, `${name} ${JSON.stringify(p.params)}`).to.equal("ok");
  return doc.points;
}

/** The one point whose params include all of `where`. */
function at(ps: Point[], where: Record<string, unknown>): Point["metrics"] {
  const found = ps.filter((p) => Object.entries(where).every(([k, v]) => p.params[k] === v));
  if (found.length !== 1) throw new Error(`${found.length} points match ${JSON.stringify(where)}`);
  return found[0]!.metrics;
}

function peak(ps: Point[], where: Record<string, unknown>): number {
  const found = ps.filter((p) => Object.entries(where).every(([k, v]) => p.params[k] === v));
  return Math.max(...found.map((p) => p.metrics.throughput_bits_per_s));
}

const PLACEMENT = "devices.eth0.driver.placement";
const ITR = "devices.eth0.holdoff.itr";
const LOAD = "workload.offered_load";

describe("lessons of the network teaching scenarios", () => {
  it("holdoff-sweep: the user-level driver's extra CPU grows with the interrupt rate", () => {
    const ps = points("holdoff-sweep");
    // Throttle intervals from the longest (2000/s) to none (an interrupt per packet).
    const itrs = [0.0005, 0.00025, 0.000125, 0.00005, 0];
    const gap = (itr: number, load: number) => at(ps, { [ITR]: itr, [PLACEMENT]: "user", [LOAD]: load }).cpu_utilization - at(ps, { [ITR]: itr, [PLACEMENT]: "kernel", [LOAD]: load }).cpu_utilization;
    const at400 = itrs.map((i) => gap(i, 400e6));
    for (let i = 1; i < at400.length; i++) expect(at400[i], `gap at 400 Mb/s: ${at400.map((g) => (100 * g).toFixed(1)).join(", ")}`).to.be.greaterThan(at400[i - 1]!);
    // At 700 Mb/s without any throttle the user-level CPU saturates; the throttled rates still order.
    const at700 = itrs.slice(0, 4).map((i) => gap(i, 700e6));
    for (let i = 1; i < at700.length; i++) expect(at700[i]).to.be.greaterThan(at700[i - 1]!);
    expect(at400[0]).to.be.lessThan(0.04); // about 2–3 points at 2000/s
    expect(at400[3]).to.be.greaterThan(0.1); // over 10 points at 20000/s
    for (const p of ps.filter((q) => q.params[ITR] === 0.0005)) expect(p.metrics.interrupts_per_s).to.be.at.most(2020);
  });

  it("socket-buffers: the receive buffer sets the knee, the send buffer the user-level peak", () => {
    const ps = points("socket-buffers");
    const rcv = "workload.rcvbuf";
    const snd = "workload.sndbuf";
    const kDefault = peak(ps, { [rcv]: 0, [snd]: 0, [PLACEMENT]: "kernel" });
    const uDefault = peak(ps, { [rcv]: 0, [snd]: 0, [PLACEMENT]: "user" });
    // 26 packets of truesize 2432 B fit in 65535 B: 26 × 2000/s × 8192 b = 426 Mb/s.
    expect(kDefault / 1e6).to.be.closeTo(426, 5);
    expect(uDefault / 1e6).to.be.closeTo(426, 5);
    const kMax = peak(ps, { [rcv]: 262144, [snd]: 262144, [PLACEMENT]: "kernel" });
    const uMax = peak(ps, { [rcv]: 262144, [snd]: 262144, [PLACEMENT]: "user" });
    expect(kMax / 1e6).to.be.closeTo(868.4, 1); // 53 × 2000/s
    expect(uMax).to.be.at.least(0.98 * kMax);
    const k40 = peak(ps, { [snd]: 40960, [PLACEMENT]: "kernel" });
    const u40 = peak(ps, { [snd]: 40960, [PLACEMENT]: "user" });
    expect(k40).to.be.at.least(0.98 * kMax);
    expect(u40).to.be.lessThan(0.9 * k40);
    // The user-level loss is at the socket: the echo server blocked in sendto() while its
    // receive buffer overflowed.
    const uDrops = at(ps, { [snd]: 40960, [PLACEMENT]: "user", [LOAD]: 800e6 }).drops;
    expect(uDrops.socket_rcvbuf).to.be.greaterThan(0);
    expect(at(ps, { [snd]: 40960, [PLACEMENT]: "kernel", [LOAD]: 800e6 }).drops.socket_rcvbuf).to.equal(0);
  });

  it("userlevel-batching: without batching, context switches per packet rise and the peak falls", () => {
    const ps = points("userlevel-batching");
    const PRIO = "devices.eth0.driver.priority";
    const SVC = "devices.eth0.driver.rx_service";
    const perPacket = (prio: number, svc: string, load: number) => {
      const m = at(ps, { [PRIO]: prio, [SVC]: svc, [LOAD]: load });
      return m.context_switches_per_s / (m.throughput_bits_per_s / (1024 * 8));
    };
    const base = perPacket(0, "interrupt", 600e6);
    expect(base).to.be.lessThan(0.15); // four switches per interrupt, ~37 packets each
    expect(perPacket(-5, "interrupt", 600e6)).to.be.greaterThan(1.5); // two per packet
    expect(perPacket(0, "every-activation", 800e6)).to.be.greaterThan(5 * perPacket(0, "interrupt", 800e6));
    expect(at(ps, { [PRIO]: 0, [SVC]: "every-activation", [LOAD]: 800e6 }).cpu_utilization).to.be.at.least(0.95);
    const batched = peak(ps, { [PRIO]: 0, [SVC]: "interrupt" });
    expect(peak(ps, { [PRIO]: -5, [SVC]: "interrupt" })).to.be.lessThan(0.8 * batched);
    expect(peak(ps, { [PRIO]: -5, [SVC]: "every-activation" })).to.be.lessThan(0.8 * batched);
  });

  it("loopback-tap: TUN/TAP's copies and system calls cost several times the shared rings' overhead", () => {
    const ps = points("loopback-tap");
    const LB = "devices.eth0.driver.loopback";
    for (const load of [300e6, 600e6, 800e6]) {
      const k = at(ps, { [PLACEMENT]: "kernel", [LOAD]: load }).cpu_utilization;
      const rings = at(ps, { [PLACEMENT]: "user", [LB]: "rings", [LOAD]: load }).cpu_utilization;
      const tap = at(ps, { [PLACEMENT]: "user", [LB]: "tap", [LOAD]: load }).cpu_utilization;
      expect(tap - k, `at ${load / 1e6} Mb/s`).to.be.greaterThan(2.5 * (rings - k));
      expect(rings / k).to.be.lessThan(1.12);
    }
  });
});
