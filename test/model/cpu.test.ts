import { expect } from "chai";
import { CpuTimeMeter } from "../../src/model/kernel/index.js";
import { ns, record, setup } from "./helpers.js";

/*
 * Test machine (helpers.ts), ns: irq_entry 50, irq_exit 30, context_switch 200,
 * cache_refill 100, sem_up 10, sem_down 10, wakeup 40, syscall_entry/exit 20.
 */

describe("CPU and scheduler", () => {
  /** A process computing 1000 ns, and IRQ 5 (ISR 100 ns) raised at 400 ns. */
  function preemptionScenario() {
    const { sim, k } = setup();
    const trace = record(sim);
    k.requestIrq(5, function* (cx) {
      yield cx.run(ns(100), "driver");
    });
    k.spawn("P", function* (self) {
      yield self.run(ns(1000), "application");
    });
    sim.at(ns(400), () => k.irq(5).raise());
    return { sim, k, trace };
  }

  it("an IRQ suspends a process burst, which resumes after irq_exit and ends late by the IRQ's total", () => {
    const { sim, trace } = preemptionScenario();
    sim.run(ns(5000));
    expect(trace).to.deep.equal([
      "0 irq/5/handler 1 0",
      "0 irq/5/mask 0 0",
      "0 proc/P/wake 0 1",
      "0 cpu0/ctxsw 0 1", // swapper → P: context_switch + cache_refill (new address space)
      "300 cpu0/time context_switch 300",
      "300 proc/P/run 1 0",
      "400 irq/5/raise 1 0",
      "400 cpu0/time application 100", // 100 of 1000 ns done
      "400 proc/P/run 0 0",
      "400 cpu0/irq 5 0",
      "450 cpu0/time irq 50", // irq_entry
      "550 cpu0/time driver 100", // the ISR
      "580 cpu0/time irq 30", // irq_exit
      "580 proc/P/run 1 0",
      "1480 cpu0/time application 900", // original end 1300 + IRQ total 180
      "1480 proc/P/run 0 0",
      "1480 proc/P/exit 0 0",
      "1480 cpu0/ctxsw 1 0", // P → swapper: context_switch only (lazy TLB)
      "1680 cpu0/time context_switch 200",
    ]);
  });

  it("an IRQ at the very instant a burst ends leaves nothing of it to resume", () => {
    const { sim, k } = setup();
    sim.at(ns(1300), () => k.irq(5).raise()); // fires before P's burst-end event at 1300
    const trace = record(sim, /time|irq|run/);
    k.requestIrq(5, function* (cx) {
      yield cx.run(ns(100), "driver");
    });
    k.spawn("P", function* (self) {
      yield self.run(ns(1000), "application");
      yield self.run(ns(10), "application");
    });
    sim.run(ns(3000));
    expect(trace).to.deep.equal([
      "0 irq/5/handler 1 0",
      "0 irq/5/mask 0 0",
      "300 cpu0/time context_switch 300",
      "300 proc/P/run 1 0",
      "1300 irq/5/raise 1 0",
      "1300 cpu0/time application 1000",
      "1300 proc/P/run 0 0",
      "1300 cpu0/irq 5 0",
      "1350 cpu0/time irq 50",
      "1450 cpu0/time driver 100",
      "1480 cpu0/time irq 30",
      "1480 proc/P/run 1 0", // straight into the second burst
      "1490 cpu0/time application 10",
      "1490 proc/P/run 0 0",
      "1690 cpu0/time context_switch 200",
    ]);
  });

  it("copies cost copy_per_byte per byte and DMA mapping costs dma_map_per_page per page touched", () => {
    const { k } = setup({ copyPerByteNs: 0.5, pageSize: 16384 });
    expect(k.costs.copy(1024)).to.equal(ns(512));
    expect([0, 1, 16384, 16385].map((b) => k.costs.dmaMap(b))).to.deep.equal([0, ns(80), ns(80), ns(160)]);
    expect(k.cost("syscall_entry")).to.equal(ns(20));
  });

  it("CPU time per class is exactly what the scenario spends, and sums to elapsed time", () => {
    const { sim, k } = preemptionScenario();
    sim.run(ns(5000));
    expect(k.cpuTime(0)).to.deep.equal({
      irq: ns(80),
      softirq: 0,
      stack: 0,
      driver: ns(100),
      context_switch: ns(500),
      syscall: 0,
      application: ns(1000),
      idle: ns(5000 - 80 - 100 - 500 - 1000),
    });
    expect(k.checkInvariants()).to.deep.equal([]);
  });

  it("a measurement window counts only the CPU time inside it", () => {
    const { sim, k } = preemptionScenario();
    const meter = new CpuTimeMeter(k, { start: ns(500), end: ns(1500) });
    sim.run(ns(5000));
    expect(meter.time()).to.deep.equal({
      irq: ns(30), // irq_exit 550–580
      softirq: 0,
      stack: 0,
      driver: ns(50), // 500–550
      context_switch: ns(20), // 1480–1500
      syscall: 0,
      application: ns(900),
      idle: 0,
    });
  });

  it("two processes alternating through semaphores pay a context switch (and refill) per hand-over", () => {
    const { sim, k } = setup();
    const trace = record(sim);
    const a = k.semaphore("a");
    const b = k.semaphore("b");
    k.spawn("A", function* (self) {
      for (let i = 0; i < 2; i++) {
        yield self.run(ns(100), "application");
        yield* b.up(self);
        yield* a.down(self);
      }
    });
    k.spawn("B", function* (self) {
      for (;;) {
        yield* b.down(self);
        yield self.run(ns(100), "application");
        yield* a.up(self);
      }
    });
    sim.run(ns(5000));
    expect(trace).to.deep.equal([
      "0 proc/A/wake 0 1",
      "0 cpu0/ctxsw 0 1",
      "0 proc/B/wake 0 1",
      "300 cpu0/time context_switch 300",
      "300 proc/A/run 1 0",
      "400 cpu0/time application 100",
      "410 cpu0/time syscall 10", // sem_up: B is not waiting yet, count 1
      "410 sem/b/up 1 0",
      "420 cpu0/time syscall 10", // sem_down: count 0, A sleeps
      "420 sem/a/down 0 1",
      "420 proc/A/run 0 0",
      "420 proc/A/block 0 0",
      "420 cpu0/ctxsw 1 2",
      "720 cpu0/time context_switch 300",
      "720 proc/B/run 1 0",
      "730 cpu0/time syscall 10", // takes the unit without sleeping
      "730 sem/b/down 0 0",
      "830 cpu0/time application 100",
      "840 cpu0/time syscall 10", // sem_up …
      "880 cpu0/time syscall 40", // … and wakeup of A (equal rank: no preemption)
      "880 proc/A/wake 0 1",
      "880 sem/a/up 0 1",
      "890 cpu0/time syscall 10",
      "890 sem/b/down 0 1",
      "890 proc/B/run 0 0",
      "890 proc/B/block 0 0",
      "890 cpu0/ctxsw 2 1",
      "1190 cpu0/time context_switch 300",
      "1190 proc/A/run 1 0",
      "1290 cpu0/time application 100",
      "1300 cpu0/time syscall 10",
      "1340 cpu0/time syscall 40",
      "1340 proc/B/wake 0 1",
      "1340 sem/b/up 0 2",
      "1350 cpu0/time syscall 10",
      "1350 sem/a/down 0 1",
      "1350 proc/A/run 0 0",
      "1350 proc/A/block 0 0",
      "1350 cpu0/ctxsw 1 2",
      "1650 cpu0/time context_switch 300",
      "1650 proc/B/run 1 0",
      "1750 cpu0/time application 100",
      "1760 cpu0/time syscall 10",
      "1800 cpu0/time syscall 40",
      "1800 proc/A/wake 0 1",
      "1800 sem/a/up 0 1",
      "1810 cpu0/time syscall 10",
      "1810 sem/b/down 0 1",
      "1810 proc/B/run 0 0",
      "1810 proc/B/block 0 0",
      "1810 cpu0/ctxsw 2 1",
      "2110 cpu0/time context_switch 300",
      "2110 proc/A/exit 0 0",
      "2110 cpu0/ctxsw 1 0",
      "2310 cpu0/time context_switch 200",
    ]);
    expect(k.cpuTime(0).context_switch).to.equal(ns(5 * 300 + 200));
  });

  it("a better-ranked task woken by an IRQ preempts a process in user mode when the IRQ returns", () => {
    const { sim, k } = setup();
    const trace = record(sim, /ctxsw|proc\/|cpu0\/irq/);
    const go = k.semaphore("go");
    k.requestIrq(5, function* (cx) {
      yield* go.up(cx);
    });
    k.spawn("low", function* (self) {
      yield self.run(ns(2000), "application");
    });
    k.spawn("high", function* (self) {
      yield* go.down(self);
      yield self.run(ns(100), "application");
    }, { nice: -5 });
    sim.at(ns(1000), () => k.irq(5).raise());
    sim.run(ns(5000));
    expect(trace).to.deep.equal([
      "0 proc/low/wake 0 1",
      "0 cpu0/ctxsw 0 1",
      "0 proc/high/wake 0 1", // low is still in its switch-in: finish it, then look again
      "300 cpu0/ctxsw 1 2",
      "600 proc/high/run 1 0", // after context_switch + cache_refill; sem_down until 610
      "610 proc/high/run 0 0",
      "610 proc/high/block 0 0",
      "610 cpu0/ctxsw 2 1",
      "910 proc/low/run 1 0",
      "1000 proc/low/run 0 0",
      "1000 cpu0/irq 5 0",
      "1100 proc/high/wake 0 1", // entry 50 + sem_up 10 + wakeup 40
      "1130 cpu0/ctxsw 1 2", // irq_exit, then high preempts low
      "1430 proc/high/run 1 0",
      "1530 proc/high/run 0 0",
      "1530 proc/high/exit 0 0",
      "1530 cpu0/ctxsw 2 1",
      "1830 proc/low/run 1 0", // low resumes with 1910 of 2000 ns left
      "3740 proc/low/run 0 0",
      "3740 proc/low/exit 0 0",
      "3740 cpu0/ctxsw 1 0",
    ]);
  });

  it("a task in a system call keeps the CPU until it returns to user mode (non-preemptible kernel)", () => {
    const run = (preemptibleKernel: boolean) => {
      const { sim, k } = setup({}, { preemptibleKernel });
      const trace = record(sim, /ctxsw/);
      const go = k.semaphore("go", 0);
      k.requestIrq(5, function* (cx) {
        yield* go.up(cx);
      });
      k.spawn("high", function* (self) {
        yield* go.down(self);
      }, { nice: -5 });
      k.spawn("low", function* (self) {
        yield* k.syscall(self, function* () {
          yield self.run(ns(1000), "stack"); // e.g. a long write() path
        });
        yield self.run(ns(1000), "application");
      });
      sim.at(ns(1000), () => k.irq(5).raise());
      sim.run(ns(5000));
      return trace;
    };
    // high: 0–300 switch, 310 sleeps; low: 310–610 switch, syscall entry to 630, body
    // 630–1630 plus the IRQ's 130 ns (entry 50, sem_up 10, wakeup 40, exit 30) at 1000,
    // syscall exit until 1780: only then does high get the CPU.
    expect(run(false)).to.deep.equal([
      "0 cpu0/ctxsw 0 1",
      "310 cpu0/ctxsw 1 2",
      "1780 cpu0/ctxsw 2 1",
      "2080 cpu0/ctxsw 1 2",
      "3380 cpu0/ctxsw 2 0",
    ]);
    expect(run(true)).to.deep.equal([
      "0 cpu0/ctxsw 0 1",
      "310 cpu0/ctxsw 1 2",
      "1130 cpu0/ctxsw 2 1", // preempted in the kernel as soon as the IRQ returns
      "1430 cpu0/ctxsw 1 2",
      "3380 cpu0/ctxsw 2 0", // the same work, in another order
    ]);
  });

  it("switching away from the idle-meter process is a context switch like any other", () => {
    const { sim, k } = setup();
    const trace = record(sim, /ctxsw|time/);
    k.spawn("idle", function* (self) {
      for (;;) yield self.run(Infinity, "idle");
    }, { nice: 20 });
    k.spawn("app", function* (self) {
      yield* k.sleep(self, ns(1000));
    });
    sim.run(ns(1000));
    expect(trace.filter((l) => l.includes("ctxsw"))).to.deep.equal([
      "0 cpu0/ctxsw 0 1", // swapper → idle
      "300 cpu0/ctxsw 1 2", // idle → app (its own address space: refill)
      "620 cpu0/ctxsw 2 1", // app sleeps after syscall_entry: back to idle, refill again
    ]);
    expect(k.cpuTime(0).context_switch).to.equal(ns(300 + 300 + 300));
  });

  it("every core's classes sum to the elapsed time exactly", () => {
    const { sim, k } = setup({ cores: 2 });
    k.requestIrq(3, function* (cx) {
      yield cx.run(ns(333), "driver");
    });
    k.spawn("c1", function* (self) {
      for (;;) {
        yield self.run(ns(777), "application");
        yield* k.sleep(self, ns(1234));
      }
    }, { core: 1 });
    const tick = () => {
      k.irq(3).raise();
      sim.after(ns(917), tick);
    };
    sim.at(ns(5), tick);
    sim.run(ns(100_003));
    expect(k.checkInvariants()).to.deep.equal([]);
    for (const c of [0, 1]) {
      const t = k.cpuTime(c);
      expect(Object.values(t).reduce((s, v) => s + v, 0)).to.equal(ns(100_003));
    }
    expect(k.cpuTime(0).driver).to.be.greaterThan(0);
    expect(k.cpuTime(1).application).to.be.greaterThan(0);
  });

  it("the invariant check reports a corrupted accounting term", () => {
    const { sim, k } = preemptionScenario();
    sim.run(ns(5000));
    k.cpu.corruptAccountingForTest(0, "driver", 7);
    expect(k.checkInvariants()).to.deep.equal([
      "cpu0: CPU time accounted 5000007 ps ≠ elapsed 5000000 ps (off by 7 ps)",
    ]);
  });
});
