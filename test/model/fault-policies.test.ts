import { expect } from "chai";
import type { InFlightPolicy } from "../../src/dsl/normalised.js";
import { checkSystemInvariants } from "../../src/model/system.js";
import { build, diskScenario, faultsOf, netScenario, scenarioOf, traceOf } from "./fault-helpers.js";

/*
 * What happens to the work a dead driver held, by the in-flight policy (after ublk's
 * recovery modes): requeue — what was handed to it fails, new work waits; reissue — what
 * was handed to it is handed again to its successor; fail — what was handed to it fails,
 * and new work fails at once until the successor serves.
 */

const ms = (v: number) => Math.round(v * 1e9);
const POLICIES: InFlightPolicy[] = ["requeue", "reissue", "fail"];

interface DiskRun {
  failed: { t: number; id: number }[];
  completed: { t: number; id: number }[];
  death: number;
  ready: number;
  bytesRead: number;
}

async function diskRun(policy: InFlightPolicy, crashAtMs: number): Promise<DiskRun> {
  const sys = build(
    await scenarioOf(
      diskScenario(`  inject:
    boom: {device: hda, fault: crash, at: ${crashAtMs} ms}
  supervisor: {restart_delay: 2 ms, restart_cost: 100 us, in_flight: ${policy}}`),
    ),
  );
  const failed: DiskRun["failed"] = [];
  const completed: DiskRun["completed"] = [];
  sys.sim.probes.get("block/hda/fail").subscribe((t, _s, id) => failed.push({ t, id }));
  sys.sim.probes.get("block/hda/complete").subscribe((t, _s, id) => completed.push({ t, id }));
  const tr = traceOf(sys, /^supervisor\/(death|ready)$/);
  let bytesRead = 0;
  sys.sim.probes.get("workload/delivered").subscribe((_t, _at, b) => (bytesRead += b));
  sys.sim.run(ms(10_000));
  expect(sys.workload.done, "the benchmark finishes").to.equal(true);
  expect(checkSystemInvariants(sys)).to.deep.equal([]);
  const death = tr.find((l) => l.name === "supervisor/death")!.t;
  const ready = tr.find((l) => l.name === "supervisor/ready")?.t ?? Infinity;
  return { failed, completed, death, ready, bytesRead };
}

describe("in-flight policies", () => {
  describe("disk (IDE driver at user level, crash at 10 ms)", () => {
    it("requeue: the request the dead driver held fails; the reader's next request waits for the new driver", async () => {
      const r = await diskRun("requeue", 10);
      expect(r.failed).to.have.length(1);
      expect(r.failed[0]!.t).to.be.within(r.death, r.ready);
      // Nothing completes while no driver serves; the next request completes after the restart.
      expect(r.completed.filter((c) => c.t > r.death && c.t < r.ready)).to.deep.equal([]);
      expect(r.completed.find((c) => c.t > r.death)!.id).to.equal(r.failed[0]!.id + 1);
      expect(r.bytesRead).to.equal(2 * 1024 * 1024 - 32 * 1024); // one 32 KiB read lost
    });

    it("reissue: the request the dead driver held is handed to the new driver and completes; nothing fails", async () => {
      const held = (await diskRun("requeue", 10)).failed[0]!.id;
      const r = await diskRun("reissue", 10);
      expect(r.failed).to.deep.equal([]);
      const again = r.completed.find((c) => c.id === held)!;
      expect(again.t).to.be.greaterThan(r.ready);
      expect(r.bytesRead).to.equal(2 * 1024 * 1024);
    });

    it("fail: the request the dead driver held fails, and so does every request until the new driver serves", async () => {
      const r = await diskRun("fail", 10);
      const during = r.failed.filter((f) => f.t > r.death && f.t < r.ready);
      expect(during.length).to.be.greaterThan(1);
      expect(r.failed.every((f) => f.t < r.ready)).to.equal(true);
      expect(r.bytesRead).to.equal(2 * 1024 * 1024 - 32 * 1024 * r.failed.length);
    });
  });

  describe("network (e1000 driver at user level, 600 Mb/s)", () => {
    async function netRun(policy: InFlightPolicy, crashAt: string) {
      const sys = build(
        await scenarioOf(
          netScenario(
            `  inject:
    boom: {device: eth0, fault: crash, at: ${crashAt}}
  supervisor: {restart_delay: 1 ms, restart_cost: 100 us, in_flight: ${policy}}`,
            { load: "600 Mb/s", duration: "40 ms" },
          ),
        ),
      );
      const reg = traceOf(sys, /^loopback\/eth0-driver\/register$/);
      sys.sim.run(ms(40));
      expect(checkSystemInvariants(sys)).to.deep.equal([]);
      expect(faultsOf(sys).records[0]!.recoveredAt).to.not.equal(undefined);
      const m = sys.workload.metrics!(sys) as { drops: { driver_fault: number } };
      // b: packets waiting in the queueing discipline when the new driver registers.
      return { lost: m.drops.driver_fault, waiting: reg[0]!.b };
    }

    it("reissue hands the packets the dead driver held for sending to its successor; requeue and fail drop them; fail also drops what is sent meanwhile", async () => {
      let reissued = 0;
      let waited = 0;
      // A few moments of the driver's cycle: what it holds when it dies differs.
      for (const t of ["20.000 ms", "20.037 ms", "20.074 ms", "20.555 ms"]) {
        const [rq, ri, fl] = await Promise.all(POLICIES.map((p) => netRun(p, t)));
        expect(fl!.waiting, `fail at ${t}`).to.equal(0); // nothing waits: new sends were dropped
        expect(ri!.waiting, `reissue at ${t}`).to.be.at.least(rq!.waiting);
        expect(fl!.lost, t).to.be.at.least(rq!.lost - 2);
        expect(rq!.lost, t).to.be.at.least(ri!.lost);
        if (ri!.waiting > rq!.waiting) {
          reissued++;
          // What reissue sent again is what requeue lost, give or take a frame or two arriving at the reset.
          expect(rq!.lost - ri!.lost).to.be.within(ri!.waiting - rq!.waiting - 2, ri!.waiting - rq!.waiting + 2);
        }
        if (rq!.waiting > 0) {
          waited++;
          expect(fl!.lost).to.be.greaterThan(rq!.lost);
        }
      }
      expect(reissued, "some crash caught packets on their way out").to.be.greaterThan(0);
      expect(waited, "some crash was followed by sends while the driver was down").to.be.greaterThan(0);
    });
  });
});
