import { expect } from "chai";
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { buildSystem } from "../../src/model/system.js";

describe("the swapper (no idle-meter process)", () => {
  it("survives being left in the middle of its switch-in and switched to again", async () => {
    // Without the idle meter the swapper runs whenever the CPU is idle; at 20,000 interrupts/s
    // a wake-up often lands while the switch into the swapper is still in progress.
    const r = await loadScenario(packagePath("scenarios", "core-smoke.yaml"), {
      set: ["devices.tick.rate=20000/s", "devices.tick.driver.placement=user"],
    });
    const scenario = planScenario(r.scenario!).plan!.points[0]!.scenario;
    const sys = buildSystem(scenario, 1);
    let switches = 0;
    sys.sim.probes.get("cpu0/ctxsw").subscribe(() => switches++);
    sys.sim.run(50e9); // 50 ms
    expect(switches).to.be.greaterThan(1000);
    expect(sys.k.checkInvariants()).to.deep.equal([]);
  });
});
