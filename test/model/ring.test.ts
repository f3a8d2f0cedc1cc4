import { expect } from "chai";
import { ns, record, setup } from "./helpers.js";

describe("shared-memory rings", () => {
  it("five enqueues then one activation wake the consumer once, and it drains all five", () => {
    const { sim, k } = setup();
    const trace = record(sim, /ring|sem|consumer\/(wake|block)/);
    const ring = k.ring<number>("tx", 8);
    const doorbell = k.semaphore("doorbell");
    const drained: number[] = [];
    k.spawn("consumer", function* (self) {
      for (;;) {
        yield* doorbell.down(self);
        for (let item = ring.dequeue(); item !== undefined; item = ring.dequeue()) {
          drained.push(item);
          yield self.run(ns(100), "driver");
        }
      }
    }, { nice: -5 });
    k.spawn("producer", function* (self) {
      // One system call: five lock-free enqueues, then a single activation.
      yield* k.syscall(self, function* () {
        for (let i = 1; i <= 5; i++) {
          yield self.run(ns(50), "stack");
          ring.enqueue(i);
        }
        yield* doorbell.up(self);
      });
    });
    sim.run(ns(5000));
    expect(trace).to.deep.equal([
      "0 proc/consumer/wake 0 1",
      "310 sem/doorbell/down 0 1",
      "310 proc/consumer/block 0 0",
      "680 ring/tx/enqueue 1 1", // producer: switch 310–610, syscall_entry, 50 ns each
      "730 ring/tx/enqueue 2 1",
      "780 ring/tx/enqueue 3 1",
      "830 ring/tx/enqueue 4 1",
      "880 ring/tx/enqueue 5 1",
      "930 proc/consumer/wake 0 1", // sem_up 10 + wakeup 40 …
      "930 sem/doorbell/up 0 1",
      "1250 ring/tx/dequeue 4 0", // … but the consumer runs only after syscall_exit (950) and a switch
      "1350 ring/tx/dequeue 3 0",
      "1450 ring/tx/dequeue 2 0",
      "1550 ring/tx/dequeue 1 0",
      "1650 ring/tx/dequeue 0 0",
      "1760 sem/doorbell/down 0 1",
      "1760 proc/consumer/block 0 0",
    ]);
    expect(drained).to.deep.equal([1, 2, 3, 4, 5]);
  });

  it("a full ring rejects an enqueue and keeps its contents", () => {
    const { sim, k } = setup();
    const trace = record(sim, /ring/);
    const ring = k.ring<string>("rx", 4);
    const accepted = ["a", "b", "c", "d", "e"].map((x) => ring.enqueue(x));
    expect(accepted).to.deep.equal([true, true, true, true, false]);
    expect([ring.dequeue(), ring.size, ring.isFull]).to.deep.equal(["a", 3, false]);
    expect(ring.enqueue("f")).to.equal(true);
    const rest: string[] = [];
    for (let x = ring.dequeue(); x !== undefined; x = ring.dequeue()) rest.push(x);
    expect(rest).to.deep.equal(["b", "c", "d", "f"]);
    expect(trace).to.deep.equal([
      "0 ring/rx/enqueue 1 1",
      "0 ring/rx/enqueue 2 1",
      "0 ring/rx/enqueue 3 1",
      "0 ring/rx/enqueue 4 1",
      "0 ring/rx/enqueue 4 0", // b: 0 rejected
      "0 ring/rx/dequeue 3 0",
      "0 ring/rx/enqueue 4 1",
      "0 ring/rx/dequeue 3 0",
      "0 ring/rx/dequeue 2 0",
      "0 ring/rx/dequeue 1 0",
      "0 ring/rx/dequeue 0 0",
    ]);
  });
});
