import { expect } from "chai";
import { ns, record, setup } from "./helpers.js";

/* Costs (ns): irq_entry 50, irq_exit 30, softirq 35, timer 60, wakeup 40, sem_up/down 10. */

describe("kernel primitives", () => {
  describe("semaphores and wait queues", () => {
    it("down takes a unit without sleeping while the count is positive, and sleeps at zero", () => {
      const { sim, k } = setup();
      const trace = record(sim, /^sem\/|block/);
      const s = k.semaphore("s", 2);
      k.spawn("T", function* (self) {
        for (let i = 0; i < 3; i++) yield* s.down(self);
      });
      sim.run(ns(2000));
      expect(trace).to.deep.equal([
        "310 sem/s/down 1 0",
        "320 sem/s/down 0 0",
        "330 sem/s/down 0 1",
        "330 proc/T/block 0 0",
      ]);
      expect(s.count).to.equal(0);
      expect(s.sleepers).to.equal(1);
    });

    it("up hands its unit to sleepers in the order they went to sleep", () => {
      const { sim, k } = setup();
      const trace = record(sim, /^sem\/|wake/);
      const s = k.semaphore("s");
      for (const name of ["first", "second"]) {
        k.spawn(name, function* (self) {
          yield* s.down(self);
        });
      }
      k.requestIrq(5, function* (cx) {
        yield* s.up(cx);
        yield* s.up(cx);
        yield* s.up(cx);
      });
      sim.at(ns(2000), () => k.irq(5).raise());
      sim.run(ns(4000));
      expect(trace).to.deep.equal([
        "0 proc/first/wake 0 1",
        "0 proc/second/wake 0 1",
        "310 sem/s/down 0 1",
        "620 sem/s/down 0 1",
        "2100 proc/first/wake 0 1", // entry 50, sem_up 10, wakeup 40
        "2100 sem/s/up 0 1", // b: pid woken
        "2150 proc/second/wake 0 1",
        "2150 sem/s/up 0 2",
        "2160 sem/s/up 1 0", // nobody left asleep: the count goes up
      ]);
    });

    it("a wait queue wakes all its sleepers, charging a wakeup each", () => {
      const { sim, k } = setup();
      const wq = k.waitQueue("q");
      for (const name of ["a", "b", "c"]) {
        k.spawn(name, function* (self) {
          yield* wq.sleep(self);
        });
      }
      let woken = -1;
      k.requestIrq(5, function* (cx) {
        woken = yield* wq.wakeAll(cx);
      });
      sim.at(ns(2000), () => k.irq(5).raise());
      sim.run(ns(4000));
      expect(woken).to.equal(3);
      expect(k.cpuTime(0).irq).to.equal(ns(50 + 3 * 40 + 30));
    });
  });

  describe("soft IRQs", () => {
    it("a soft IRQ raised by an ISR runs after irq_exit, before the interrupted process resumes", () => {
      const { sim, k } = setup();
      const trace = record(sim, /time|softirq|cpu0\/irq|run/);
      const rx = k.softirq("net_rx", function* (cx) {
        yield cx.run(ns(200), "stack");
      });
      k.requestIrq(5, function* (cx) {
        yield cx.run(ns(100), "driver");
        rx.raise(cx);
      });
      k.spawn("P", function* (self) {
        yield self.run(ns(1000), "application");
      });
      sim.at(ns(400), () => k.irq(5).raise());
      sim.run(ns(3000));
      expect(trace).to.deep.equal([
        "300 cpu0/time context_switch 300",
        "300 proc/P/run 1 0",
        "400 cpu0/time application 100",
        "400 proc/P/run 0 0",
        "400 cpu0/irq 5 0",
        "450 cpu0/time irq 50",
        "550 cpu0/time driver 100",
        "580 cpu0/time irq 30",
        "580 cpu0/softirq 1 0", // number 1: the timer soft IRQ is number 0
        "615 cpu0/time softirq 35",
        "815 cpu0/time stack 200",
        "815 proc/P/run 1 0",
        "1715 cpu0/time application 900",
        "1715 proc/P/run 0 0",
        "1915 cpu0/time context_switch 200",
      ]);
    });

    it("a hard IRQ preempts a soft IRQ, and what it raises runs in the same do_softirq", () => {
      const { sim, k } = setup();
      const trace = record(sim, /time|softirq|cpu0\/irq/);
      const rx = k.softirq("net_rx", function* (cx) {
        yield cx.run(ns(200), "stack");
      });
      k.requestIrq(5, function* (cx) {
        yield cx.run(ns(100), "driver");
        rx.raise(cx);
      });
      k.spawn("P", function* (self) {
        yield self.run(ns(1000), "application");
      });
      sim.at(ns(400), () => k.irq(5).raise());
      sim.at(ns(700), () => k.irq(5).raise());
      sim.run(ns(3000));
      expect(trace).to.deep.equal([
        "300 cpu0/time context_switch 300",
        "400 cpu0/time application 100",
        "400 cpu0/irq 5 0",
        "450 cpu0/time irq 50",
        "550 cpu0/time driver 100",
        "580 cpu0/time irq 30",
        "580 cpu0/softirq 1 0",
        "615 cpu0/time softirq 35",
        "700 cpu0/time stack 85",
        "700 cpu0/irq 5 0",
        "750 cpu0/time irq 50",
        "850 cpu0/time driver 100",
        "880 cpu0/time irq 30", // no second pass here: one is under way
        "995 cpu0/time stack 115",
        "995 cpu0/softirq 1 0", // the restart
        "1030 cpu0/time softirq 35",
        "1230 cpu0/time stack 200",
        "2130 cpu0/time application 900",
        "2330 cpu0/time context_switch 200",
      ]);
    });

    it("after the restart limit, pending soft IRQs are left to ksoftirqd", () => {
      const { sim, k } = setup({}, { softirqRestarts: 3 });
      const trace = record(sim, /softirq|ctxsw/);
      let runs = 0;
      const again = k.softirq("again", function* (cx) {
        yield cx.run(ns(10), "stack");
        if (++runs < 5) again.raise(cx);
      });
      k.requestIrq(5, function* (cx) {
        again.raise(cx);
      });
      k.spawn("P", function* (self) {
        yield self.run(ns(1000), "application");
      });
      sim.at(ns(400), () => k.irq(5).raise());
      sim.run(ns(3000));
      expect(trace).to.deep.equal([
        "0 cpu0/ctxsw 0 1",
        "480 cpu0/softirq 1 0", // three passes at irq_exit …
        "525 cpu0/softirq 1 0",
        "570 cpu0/softirq 1 0",
        "615 proc/ksoftirqd0/wake 0 1", // … then the kernel thread, which outranks P
        "615 cpu0/ctxsw 1 2",
        "815 cpu0/softirq 1 1",
        "815 proc/ksoftirqd0/run 1 0",
        "860 cpu0/softirq 1 1",
        "905 proc/ksoftirqd0/run 0 0",
        "905 proc/ksoftirqd0/block 0 0",
        "905 cpu0/ctxsw 2 1",
        "2005 cpu0/ctxsw 1 0",
      ]);
    });
  });

  describe("kernel timers", () => {
    it("an expiry is a local timer interrupt, then the timer soft IRQ runs the callback", () => {
      const { sim, k } = setup();
      const trace = record(sim);
      const watchdog = k.timer("watchdog", function* (cx) {
        yield cx.run(ns(100), "driver");
      });
      const cancelled = k.timer("cancelled", function* (cx) {
        yield cx.run(ns(100), "driver");
      });
      watchdog.armAt(ns(1000));
      cancelled.armAt(ns(1000));
      sim.at(ns(500), () => cancelled.cancel());
      sim.run(ns(3000));
      expect(trace).to.deep.equal([
        "1000 cpu0/time idle 1000",
        "1000 cpu0/timer_irq 1 0",
        "1050 cpu0/time irq 50",
        "1080 cpu0/time irq 30",
        "1080 cpu0/softirq 0 0",
        "1115 cpu0/time softirq 35",
        "1175 cpu0/time softirq 60", // cost `timer`
        "1175 timer/watchdog/fire 0 0",
        "1275 cpu0/time driver 100",
      ]);
    });

    it("sleep() is a system call that blocks until a kernel timer wakes the task", () => {
      const { sim, k } = setup();
      const trace = record(sim, /proc|timer|ctxsw|syscall/);
      k.spawn("napper", function* (self) {
        yield* k.sleep(self, ns(1000));
        yield self.run(ns(10), "application");
      });
      sim.run(ns(3000));
      expect(trace).to.deep.equal([
        "0 proc/napper/wake 0 1",
        "0 cpu0/ctxsw 0 1",
        "300 cpu0/syscall 1 0",
        "300 proc/napper/run 1 0",
        "320 proc/napper/run 0 0",
        "320 proc/napper/block 0 0",
        "320 cpu0/ctxsw 1 0",
        "1320 cpu0/timer_irq 1 0",
        "1495 timer/napper.sleep/fire 0 0",
        "1535 proc/napper/wake 0 1",
        "1535 cpu0/ctxsw 0 1", // back from the swapper: same address space, no refill
        "1735 proc/napper/run 1 0",
        "1765 proc/napper/run 0 0",
        "1765 proc/napper/exit 0 0",
        "1765 cpu0/ctxsw 1 0",
      ]);
    });
  });

  describe("IRQ lines", () => {
    it("an interrupt raised on a masked line stays pending and is delivered once on unmask", () => {
      const { sim, k } = setup();
      const trace = record(sim, /irq/);
      k.requestIrq(5, function* (cx) {
        yield cx.run(ns(100), "driver");
      });
      sim.at(ns(100), () => k.irq(5).mask());
      sim.at(ns(200), () => k.irq(5).raise());
      sim.at(ns(300), () => k.irq(5).raise());
      sim.at(ns(500), () => k.irq(5).unmask());
      sim.run(ns(3000));
      expect(trace).to.deep.equal([
        "0 irq/5/handler 1 0",
        "0 irq/5/mask 0 0",
        "100 irq/5/mask 1 0",
        "200 irq/5/raise 0 0", // a: 0 held pending
        "300 irq/5/raise 0 0",
        "500 irq/5/mask 0 0",
        "500 cpu0/irq 5 0",
      ]);
    });

    it("a second handler on a line is refused", () => {
      const { k } = setup();
      const isr = function* () {};
      expect(k.requestIrq(5, isr)).to.equal(true);
      expect(k.requestIrq(5, isr)).to.equal(false);
      k.freeIrq(5);
      expect(k.requestIrq(5, isr)).to.equal(true);
    });
  });
});
