import { expect } from "chai";
import {
  addCpuBoundProcess,
  addPeriodicInterruptDevice,
  CpuTimeMeter,
  KernelCounters,
} from "../../src/model/kernel/index.js";
import { ns, setup } from "./helpers.js";

describe("smoke workload and kernel meters", () => {
  it("a periodic device and a CPU-bound process split the CPU as hand-computed", () => {
    const { sim, k } = setup();
    const counters = new KernelCounters(k);
    const cpu = new CpuTimeMeter(k);
    const device = addPeriodicInterruptDevice(k, { irq: 7, period: 10e-6, isr_cost: 1e-6 });
    addCpuBoundProcess(k, { burst: 1e-3 });
    sim.run(ns(95_000));
    // Interrupts at 10, 20, …, 90 µs: 9 × (entry 50 + ISR 1000 + exit 30) ns.
    expect(device.raised).to.equal(9);
    expect(cpu.time()).to.deep.equal({
      irq: ns(9 * 80),
      softirq: 0,
      stack: 0,
      driver: ns(9 * 1000),
      context_switch: ns(300), // swapper → the process, with refill
      syscall: 0,
      application: ns(95_000 - 300 - 9 * 1080),
      idle: 0,
    });
    expect(counters.counts()).to.deep.equal({
      interrupts: 9,
      driverActivations: 0,
      contextSwitches: 1,
      systemCalls: 0,
    });
    expect(counters.perSecond().interrupts).to.be.closeTo(9 / 95e-6, 1e-6);
    expect(k.checkInvariants()).to.deep.equal([]);
  });

  it("the counters see a user-level driver's interrupt, activation, switches and system calls", () => {
    const { sim, k } = setup();
    const counters = new KernelCounters(k);
    k.spawn("drv", function* (self) {
      const irq = (yield* k.openIrq(self, 9))!;
      for (;;) {
        yield* irq.wait(self);
        yield k.regRead(self);
      }
    });
    sim.at(ns(1000), () => k.irq(9).raise());
    sim.run(ns(5000));
    expect(counters.counts()).to.deep.equal({
      interrupts: 1,
      driverActivations: 1,
      contextSwitches: 4, // in, out to sleep, in on the interrupt, out again
      systemCalls: 3, // open, read, read
    });
  });
});
