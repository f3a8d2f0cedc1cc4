/**
 * How programs run on the emulated CPU (docs/architecture.md): bursts done during run()
 * when nothing can happen before they end, and the hand-written kernel primitives (system
 * call, sleep, wake-up), checked on small systems in both modes — the same trace of every
 * probe with and without the shortcuts, and the shortcuts really taken.
 */
import { expect } from "chai";
import { DONE, RUN, type Program, type Task } from "../../src/model/cpu/index.js";
import { Kernel } from "../../src/model/kernel/index.js";
import { Simulator } from "../../src/sim/kernel.js";
import { ns, record, testMachine } from "./helpers.js";

function both(build: (k: Kernel, sim: Simulator) => void, until: number): { fast: string[]; ref: string[]; coalesced: number; fired: number; refFired: number } {
  const run = (reference: boolean) => {
    const sim = new Simulator(1, 1024, { reference });
    const k = new Kernel(sim, testMachine());
    const lines = record(sim);
    build(k, sim);
    sim.run(until);
    return { lines, sim };
  };
  const f = run(false);
  const r = run(true);
  return { fast: f.lines, ref: r.lines, coalesced: f.sim.eventsCoalesced, fired: f.sim.eventsFired, refFired: r.sim.eventsFired };
}

describe("programs on the emulated CPU", () => {
  it("a burst asked for with run() is done during the call when nothing can happen before it ends", () => {
    const sim = new Simulator(1);
    const k = new Kernel(sim, testMachine());
    const seen: string[] = [];
    k.spawn("p", function* (self): Program {
      yield self.run(ns(100), "application"); // stepped at spawn by a kick, not a burst end: an event
      const first = self.run(ns(100), "application"); // stepped by its own burst end: inline
      seen.push(`${first === DONE ? "done" : "run"} at ${sim.now / 1000} ns`);
      if (first === RUN) yield RUN;
      sim.at(sim.now + ns(50), () => {}); // an event before the next burst would end
      const second = self.run(ns(100), "application");
      seen.push(`${second === DONE ? "done" : "run"} at ${sim.now / 1000} ns`);
      if (second === RUN) yield RUN;
      seen.push(`back at ${sim.now / 1000} ns`);
    });
    sim.run(ns(10_000));
    // The first inline burst moved the clock by its 100 ns; the second had to wait for the
    // event (the process was switched in for 300 ns: context switch and cache refill).
    expect(seen).to.deep.equal(["done at 500 ns", "run at 500 ns", "back at 600 ns"]);
  });

  for (const serverNice of [5, -5]) {
    const rank = serverNice > 0 ? "below" : "above";
    it(`gives the same trace of every probe in the reference mode, which does every burst as an event (server ranks ${rank} the client)`, () => {
      const r = both((k) => {
        const wq = k.waitQueue("q");
        const sem = k.semaphore("s");
        // A server in system calls, woken by a client. Ranked below, it waits and the
        // client's bursts go on inline after the wake-up; ranked above, it preempts the
        // client when the client's system call returns to user mode, and no burst of the
        // client may run inline past that point.
        k.spawn("server", function* (self): Program {
          for (let i = 0; i < 50; i++) {
            yield* k.syscall(self, function* () {
              yield* wq.sleep(self);
              if (self.run(ns(30), "stack")) yield RUN;
            });
            if (self.run(ns(70), "application")) yield RUN;
          }
        }, { nice: serverNice });
        k.spawn("client", function* (self): Program {
          for (let i = 0; i < 60; i++) {
            if (self.run(ns(200), "application")) yield RUN;
            yield* k.syscall(self, function* () {
              const woken: Task | null = yield* wq.wakeOne(self);
              if (woken === null) yield* sem.up(self);
              if (self.run(ns(20), "stack")) yield RUN;
            });
          }
        });
      }, ns(200_000));
      expect(r.fast.length).to.be.greaterThan(300);
      expect(r.fast).to.deep.equal(r.ref);
      expect(r.coalesced).to.be.greaterThan(100);
      expect(r.fired + r.coalesced).to.equal(r.refFired);
    });
  }

  it("keeps the order of several tasks asleep on one queue (one shared block-once program)", () => {
    const r = both((k, sim) => {
      const wq = k.waitQueue("q");
      const order: string[] = [];
      for (const name of ["a", "b", "c"]) {
        k.spawn(name, function* (self): Program {
          yield* wq.sleep(self);
          order.push(name);
          if (self.run(ns(10), "application")) yield RUN;
        });
      }
      sim.at(ns(5000), () => {
        k.spawn("waker", function* (self): Program {
          for (let i = 0; i < 3; i++) yield* k.syscall(self, () => wq.wake(self));
          expect(order).to.deep.equal([]); // woken, not yet run: the waker ranks the same and runs on
        });
      });
      sim.at(ns(9000), () => expect(order).to.deep.equal(["a", "b", "c"]));
    }, ns(10_000));
    expect(r.fast).to.deep.equal(r.ref);
  });
});
