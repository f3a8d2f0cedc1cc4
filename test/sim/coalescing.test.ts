/**
 * The event kernel's support for exact coalescing (src/sim/kernel.ts): a handler may move
 * the clock itself instead of scheduling its own next event, only when that event would be
 * the very next to fire; a sequence number taken early keeps ties in the reference order.
 */
import { expect } from "chai";
import { Simulator } from "../../src/sim/index.js";

describe("event kernel: exact coalescing", () => {
  it("advanceTo moves the clock only to a time strictly before every pending event, and counts it", () => {
    const sim = new Simulator();
    const got: (string | number)[] = [];
    sim.at(100, () => {
      got.push(sim.advanceTo(150) ? sim.now : "refused");
      got.push(sim.advanceTo(200) ? sim.now : "refused"); // an event is pending at 200
      got.push(sim.advanceTo(199) ? sim.now : "refused");
    });
    sim.at(200, () => got.push(`event at ${sim.now}`));
    sim.run();
    expect(got).to.deep.equal([150, "refused", 199, "event at 200"]);
    expect([sim.eventsFired, sim.eventsCoalesced]).to.deep.equal([2, 2]);
  });

  it("advanceTo refuses beyond the horizon of the run, after stop(), outside a run, and always in reference mode", () => {
    const sim = new Simulator();
    const got: boolean[] = [];
    sim.at(10, () => {
      got.push(sim.advanceTo(60)); // the run's horizon is 50
      got.push(sim.advanceTo(50));
      sim.stop();
      got.push(sim.advanceTo(51));
    });
    sim.run(50);
    got.push(sim.advanceTo(70)); // no run in progress
    const ref = new Simulator(1, undefined, { reference: true });
    ref.at(10, () => got.push(ref.advanceTo(20)));
    ref.run();
    expect(got).to.deep.equal([false, true, false, false, false]);
  });

  it("an event scheduled with a sequence number taken earlier fires before those scheduled in between, at equal times", () => {
    const sim = new Simulator();
    const order: string[] = [];
    sim.at(5, () => {
      const seq = sim.takeSeq();
      sim.at(30, () => order.push("scheduled second"));
      sim.atTaken(30, () => order.push("taken first"), 0, seq);
    });
    sim.run();
    expect(order).to.deep.equal(["taken first", "scheduled second"]);
  });
});
