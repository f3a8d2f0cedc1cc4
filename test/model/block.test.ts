import { expect } from "chai";
import type { Placement } from "../../src/dsl/normalised.js";
import { buildSystem } from "../../src/model/system.js";
import { diskScenario, runToEnd, conservation } from "./disk-helpers.js";

const PLACEMENTS: Placement[] = ["kernel", "user"];

/** Counts of probe events in a whole run. */
function countEvents(placement: Placement, transfer: number, bytes: number, maxSectors = 256) {
  const n = { commands: [] as number[], hits: 0, irqs: 0, submits: 0, completes: 0, wakes: 0, activations: 0, posts: 0 };
  const sys = runToEnd(diskScenario({ placement, transfer, bytes, maxSectors }), 1, (s) => {
    const p = s.sim.probes;
    p.get("disk/hda/command").subscribe((_t, sectors, hit) => {
      n.commands.push(sectors);
      n.hits += hit;
    });
    p.get("cpu0/irq").subscribe((_t, v) => (n.irqs += v === 14 ? 1 : 0));
    p.get("block/hda/submit").subscribe(() => n.submits++);
    p.get("block/hda/complete").subscribe(() => n.completes++);
    p.get("proc/disk-read/wake").subscribe(() => n.wakes++);
    p.get("cpu0/activation").subscribe(() => n.activations++);
    p.get("irq/14/post").subscribe((_t, _c, device) => (n.posts += device === 0 ? 1 : 0));
  });
  return { n, sys };
}

describe("block layer and IDE driver", () => {
  for (const placement of PLACEMENTS) {
    describe(`driver ${placement === "kernel" ? "in the kernel" : "at user level"}`, () => {
      it("a read larger than max_sectors becomes one request and one ATA command per max_sectors, one interrupt each, and one wake-up of the reader", () => {
        const { n } = countEvents(placement, 8192 * 512, 8192 * 512);
        expect(n.commands).to.deep.equal(new Array(32).fill(256));
        expect(n.submits).to.equal(32);
        expect(n.completes).to.equal(32);
        expect(n.irqs).to.equal(32);
        expect(n.wakes).to.equal(1);
        if (placement === "user") {
          // One post for the whole read (batching), one activation per interrupt plus that one.
          expect(n.posts).to.equal(1);
          expect(n.activations).to.equal(33);
        } else {
          expect(n.activations).to.equal(0);
        }
      });

      it("a remainder smaller than max_sectors is its own last command", () => {
        const { n } = countEvents(placement, 300 * 512, 600 * 512);
        expect(n.commands).to.deep.equal([256, 44, 256, 44]);
      });

      it("a request may not exceed the drive's limit, whatever it is", () => {
        const { n } = countEvents(placement, 16 * 512, 32 * 512, 5);
        expect(n.commands).to.deep.equal([5, 5, 5, 1, 5, 5, 5, 1]);
      });

      it("after the first access every small sequential read is served from the drive's read-ahead buffer", () => {
        const { n } = countEvents(placement, 512, 64 * 512);
        expect(n.commands.length).to.equal(64);
        expect(n.hits).to.equal(63);
      });

      it("every conservation equation holds at the end and counts the whole run", () => {
        const { sys } = countEvents(placement, 3 * 512, 100 * 1024);
        const eqs = conservation(sys);
        const names = eqs.map((e) => e.name);
        expect(names).to.include.members(["devices.hda: block requests", "devices.hda: ATA commands", "devices.hda: DMA bytes", "devices.hda: disk interrupts", "workload: read() calls", "workload: bytes read"]);
        if (placement === "user") expect(names).to.include.members(["devices.hda: loopback request ring", "devices.hda: loopback completion ring"]);
        for (const e of eqs) expect(e.issued, e.name).to.equal(e.completed + e.dropped + e.inFlight);
        const reads = eqs.find((e) => e.name === "workload: read() calls")!;
        expect(reads.issued).to.equal(Math.ceil((100 * 1024) / (3 * 512)));
        const bytes = eqs.find((e) => e.name === "devices.hda: DMA bytes")!;
        expect(bytes.completed).to.equal(100 * 1024);
      });

      it("conservation counts requests still in flight when the run is cut short", () => {
        const sys = buildSystem(diskScenario({ placement, transfer: 8192 * 512, bytes: 8192 * 512 }), 1);
        sys.sim.run(30e9); // 30 ms into a 4 MiB read of 32 requests
        expect(sys.workload.done).to.equal(false);
        const eqs = conservation(sys);
        for (const e of eqs) expect(e.issued, e.name).to.equal(e.completed + e.dropped + e.inFlight);
        const req = eqs.find((e) => e.name === "devices.hda: block requests")!;
        expect(req.issued).to.equal(32);
        expect(req.inFlight).to.be.greaterThan(0);
        expect(eqs.find((e) => e.name === "workload: read() calls")!.inFlight).to.equal(1);
      });
    });
  }

  it("the driver's own work costs the same in both placements (the user driver only adds the ring descriptors it reads and writes)", () => {
    const m = {} as Record<Placement, Record<string, number>>;
    for (const placement of PLACEMENTS) {
      const sys = runToEnd(diskScenario({ placement, transfer: 512, bytes: 200 * 512 }));
      m[placement] = sys.k.cpuTime(0) as unknown as Record<string, number>;
    }
    // 200 requests × (1 request descriptor read + 1 completion written) × 5 ns.
    expect(m.user.driver! - m.kernel.driver!).to.equal(200 * 2 * 5_000);
  });
});
