/**
 * Probes: components emit, listeners subscribe, and the component never knows who listens.
 */
import { expect } from "chai";
import { Simulator } from "../../src/sim/index.js";

describe("probes", () => {
  it("a subscriber receives the current time and both arguments of every emission", () => {
    const sim = new Simulator();
    const probe = sim.probes.get("nic/rx");
    const seen: number[][] = [];
    probe.subscribe((t, a, b) => seen.push([t, a, b]));
    sim.at(5, () => probe.emit(1070, 3));
    sim.at(9, () => probe.emit(64));
    sim.run();
    expect(seen).to.deep.equal([
      [5, 1070, 3],
      [9, 64, 0],
    ]);
  });

  it("a probe is active exactly while someone listens to it", () => {
    const sim = new Simulator();
    const probe = sim.probes.get("disk/irq");
    const states = [probe.active];
    const unsubscribe = probe.subscribe(() => {});
    states.push(probe.active);
    unsubscribe();
    states.push(probe.active);
    expect(states).to.deep.equal([false, true, false]);
  });

  it("after unsubscribing, a listener hears nothing more, and unsubscribing twice is harmless", () => {
    const sim = new Simulator();
    const probe = sim.probes.get("p");
    const heard: string[] = [];
    const first = probe.subscribe((_t, a) => heard.push(`first ${a}`));
    probe.subscribe((_t, a) => heard.push(`second ${a}`));
    probe.emit(1);
    first();
    first();
    probe.emit(2);
    expect({ heard, active: probe.active }).to.deep.equal({
      heard: ["first 1", "second 1", "second 2"],
      active: true,
    });
  });

  it("a listener that unsubscribes during an emission does not make the next one miss it", () => {
    const sim = new Simulator();
    const probe = sim.probes.get("p");
    const heard: string[] = [];
    const once = probe.subscribe((_t, a) => {
      heard.push(`once ${a}`);
      once();
    });
    probe.subscribe((_t, a) => heard.push(`always ${a}`));
    probe.emit(1);
    probe.emit(2);
    expect(heard).to.deep.equal(["once 1", "always 1", "always 2"]);
  });

  it("subscribeAll hears every probe, including those created after it subscribed", () => {
    const sim = new Simulator();
    const early = sim.probes.get("early");
    const heard: string[] = [];
    const unsubscribe = sim.probes.subscribeAll((name, t, a) => heard.push(`${t} ${name} ${a}`));
    const late = sim.probes.get("late");
    const activeWhileListening = [early.active, late.active];
    sim.at(3, () => {
      early.emit(1);
      late.emit(2);
    });
    sim.run();
    unsubscribe();
    expect({ heard, activeWhileListening, activeAfter: [early.active, late.active] }).to.deep.equal({
      heard: ["3 early 1", "3 late 2"],
      activeWhileListening: [true, true],
      activeAfter: [false, false],
    });
  });

  it("the same name gives the same probe, and names() lists them sorted", () => {
    const sim = new Simulator();
    const a = sim.probes.get("z/last");
    sim.probes.get("a/first");
    expect({ same: sim.probes.get("z/last") === a, names: sim.probes.names() }).to.deep.equal({
      same: true,
      names: ["a/first", "z/last"],
    });
  });
});
