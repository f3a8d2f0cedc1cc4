/**
 * The event kernel's rules, one per test, each checked on the whole trace of fired events
 * ("time label" strings) in a single comparison.
 */
import { expect } from "chai";
import { MAX_PRIORITY, Simulator, type EventId, type Rng } from "../../src/sim/index.js";

/** A simulator and a trace; `ev(label)` is a handler that appends "now label". */
function traced(seed = 1, initialCapacity?: number) {
  const sim = new Simulator(seed, initialCapacity);
  const trace: string[] = [];
  const ev = (label: string) => () => {
    trace.push(`${sim.now} ${label}`);
  };
  return { sim, trace, ev };
}

describe("event kernel: order", () => {
  it("fires events in time order, whatever order they were scheduled in", () => {
    const { sim, trace, ev } = traced();
    sim.at(30, ev("c"));
    sim.at(10, ev("a"));
    sim.at(20, ev("b"));
    sim.run();
    expect(trace).to.deep.equal(["10 a", "20 b", "30 c"]);
  });

  it("at equal times, the smaller priority fires first", () => {
    const { sim, trace, ev } = traced();
    sim.at(5, ev("p2"), 0, 2);
    sim.at(5, ev("p0"), 0, 0);
    sim.at(5, ev("p511"), 0, MAX_PRIORITY);
    sim.at(5, ev("p1"), 0, 1);
    sim.run();
    expect(trace).to.deep.equal(["5 p0", "5 p1", "5 p2", "5 p511"]);
  });

  it("at equal time and priority, events fire in the order they were scheduled", () => {
    const { sim, trace, ev } = traced();
    for (const label of ["first", "second", "third", "fourth", "fifth"]) sim.at(7, ev(label), 0, 3);
    sim.run();
    expect(trace).to.deep.equal(["7 first", "7 second", "7 third", "7 fourth", "7 fifth"]);
  });

  it("an event a handler schedules for the current time fires after those already due then, unless its priority is smaller", () => {
    const { sim, trace, ev } = traced();
    sim.at(10, () => {
      trace.push(`${sim.now} spawner`);
      sim.after(0, ev("same-priority"), 0, 1);
      sim.after(0, ev("smaller-priority"), 0, 0);
    }, 0, 1);
    sim.at(10, ev("already-due"), 0, 1);
    sim.run();
    expect(trace).to.deep.equal(["10 spawner", "10 smaller-priority", "10 already-due", "10 same-priority"]);
  });

  it("passes the tag given at scheduling to the handler", () => {
    const sim = new Simulator();
    const tags: number[] = [];
    const handler = (tag: number) => tags.push(tag);
    sim.at(1, handler, 42);
    sim.after(2, handler, -7.5);
    sim.at(3, handler);
    sim.run();
    expect(tags).to.deep.equal([42, -7.5, 0]);
  });

  it("breaks ties the same way on every run: the trace does not depend on the heap's shape", () => {
    // 200 events on 5 distinct times, scheduled in a scrambled order, fire grouped by time
    // and, within a time, by scheduling order.
    const { sim, trace, ev } = traced();
    const expected: string[][] = [[], [], [], [], []];
    for (let i = 0; i < 200; i++) {
      const t = (i * 7) % 5;
      sim.at(t, ev(`e${i}`));
      expected[t]!.push(`${t} e${i}`);
    }
    sim.run();
    expect(trace).to.deep.equal(expected.flat());
  });
});

describe("event kernel: cancellation", () => {
  it("a cancelled event does not fire, and cancel reports true", () => {
    const { sim, trace, ev } = traced();
    sim.at(1, ev("a"));
    const b = sim.at(2, ev("b"));
    sim.at(3, ev("c"));
    const result = sim.cancel(b);
    sim.run();
    expect({ result, trace }).to.deep.equal({ result: true, trace: ["1 a", "3 c"] });
  });

  it("cancelling an event that already fired reports false", () => {
    const { sim, trace, ev } = traced();
    const a = sim.at(1, ev("a"));
    sim.run();
    expect({ result: sim.cancel(a), trace }).to.deep.equal({ result: false, trace: ["1 a"] });
  });

  it("cancelling the same event twice reports false the second time", () => {
    const { sim, ev } = traced();
    const a = sim.at(1, ev("a"));
    expect([sim.cancel(a), sim.cancel(a)]).to.deep.equal([true, false]);
  });

  it("a stale handle does not cancel the event that reused its slot", () => {
    const { sim, trace, ev } = traced();
    const fired = sim.at(1, ev("fired"));
    sim.run(1); // `fired` fires and frees its slot...
    sim.at(2, ev("reuser")); // ...which this event takes
    const gone = sim.at(3, ev("gone"));
    sim.cancel(gone);
    sim.run(3); // the cancelled event leaves the agenda and frees its slot...
    sim.at(4, ev("reuser-of-cancelled")); // ...which this event takes
    const results = [sim.cancel(fired), sim.cancel(gone)];
    sim.run();
    expect({ results, trace }).to.deep.equal({
      results: [false, false],
      trace: ["1 fired", "2 reuser", "4 reuser-of-cancelled"],
    });
  });

  it("a handler can cancel another pending event", () => {
    const { sim, trace, ev } = traced();
    let victim: EventId = -1;
    sim.at(1, () => {
      trace.push(`${sim.now} killer cancel=${sim.cancel(victim)}`);
    });
    victim = sim.at(2, ev("victim"));
    sim.at(3, ev("bystander"));
    sim.run();
    expect(trace).to.deep.equal(["1 killer cancel=true", "3 bystander"]);
  });

  it("a handler cancelling its own event gets false: it is already firing", () => {
    const { sim, trace } = traced();
    let self: EventId = -1;
    self = sim.at(1, () => {
      trace.push(`${sim.now} self isPending=${sim.isPending(self)} cancel=${sim.cancel(self)}`);
    });
    sim.run();
    expect(trace).to.deep.equal(["1 self isPending=false cancel=false"]);
  });

  it("cancelling the next event to fire lets the one after it fire next", () => {
    const { sim, trace, ev } = traced();
    const next = sim.at(1, ev("root"));
    sim.at(2, ev("second"));
    sim.at(3, ev("third"));
    sim.cancel(next);
    expect(sim.peekTime()).to.equal(2);
    sim.run();
    expect(trace).to.deep.equal(["2 second", "3 third"]);
  });

  it("cancelling events in the middle of the agenda keeps the rest in order", () => {
    const { sim, trace, ev } = traced();
    const ids: EventId[] = [];
    // Times 1..60 scheduled in a scrambled order (37 is coprime with 60).
    for (let i = 0; i < 60; i++) {
      const t = ((i * 37) % 60) + 1;
      ids[t] = sim.at(t, ev(`t${t}`));
    }
    const cancelled = [2, 17, 30, 31, 44, 59];
    for (const t of cancelled) sim.cancel(ids[t]!);
    sim.run();
    const expected = [];
    for (let t = 1; t <= 60; t++) if (!cancelled.includes(t)) expected.push(`${t} t${t}`);
    expect(trace).to.deep.equal(expected);
  });

  it("cancelling most events (which rebuilds the agenda) keeps the order of the rest", () => {
    const { sim, trace, ev } = traced();
    const ids: EventId[] = [];
    for (let i = 0; i < 1000; i++) ids.push(sim.at(((i * 7919) % 1000) + 1, ev(`e${i}`)));
    const expected: string[] = [];
    ids.forEach((id, i) => {
      if (i % 10 !== 3) sim.cancel(id);
    });
    for (let i = 0; i < 1000; i++) if (i % 10 === 3) expected.push(`${((i * 7919) % 1000) + 1} e${i}`);
    expected.sort((x, y) => Number(x.split(" ")[0]) - Number(y.split(" ")[0]));
    expect(sim.pending).to.equal(100);
    sim.run();
    expect(trace).to.deep.equal(expected);
  });

  it("isPending is true from scheduling until the event fires or is cancelled", () => {
    const sim = new Simulator();
    const a = sim.at(1, () => {});
    const b = sim.at(2, () => {});
    const before = [sim.isPending(a), sim.isPending(b)];
    sim.cancel(b);
    sim.run();
    expect({ before, after: [sim.isPending(a), sim.isPending(b)] }).to.deep.equal({
      before: [true, true],
      after: [false, false],
    });
  });

  it("handles that were never issued are not pending and cancel nothing", () => {
    const sim = new Simulator();
    sim.at(1, () => {});
    const bogus = [5, 2 ** 40, -1, 0.5, Number.NaN];
    expect(bogus.map((id) => [sim.isPending(id), sim.cancel(id)])).to.deep.equal(bogus.map(() => [false, false]));
    expect(sim.pending).to.equal(1);
  });

  it("pending counts events scheduled and neither fired nor cancelled, also inside a handler", () => {
    const sim = new Simulator();
    const seen: number[] = [];
    sim.at(1, () => {
      seen.push(sim.pending); // c only: b is cancelled and the firing event no longer pends
      sim.after(5, () => {});
      seen.push(sim.pending);
    });
    const b = sim.at(2, () => {});
    sim.at(3, () => {});
    sim.cancel(b);
    seen.push(sim.pending);
    sim.run(1);
    seen.push(sim.pending);
    expect(seen).to.deep.equal([2, 1, 2, 2]);
  });

  it("peekTime gives the next event's time, or Infinity when nothing is pending", () => {
    const sim = new Simulator();
    const seen: number[] = [sim.peekTime()];
    sim.at(9, () => {
      seen.push(sim.peekTime()); // inside a handler: the next one, not the firing one
    });
    sim.at(12, () => {});
    seen.push(sim.peekTime());
    sim.run(10);
    sim.run();
    seen.push(sim.peekTime());
    expect(seen).to.deep.equal([Infinity, 9, 12, Infinity]);
  });
});

describe("event kernel: run and stop", () => {
  it("run(until) fires the events at until, none after, and leaves now at until", () => {
    const { sim, trace, ev } = traced();
    sim.at(5, ev("a"));
    sim.at(10, ev("at-until"));
    sim.at(11, ev("after-until"));
    sim.run(10);
    expect({ now: sim.now, trace, pending: sim.pending }).to.deep.equal({
      now: 10,
      trace: ["5 a", "10 at-until"],
      pending: 1,
    });
  });

  it("run(until) advances now to until when the agenda runs dry first", () => {
    const { sim, trace, ev } = traced();
    sim.at(3, ev("a"));
    sim.run(1000);
    expect({ now: sim.now, trace }).to.deep.equal({ now: 1000, trace: ["3 a"] });
  });

  it("run() without a horizon fires everything and leaves now at the last event", () => {
    const { sim, trace, ev } = traced();
    sim.at(3, () => {
      trace.push(`${sim.now} a`);
      sim.after(4, ev("b"));
    });
    sim.run();
    expect({ now: sim.now, trace, eventsFired: sim.eventsFired }).to.deep.equal({
      now: 7,
      trace: ["3 a", "7 b"],
      eventsFired: 2,
    });
  });

  it("run(until) never moves time backwards", () => {
    const sim = new Simulator();
    sim.run(50);
    sim.run(20);
    expect(sim.now).to.equal(50);
  });

  it("stop() in a handler ends run after that event, with now at its time; run resumes later", () => {
    const { sim, trace, ev } = traced();
    sim.at(1, ev("a"));
    sim.at(2, () => {
      trace.push(`${sim.now} stopper`);
      sim.stop();
    });
    sim.at(2, ev("same-time"));
    sim.at(3, ev("c"));
    sim.run(100);
    const atStop = { now: sim.now, trace: [...trace] };
    sim.run(100);
    expect({ atStop, now: sim.now, trace }).to.deep.equal({
      atStop: { now: 2, trace: ["1 a", "2 stopper"] },
      now: 100,
      trace: ["1 a", "2 stopper", "2 same-time", "3 c"],
    });
  });

  it("a handler that throws leaves the simulator usable: the rest still fires in order", () => {
    const { sim, trace, ev } = traced();
    sim.at(1, () => {
      throw new Error("model failure");
    });
    sim.at(2, ev("b"));
    sim.at(3, ev("c"));
    expect(() => sim.run()).to.throw("model failure");
    const pendingAfterThrow = sim.pending;
    sim.at(2, ev("scheduled-after-throw"));
    sim.run();
    expect({ pendingAfterThrow, trace }).to.deep.equal({
      pendingAfterThrow: 2,
      trace: ["2 b", "2 scheduled-after-throw", "3 c"],
    });
  });
});

describe("event kernel: bad schedules are bugs", () => {
  it("scheduling before now throws", () => {
    const sim = new Simulator();
    sim.run(100);
    expect(() => sim.at(99, () => {})).to.throw(/never in the past/);
    expect(() => sim.after(-1, () => {})).to.throw(/never in the past/);
    expect(sim.pending).to.equal(0);
  });

  it("a time that is not an integer number of ps throws", () => {
    const sim = new Simulator();
    for (const t of [1.5, Number.NaN, Infinity]) expect(() => sim.at(t, () => {}), `at(${t})`).to.throw(/integer ps/);
    for (const d of [0.25, Number.NaN, Infinity]) expect(() => sim.after(d, () => {}), `after(${d})`).to.throw(/integer ps/);
    expect(sim.pending).to.equal(0);
  });

  it("a priority outside 0..MAX_PRIORITY, or not an integer, throws", () => {
    const sim = new Simulator();
    for (const p of [-1, MAX_PRIORITY + 1, 0.5, Number.NaN]) {
      expect(() => sim.at(1, () => {}, 0, p), `priority ${p}`).to.throw(/priority/);
    }
    expect(sim.pending).to.equal(0);
  });
});

describe("event kernel: capacity", () => {
  it("growing beyond the initial capacity keeps the order, also while a handler runs", () => {
    const { sim, trace, ev } = traced(1, 2);
    const expected: string[] = [];
    for (let i = 0; i < 300; i++) {
      const t = ((i * 101) % 300) + 1;
      sim.at(t, ev(`e${t}`));
    }
    // A handler that schedules far more events than the pool holds.
    sim.at(150, () => {
      trace.push("150 burst");
      for (let k = 0; k < 500; k++) sim.at(1000 + ((k * 7) % 500), ev(`b${(k * 7) % 500}`));
    }, 0, 1);
    for (let t = 1; t <= 300; t++) {
      expected.push(`${t} e${t}`);
      if (t === 150) expected.push("150 burst");
    }
    for (let k = 0; k < 500; k++) expected.push(`${1000 + k} b${k}`);
    sim.run();
    expect(trace).to.deep.equal(expected);
  });
});

describe("event kernel: determinism", () => {
  /** A small random model: 3 sources that reschedule themselves at random delays. */
  function randomTrace(seed: number): string[] {
    const { sim, trace } = traced(seed);
    for (const name of ["src/a", "src/b", "src/c"]) {
      const rng = sim.rng(name);
      const fire = (): void => {
        trace.push(`${sim.now} ${name}`);
        if (sim.eventsFired < 200) sim.after(rng.int(0, 1000), fire, 0, rng.int(0, 2));
      };
      sim.after(rng.int(0, 1000), fire);
    }
    sim.run();
    return trace;
  }

  it("the same seed gives the same trace", () => {
    const first = randomTrace(7);
    expect(first).to.have.length.at.least(200);
    expect(randomTrace(7)).to.deep.equal(first);
  });

  it("a different seed gives a different trace", () => {
    expect(randomTrace(8)).to.not.deep.equal(randomTrace(7));
  });

  it("a component's stream depends on its path, not on which streams were made before", () => {
    const a = new Simulator(3);
    const b = new Simulator(3);
    b.rng("other/component").next(); // b makes and uses another stream first
    const fromA = a.rng("disk/rotation");
    const fromB = b.rng("disk/rotation");
    const draws = (r: Rng) => Array.from({ length: 5 }, () => r.nextUint32());
    expect(draws(fromB)).to.deep.equal(draws(fromA));
  });
});
