import { expect } from "chai";
import type { Program, Task } from "../../src/model/cpu/index.js";
import { ns, record, setup } from "./helpers.js";
import { target } from "./net-fixture.js";

/*
 * The kernel mechanisms driver recovery rests on: a fault in a process's own code, the
 * ledger of DMA mappings released at its death, a kernel crash, and the signal-delivery path
 * running the kernel's work where the handler returns.
 */

describe("kernel mechanisms for driver faults", () => {
  it("a task's own code faulting in user mode ends it at once, as killed; its files close", () => {
    const { sim, k } = setup();
    const trace = record(sim, /proc\/drv\/exit|irq\/9\/handler/);
    let victim: Task;
    k.spawn("drv", function* (self): Program {
      victim = self;
      yield* k.openIrq(self, 9);
      yield self.run(ns(10_000), "driver"); // user-mode work
    });
    sim.at(ns(5_000), () => expect(k.crashInUserMode(victim)).to.equal(true));
    sim.run(ns(20_000));
    expect(trace).to.deep.equal(["320 irq/9/handler 1 1", "5000 proc/drv/exit 0 1", "5000 irq/9/handler 0 1"]);
  });

  it("a fault that strikes while the task is in a system call takes effect on its return to user mode", () => {
    const { sim, k } = setup();
    const trace = record(sim, /proc\/drv\/exit|cpu0\/syscall/);
    let victim: Task;
    k.spawn("drv", function* (self): Program {
      victim = self;
      yield* k.syscall(self, function* () {
        yield self.run(ns(10_000), "stack"); // kernel work in progress completes
      });
      yield self.run(ns(10_000), "driver");
    });
    sim.at(ns(5_000), () => expect(k.crashInUserMode(victim)).to.equal(false));
    sim.run(ns(40_000));
    // Switch in (300), entry (20), 10 µs of kernel work, exit (20): it dies there.
    expect(trace).to.deep.equal(["300 cpu0/syscall 1 0", "10340 proc/drv/exit 0 1"]);
  });

  it("a fatal signal in the task's own context ends it at that instant", () => {
    const { sim, k } = setup();
    const trace = record(sim, /proc\/drv\/exit/);
    k.spawn("drv", function* (self): Program {
      yield self.run(ns(1_000), "driver");
      yield* k.fatalSignal(self);
    });
    sim.run(ns(5_000));
    expect(trace).to.deep.equal(["1300 proc/drv/exit 0 1"]);
  });

  it("the DMA ledger is a file: at the owner's death the device is quiesced first, then every mapping released", () => {
    const { sim, k } = setup();
    const trace = record(sim, /dma\//);
    const order: string[] = [];
    let ledger: ReturnType<typeof k.dmaMappings>;
    const t = k.spawn("drv", function* (self): Program {
      ledger = k.dmaMappings(self, () => order.push(`quiesce with ${ledger.pages} pages mapped`));
      ledger.map(8);
      ledger.unmap(3);
      yield self.run(ns(10_000), "driver");
    });
    sim.at(ns(1_000), () => k.kill(t));
    sim.run(ns(5_000));
    ledger!.unmap(2); // a buffer salvaged after the death was released with the rest
    expect(order).to.deep.equal(["quiesce with 5 pages mapped"]);
    expect(ledger!.pages).to.equal(0);
    expect(ledger!.released).to.equal(5);
    expect(trace).to.deep.equal(["300 dma/drv/pages 8 8", "300 dma/drv/pages 5 -3", "1000 dma/drv/pages 0 -5"]);
  });

  it("a kernel crash stops the simulation at that instant and says why", () => {
    const { sim, k } = setup();
    let later = false;
    sim.at(ns(2_000), () => k.panic("a test"));
    sim.at(ns(2_000), () => (later = true));
    sim.run(ns(10_000));
    expect(sim.now).to.equal(ns(2_000));
    expect(later).to.equal(false);
    expect(k.panicked).to.deep.equal({ at: ns(2_000), why: "a test" });
  });

  describe("signal delivery", () => {
    it("runs the kernel's work on return from the handler (rt_sigreturn), not before the first pause()", () => {
      const { sim, k } = setup();
      const trace = record(sim, /cpu0\/syscall|work/);
      const work = sim.probes.get("work");
      k.spawn("drv", function* (self): Program {
        const irq = (yield* k.openIrq(self, 9, "signal"))!;
        irq.onWait = function* (t) {
          work.emit(1, 0);
          yield t.run(ns(100), "stack");
        };
        for (;;) yield* irq.wait(self);
      });
      sim.at(ns(1_000), () => k.irq(9).raise());
      sim.run(ns(5_000));
      expect(trace).to.deep.equal([
        "300 cpu0/syscall 1 0", // open()
        "340 cpu0/syscall 1 0", // pause(): no handler has run yet, nothing to do
        "1855 cpu0/syscall 1 0", // rt_sigreturn …
        "1875 work 1 0", // … where the kernel's work runs
        "1995 cpu0/syscall 1 0", // re-enable the line
        "2060 cpu0/syscall 1 0", // pause()
      ]);
    });

    it("lets the network loopback drain its receive ring without a system call of its own", () => {
      const calls = (delivery: "irq-file" | "signal") => {
        const t = target({ placement: "user", holdoff: { rdtr: 32 }, delivery });
        let syscalls = 0;
        t.sim.probes.get("cpu0/syscall").subscribe(() => syscalls++);
        for (const at of [10, 18.72, 27.44]) t.inject(ns(at * 1000));
        t.sim.run(ns(80_000));
        return { received: t.received.length, syscalls };
      };
      const file = calls("irq-file");
      const signal = calls("signal");
      expect(file.received).to.equal(3);
      expect(signal.received).to.equal(3);
      // Both drain the ring in the call that ends the activation (read(), rt_sigreturn). Per
      // activation the IRQ file takes one call (read()), the signal path three (rt_sigreturn,
      // re-enable the line, pause()) — and no fourth to drain the ring.
      expect(signal.syscalls - file.syscalls).to.equal(2);
    });
  });
});
