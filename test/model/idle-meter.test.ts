import { expect } from "chai";
import {
  addCpuBoundProcess,
  addPeriodicInterruptDevice,
  CpuTimeMeter,
  IdleGapCounter,
  IdleMeter,
} from "../../src/model/kernel/index.js";
import { cyclesToTime, PS_PER_US } from "../../src/sim/time.js";
import { setup } from "./helpers.js";

const us = (v: number) => v * PS_PER_US;

describe("the ipbench idle-thread CPU meter", () => {
  describe("gap arithmetic (loop 10, threshold 30)", () => {
    /** Runs [0,25), [40,100), [200,300): reads at 0,10,20 | 45,…,95 | 205,…,295. */
    function counter(start = 0, end = Infinity) {
      const c = new IdleGapCounter(10, 30, start, end);
      c.on(0);
      c.off(25);
      c.on(40);
      c.off(100);
      c.on(200);
      c.off(300);
      return c;
    }

    it("the read phase carries across a preemption: the gap seen is resume − preempt + loop", () => {
      // Gaps: 20 (reads 0–20), 25 = 40 − 25 + 10 (counted), 50, 110 = 200 − 100 + 10 (not
      // counted), 90, and the open gap after 295 (as if resumed at 300: 10, counted).
      expect(counter().countedIdle(300)).to.equal(20 + 25 + 50 + 90 + 5);
      expect(counter().utilisation(300)).to.equal(1 - 190 / 300); // the 110 gap is busy
    });

    it("only the part of a counted gap inside the window [start, end) counts", () => {
      // [30,45) of the gap 20–45, 45–95, nothing of 95–205, [205,250).
      expect(counter(30, 250).countedIdle(300)).to.equal(15 + 50 + 45);
      expect(counter(30, 250).utilisation(300)).to.equal(0.5);
    });
  });

  describe("on the paper's machine (900 MHz, loop 46 cycles, threshold 300 cycles)", () => {
    const HZ = 900e6;
    /** An IRQ every 10 µs whose whole interruption (entry 50 + ISR + exit 30) is `cycles`. */
    function run(cycles: number) {
      const { sim, k } = setup({
        clock: HZ,
        costsNs: { irq_entry: 50 / 0.9, irq_exit: 30 / 0.9 },
        loop: 46 / HZ,
        threshold: 300 / HZ,
      });
      const window = { start: us(100), end: us(1100) };
      const meter = new IdleMeter(k, window);
      const exact = new CpuTimeMeter(k, window);
      addPeriodicInterruptDevice(k, { irq: 3, period: 10e-6, phase: 5e-6, isr_cost: (cycles - 80) / HZ });
      sim.run(us(1200));
      const interruption = k.cost("irq_entry") + cyclesToTime(cycles - 80, HZ) + k.cost("irq_exit");
      return { meter, exact, interruption, loop: cyclesToTime(46, HZ) };
    }

    it("200-cycle interruptions fall within the threshold: all time counts as idle", () => {
      const { meter, exact, interruption, loop } = run(200);
      expect(interruption + loop).to.be.at.most(cyclesToTime(300, HZ));
      expect(meter.idle()).to.equal(us(1000));
      expect(meter.utilisation()).to.equal(0);
      expect(exact.time().idle).to.equal(us(1000) - 100 * interruption); // the truth
    });

    it("2,000-cycle interruptions count as busy, with the loop iteration each one cut", () => {
      const { meter, exact, interruption, loop } = run(2000);
      // 100 interruptions in the window (105, 115, …, 1095 µs), each a gap of interruption + loop.
      expect(meter.idle()).to.equal(us(1000) - 100 * (interruption + loop));
      expect(meter.utilisation()).to.be.closeTo((100 * (interruption + loop)) / us(1000), 1e-15);
      expect(meter.utilisation()).to.be.closeTo(0.2273333, 1e-7); // (2000 + 46) cycles per 10 µs
      expect(exact.time().idle).to.equal(us(1000) - 100 * interruption);
    });

    it("a CPU-bound process at normal priority starves the meter: 100 % busy", () => {
      const { sim, k } = setup({ clock: HZ, loop: 46 / HZ, threshold: 300 / HZ });
      const meter = new IdleMeter(k, { start: us(10), end: us(110) });
      addCpuBoundProcess(k, { burst: 1e-3 });
      sim.run(us(200));
      expect(meter.utilisation()).to.equal(1);
    });
  });
});
