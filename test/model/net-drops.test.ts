import { expect } from "chai";
import { buildSystem, checkSystemInvariants, conservation } from "../../src/model/system.js";
import { planOk, scenario } from "../helpers/fixtures.js";

/**
 * Drop accounting: on every path, packets sent = echoed in time + dropped at each stage +
 * in flight, checked at many instants of a run, with the buffers shrunk so that each stage
 * in turn is the one that drops.
 */
async function run(file: string, set: string[], slices = 12) {
  const plan = await planOk(scenario(file), { set, quick: true });
  const sys = buildSystem(plan.points[0]!.scenario, 1);
  const end = sys.window.end;
  for (let i = 1; i <= slices; i++) {
    sys.sim.run(Math.round((end * i) / slices));
    const v = checkSystemInvariants(sys);
    if (v.length) throw new Error(`at ${sys.sim.now} ps: ${v.join("; ")}`);
  }
  const eq = conservation(sys).find((e) => e.name.includes("packets sent"))!;
  const metrics = sys.components.get("workload")!.metrics!(sys) as { drops: Record<string, number>; throughput_bits_per_s: number };
  return { eq, drops: metrics.drops, metrics };
}

const cases: [string, string, string[]][] = [
  ["switch", "gige-kernel.yaml", ["workload.offered_load=1000Mb/s", "workload.switch_buffer=16KiB"]],
  ["socket_rcvbuf", "gige-kernel.yaml", ["workload.offered_load=600Mb/s", "workload.rcvbuf=0B", "devices.eth0.holdoff.itr=2000/s"]],
  ["backlog", "gige-kernel.yaml", ["workload.offered_load=600Mb/s", "workload.backlog=8", "devices.eth0.holdoff.itr=2000/s"]],
  ["rx_ring", "gige-kernel.yaml", ["workload.offered_load=600Mb/s", "devices.eth0.rx_ring=16", "devices.eth0.rx_fifo=4KiB", "devices.eth0.holdoff.itr=2000/s"]],
  ["loopback_ring", "gige-user.yaml", ["workload.offered_load=600Mb/s", "devices.eth0.driver.loopback_ring=8", "devices.eth0.holdoff.itr=2000/s"]],
  ["late_reply", "gige-user.yaml", ["workload.offered_load=600Mb/s", "workload.drop_threshold=150us", "devices.eth0.holdoff.itr=2000/s"]],
];

describe("network drop accounting", function () {
  this.timeout(120_000);

  for (const [stage, file, set] of cases) {
    it(`sent = echoed + dropped per stage + in flight, at every instant, when ${stage} drops (${file})`, async () => {
      const { eq, drops } = await run(file, set);
      expect(drops[stage], JSON.stringify(drops)).to.be.greaterThan(0);
      expect(eq.issued).to.equal(eq.completed + eq.dropped + eq.inFlight);
    });
  }

  it("below the knee nothing is dropped and everything sent is echoed or in flight, in both placements", async () => {
    for (const file of ["gige-kernel.yaml", "gige-user.yaml"]) {
      const { eq, drops } = await run(file, ["workload.offered_load=300Mb/s"]);
      expect(Object.values(drops).every((v) => v === 0), JSON.stringify(drops)).to.equal(true);
      expect(eq.dropped).to.equal(0);
      expect(eq.inFlight).to.be.lessThan(100);
    }
  });
});
