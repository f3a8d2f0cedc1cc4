import { expect } from "chai";
import type { IrqDelivery } from "../../src/dsl/normalised.js";
import type { Task } from "../../src/model/cpu/index.js";
import type { UserIrq } from "../../src/model/kernel/index.js";
import { ns, record, setup } from "./helpers.js";

/*
 * Costs (ns): syscall_entry/exit 20, irq_entry 50, irq_exit 30, irq_mask 15, irq_unmask 25,
 * sem_up/down 10, wakeup 40, context_switch 200 (+100 refill), signal_delivery 300,
 * reg_read 500.
 */

/** A user-level driver on IRQ 9: `rounds` activations, each reading one register. */
function driverScenario(delivery: IrqDelivery, rounds = 2) {
  const { sim, k } = setup();
  const trace = record(sim);
  const counts: number[] = [];
  k.spawn("drv", function* (self) {
    const irq = (yield* k.openIrq(self, 9, delivery))!;
    for (let i = 0; i < rounds; i++) {
      counts.push(yield* irq.wait(self));
      yield k.regRead(self); // acknowledge on the card
    }
    for (;;) yield* irq.wait(self);
  });
  sim.at(ns(1000), () => k.irq(9).raise());
  return { sim, k, trace, counts };
}

describe("user-level interrupt delivery", () => {
  describe("the /proc/irq/N/irq file", () => {
    it("open installs the handler and unmasks the line; a second open is refused", () => {
      const { sim, k } = setup();
      const trace = record(sim, /irq\/9|syscall/);
      const opened: (UserIrq | null)[] = [];
      for (const name of ["first", "second"]) {
        k.spawn(name, function* (self) {
          opened.push(yield* k.openIrq(self, 9));
          yield* k.waitQueue("forever").sleep(self);
        });
      }
      sim.run(ns(2000));
      expect(trace).to.deep.equal([
        "300 cpu0/syscall 1 0",
        "320 irq/9/handler 1 1", // b: 1 = IRQ-file handler
        "320 irq/9/mask 0 0",
        "640 cpu0/syscall 2 0", // "second", after "first" sleeps and a switch with refill
      ]);
      expect(opened.map((f) => f?.owner.name ?? null)).to.deep.equal(["first", null]);
    });

    it("read() with nothing pending sleeps; the interrupt masks the line and wakes the driver with the count", () => {
      const { sim, trace, counts } = driverScenario("irq-file", 1);
      sim.run(ns(2500));
      expect(trace).to.deep.equal([
        "0 proc/drv/wake 0 1",
        "0 cpu0/ctxsw 0 1",
        "300 cpu0/time context_switch 300",
        "300 cpu0/syscall 1 0", // open()
        "300 proc/drv/run 1 0",
        "320 cpu0/time syscall 20",
        "320 irq/9/handler 1 1",
        "320 irq/9/mask 0 0",
        "340 cpu0/time syscall 20",
        "340 cpu0/syscall 1 0", // read(): nothing pending, line already unmasked
        "360 cpu0/time syscall 20",
        "370 cpu0/time syscall 10", // sem_down, then sleep
        "370 proc/drv/run 0 0",
        "370 proc/drv/block 0 0",
        "370 cpu0/ctxsw 1 0",
        "570 cpu0/time context_switch 200",
        "1000 irq/9/raise 1 0",
        "1000 cpu0/time idle 430",
        "1000 cpu0/irq 9 0",
        "1050 cpu0/time irq 50",
        "1065 cpu0/time irq 15", // the stub masks the line …
        "1065 irq/9/mask 1 0",
        "1065 irq/9/post 1 1",
        "1075 cpu0/time irq 10", // … ups the semaphore …
        "1115 cpu0/time irq 40", // … and wakes the driver
        "1115 proc/drv/wake 0 1",
        "1145 cpu0/time irq 30",
        "1145 cpu0/ctxsw 0 1",
        "1345 cpu0/time context_switch 200",
        "1345 cpu0/activation 9 1", // read() returns 1
        "1345 proc/drv/run 1 0",
        "1365 cpu0/time syscall 20",
        "1865 cpu0/time driver 500",
        "1865 cpu0/syscall 1 0", // read(): nothing pending, so unmask and sleep
        "1885 cpu0/time syscall 20",
        "1910 cpu0/time irq 25",
        "1910 irq/9/mask 0 0",
        "1920 cpu0/time syscall 10",
        "1920 proc/drv/run 0 0",
        "1920 proc/drv/block 0 0",
        "1920 cpu0/ctxsw 1 0",
        "2120 cpu0/time context_switch 200",
      ]);
      expect(counts).to.deep.equal([1]);
    });

    it("read() returns the count without sleeping when it is non-zero, and an interrupt pending at unmask is taken before sleeping", () => {
      const { sim, k } = setup();
      const trace = record(sim, /irq|activation|proc\/drv\/(block|wake)|cpu0\/syscall/);
      const counts: number[] = [];
      let file: UserIrq | null = null;
      k.spawn("drv", function* (self) {
        file = (yield* k.openIrq(self, 9))!;
        for (let i = 0; i < 3; i++) {
          counts.push(yield* file.wait(self));
          if (i === 0) yield self.run(ns(3000), "driver");
        }
      });
      // A simulated interrupt (§3.4.2) from kernel code while the driver is busy.
      k.timer("loopback", function* (cx) {
        yield* file!.post(cx);
      }).armAt(ns(2500));
      sim.at(ns(1000), () => k.irq(9).raise());
      sim.at(ns(2000), () => k.irq(9).raise()); // line still masked: held pending
      sim.run(ns(8000));
      expect(trace).to.deep.equal([
        "0 proc/drv/wake 0 1",
        "300 cpu0/syscall 1 0",
        "320 irq/9/handler 1 1",
        "320 irq/9/mask 0 0",
        "340 cpu0/syscall 1 0",
        "370 proc/drv/block 0 0",
        "1000 irq/9/raise 1 0",
        "1000 cpu0/irq 9 0",
        "1065 irq/9/mask 1 0",
        "1065 irq/9/post 1 1",
        "1115 proc/drv/wake 0 1",
        "1345 cpu0/activation 9 1",
        "2000 irq/9/raise 0 0",
        "2500 cpu0/timer_irq 1 0",
        "2580 cpu0/softirq 0 0",
        "2675 irq/9/post 1 0", // b: 0 simulated — no masking
        "4550 cpu0/syscall 1 0", // read(): count 1, returned at once
        "4570 cpu0/activation 9 1",
        "4590 cpu0/syscall 1 0", // read(): count 0, so unmask …
        "4635 irq/9/mask 0 0",
        "4635 cpu0/irq 9 0", // … the pending interrupt is taken at once …
        "4700 irq/9/mask 1 0",
        "4700 irq/9/post 1 1",
        "4750 cpu0/activation 9 1", // … and read() returns it without sleeping
        "4770 irq/9/handler 0 1", // the driver exits: its file closes
      ]);
      expect(counts).to.deep.equal([1, 1, 1]);
    });

    it("close() uninstalls the handler and shuts the line: a later interrupt finds no handler", () => {
      const { sim, k } = setup();
      const trace = record(sim, /irq\/9|cpu0\/irq/);
      k.spawn("drv", function* (self) {
        const irq = (yield* k.openIrq(self, 9))!;
        yield* irq.close(self);
        yield* k.waitQueue("forever").sleep(self);
      });
      sim.at(ns(1000), () => k.irq(9).raise());
      sim.at(ns(2000), () => k.irq(9).unmask());
      sim.run(ns(3000));
      expect(trace).to.deep.equal([
        "320 irq/9/handler 1 1",
        "320 irq/9/mask 0 0",
        "360 irq/9/handler 0 1",
        "360 irq/9/mask 1 0",
        "1000 irq/9/raise 0 0", // held: the line is shut down
        "2000 irq/9/mask 0 0",
        "2000 cpu0/irq 9 0",
        "2050 irq/9/unhandled 0 0",
      ]);
    });

    it("a driver that dies has its handler uninstalled, and the line can be opened again", () => {
      const { sim, k } = setup();
      const trace = record(sim, /irq\/9\/handler|exit/);
      let drv: Task | null = null;
      drv = k.spawn("drv", function* (self) {
        const irq = (yield* k.openIrq(self, 9))!;
        for (;;) yield* irq.wait(self);
      });
      sim.at(ns(1000), () => k.kill(drv!));
      let reopened: UserIrq | null = null;
      sim.at(ns(2000), () =>
        k.spawn("drv2", function* (self) {
          reopened = yield* k.openIrq(self, 9);
        }),
      );
      sim.run(ns(3000));
      expect(trace).to.deep.equal([
        "320 irq/9/handler 1 1",
        "1000 proc/drv/exit 0 1", // b: 1 killed
        "1000 irq/9/handler 0 1",
        "2320 irq/9/handler 1 1", // switch with refill, open()'s syscall_entry
        "2340 proc/drv2/exit 0 0",
        "2340 irq/9/handler 0 1",
      ]);
      expect(reopened).to.not.equal(null);
    });
  });

  describe("signal delivery", () => {
    it("the same interrupt reaches a signal-driven driver later and costs more CPU than through the IRQ file", () => {
      const measure = (delivery: IrqDelivery) => {
        const { sim, k, trace } = driverScenario(delivery, 1);
        sim.run(ns(5000));
        const at = (re: RegExp) => Number(trace.find((l) => re.test(l))!.split(" ")[0]);
        const asleepAgain = Number(trace.filter((l) => l.includes("ctxsw")).at(-1)!.split(" ")[0]) + 200;
        return {
          activation: at(/activation/) - 1000,
          busy: asleepAgain - 1000, // raise → driver asleep again, swapper loaded
          cpu: ns(5000) - k.cpuTime(0).idle,
        };
      };
      const file = measure("irq-file");
      const signal = measure("signal");
      // IRQ file: entry 50, mask 15, sem_up 10, wakeup 40, exit 30, switch 200.
      expect(file.activation).to.equal(345);
      // Signal: no semaphore, but pause() returns (syscall_exit 20), the frame is set up
      // (signal_delivery 300) and the extra switch into the handler (200).
      expect(signal.activation).to.equal(345 - 10 + 20 + 300 + 200);
      // Afterwards: rt_sigreturn and a system call to unmask, instead of read() unmasking.
      expect(signal.busy - file.busy).to.equal(300 + 200 + 20 + 2 * 40 - 10 - 10 - 20);
      // Over the whole run, less the sem_down the IRQ-file driver paid before it first slept.
      expect(signal.cpu - file.cpu).to.equal(ns(signal.busy - file.busy - 10));
    });

    it("a signal-driven driver's activation: wake, signal frame, the extra context switch, then sigreturn and unmask", () => {
      const { sim, trace } = driverScenario("signal", 1);
      sim.run(ns(3000));
      expect(trace.filter((l) => Number(l.split(" ")[0]) >= 1000)).to.deep.equal([
        "1000 irq/9/raise 1 0",
        "1000 cpu0/time idle 440",
        "1000 cpu0/irq 9 0",
        "1050 cpu0/time irq 50",
        "1065 cpu0/time irq 15",
        "1065 irq/9/mask 1 0",
        "1065 irq/9/post 1 1",
        "1105 cpu0/time irq 40", // send_sig(): wake the driver
        "1105 proc/drv/wake 0 1",
        "1135 cpu0/time irq 30",
        "1135 cpu0/ctxsw 0 1",
        "1335 cpu0/time context_switch 200",
        "1335 proc/drv/run 1 0",
        "1355 cpu0/time syscall 20", // pause() returns
        "1655 cpu0/time irq 300", // signal frame
        "1655 cpu0/ctxsw 1 1", // the extra switch into the handler
        "1855 cpu0/time context_switch 200",
        "1855 cpu0/signal 1 1",
        "1855 cpu0/activation 9 1",
        "2355 cpu0/time driver 500",
        "2355 cpu0/syscall 1 0", // rt_sigreturn
        "2375 cpu0/time syscall 20",
        "2395 cpu0/time syscall 20",
        "2395 cpu0/syscall 1 0", // re-enable the line
        "2415 cpu0/time syscall 20",
        "2440 cpu0/time irq 25",
        "2440 irq/9/mask 0 0",
        "2460 cpu0/time syscall 20",
        "2460 cpu0/syscall 1 0", // pause()
        "2480 cpu0/time syscall 20",
        "2480 proc/drv/run 0 0",
        "2480 proc/drv/block 0 0",
        "2480 cpu0/ctxsw 1 0",
        "2680 cpu0/time context_switch 200",
      ]);
    });
  });
});
