import { expect } from "chai";
import { checkSystemInvariants } from "../../src/model/system.js";
import { toSeconds } from "../../src/sim/time.js";
import { build, diskScenario, events, faultsOf, netScenario, scenarioOf, traceOf, type TraceLine } from "./fault-helpers.js";

/*
 * A user-level driver that dies is cleaned up by the kernel and restarted by the supervisor;
 * these tests follow that story through the probes, on the paper's machine (hp-zx2000).
 */

const ms = (v: number) => Math.round(v * 1e9);
const at = (tr: readonly TraceLine[], name: string, from = 0): TraceLine => {
  const l = tr.find((x) => x.name === name && x.t >= from);
  if (!l) throw new Error(`no ${name} in the trace after ${from} ps`);
  return l;
};

describe("driver recovery", () => {
  describe("a user-level network driver that crashes", () => {
    const faults = `  inject:
    boom: {device: eth0, fault: crash, at: 20 ms}
  supervisor: {restart_delay: 1 ms, restart_cost: 100 us}`;

    it("dies, its handler is uninstalled, the NIC reset and its mappings released; the new driver reopens the IRQ file, re-establishes the rings and serves", async () => {
      const sys = build(await scenarioOf(netScenario(faults)));
      const tr = traceOf(sys, /^(proc\/eth0-driver[^/]*\/exit|irq\/16\/handler|supervisor\/|fault\/|eth0\/enabled|loopback\/|dma\/[^/]*\/pages$)/);
      sys.sim.run(ms(60));
      const strike = tr.findIndex((l) => l.name === "fault/eth0/strike");
      const ready = tr.findIndex((l) => l.name === "supervisor/ready");
      // Per-packet pinning (±1 page) is left out: the big moves are the story.
      const story = tr.slice(strike - 1, ready + 1).filter((l) => !(l.name.startsWith("dma/") && Math.abs(l.b) <= 16));
      expect(events(story)).to.deep.equal([
        "proc/eth0-driver/exit 0 1", // killed: its own code faulted (on return from read())
        "fault/eth0/strike 1 0", // a crash at user level
        "supervisor/death 1 0", // the supervisor is told (its child died)
        "irq/16/handler 0 1", // the IRQ file closed: the handler is uninstalled
        "eth0/enabled 0 18", // the kernel resets the NIC before releasing the mappings: 18 frames lost with it
        "dma/eth0-driver/pages 0 -530", // every page mapped for the dead driver released
        "supervisor/restart 2 0", // the second incarnation is spawned
        "irq/16/handler 1 1", // it opens /proc/irq/16/irq
        "dma/eth0-driver.2/pages 256 256", // the rings re-established: fresh pinned receive buffers …
        "loopback/eth0-driver/register 256 0", // … in its registration system call
        "eth0/enabled 1 255", // e1000_up(): the receive ring refilled, the NIC enabled
        "supervisor/ready 2 0",
      ]);
      // The restart costs its start-up CPU and the device's settling time.
      const restart = at(tr, "supervisor/restart").t;
      const serving = at(tr, "supervisor/ready").t;
      expect(serving - restart).to.be.greaterThan(ms(1.1));
      // The death is known within microseconds (the supervisor outranks the echo server).
      expect(restart - tr[strike]!.t).to.be.lessThan(ms(0.01));
      // Traffic resumes: the new driver is activated and echoes reach the clients again.
      sys.sim.run(ms(60));
      const f = faultsOf(sys).records;
      expect(f).to.have.length(1);
      expect(f[0]!.detectedAt! - f[0]!.at).to.be.within(1, restart - tr[strike]!.t);
      expect(f[0]!.recoveredAt).to.equal(serving);
      expect(checkSystemInvariants(sys)).to.deep.equal([]);
    });

    it("echoes again after the restart at the offered load, having lost only what was in flight and arrived while it was down", async () => {
      const sc = await scenarioOf(netScenario(faults));
      const sys = build(sc);
      const delivered: number[] = [];
      sys.sim.probes.get("workload/delivered").subscribe((_t, when) => delivered.push(when));
      sys.sim.run(ms(60));
      const m = sys.workload.metrics!(sys) as { drops: Record<string, number>; throughput_bits_per_s: number };
      const rec = faultsOf(sys).records[0]!;
      const after = delivered.filter((t) => t > rec.recoveredAt! && t < rec.recoveredAt! + ms(10));
      // 300 Mb/s of 1 KiB payloads is about 36.6 packets per ms.
      expect(after.length).to.be.within(330, 380);
      // Lost: the frames in the NIC at the reset and those that arrived while it was down (about 1.3 ms).
      const outage = toSeconds(rec.recoveredAt! - rec.at);
      expect(m.drops.driver_fault).to.be.within(18, 18 + Math.ceil(outage * 36_621 * 1.1));
      expect(m.drops.rx_ring! + m.drops.backlog! + m.drops.socket_rcvbuf!).to.equal(0);
    });
  });

  it("a network driver killed in the middle of its work loses the packets in its hands (driver_fault), and nothing else", async () => {
    const sys = build(await scenarioOf(netScenario(`  inject: {}
  supervisor: {restart_delay: 1 ms, restart_cost: 100 us}`, { load: "900 Mb/s" })));
    const nic = sys.components.get("devices.eth0") as unknown as { stack: { inHand: { count: number } }; user: { loopback: { rxAccepted: number } }; nic: { taken: number } };
    // Step until the driver runs its own code holding packets it took from the NIC.
    let t = ms(20);
    let task = null as null | import("../../src/model/cpu/index.js").Task;
    for (; t < ms(40); t += 200_000) {
      sys.sim.run(t);
      task = (sys.components.get("devices.eth0") as unknown as { faultTarget: { task: typeof task } }).faultTarget.task;
      if (task && task.onCpu && task.kernelDepth === 0 && nic.nic.taken > nic.user.loopback.rxAccepted) break;
    }
    const inHands = nic.nic.taken - nic.user.loopback.rxAccepted;
    expect(inHands, "found the driver holding received packets").to.be.greaterThan(0);
    const before = (sys.workload.metrics!(sys) as { drops: { driver_fault: number } }).drops.driver_fault;
    const reset = traceOf(sys, /^eth0\/enabled$/);
    expect(sys.k.crashInUserMode(task!)).to.equal(true); // in user mode: it dies now
    const lost = (sys.workload.metrics!(sys) as { drops: { driver_fault: number } }).drops.driver_fault - before;
    expect(lost).to.equal(inHands + reset[0]!.b);
    expect(checkSystemInvariants(sys)).to.deep.equal([]);
    sys.sim.run(ms(60));
    expect(checkSystemInvariants(sys)).to.deep.equal([]);
  });

  describe("a user-level disk driver that crashes", () => {
    it("has its channel reset; the request it held fails (requeue), the next waits for the new driver, which serves the rest", async () => {
      const sys = build(await scenarioOf(diskScenario(`  inject:
    boom: {device: hda, fault: crash, at: 10 ms}
  supervisor: {restart_delay: 2 ms, restart_cost: 100 us, in_flight: requeue}`)));
      const tr = traceOf(sys, /^(proc\/hda-driver[^/]*\/exit|irq\/16\/handler|supervisor\/|fault\/|disk\/hda\/reset|block\/hda\/fail|loopback\/|dma\/[^/]*\/pages$)/);
      const completions: number[] = [];
      sys.sim.probes.get("block/hda/complete").subscribe((t) => completions.push(t));
      sys.sim.run(ms(10_000));
      expect(sys.workload.done).to.equal(true);
      const strike = tr.findIndex((l) => l.name === "fault/hda/strike");
      const ready = tr.findIndex((l) => l.name === "supervisor/ready");
      expect(events(tr.slice(strike - 1, ready + 1))).to.deep.equal([
        "proc/hda-driver/exit 0 1", // it died on return from read(): woken by the completion it never reported
        "fault/hda/strike 1 0",
        "supervisor/death 1 0",
        "irq/16/handler 0 1", // the handler uninstalled
        "disk/hda/reset 0 0", // the channel reset (no command was in progress: the drive had finished)
        "dma/hda-driver/pages 0 -2", // the pages of the request it held released
        "block/hda/fail 64 8", // that request fails (EIO), in the kernel's reclaim work: the read returns −EIO
        "supervisor/restart 2 0",
        "irq/16/handler 1 1", // the new driver opens the IRQ file
        "loopback/hda.loopback/register 1 0", // the rings re-established: the reader's next request, queued meanwhile …
        "dma/hda-driver.2/pages 2 2", // … handed to the new driver
        "supervisor/ready 2 0",
      ]);
      // Reads go on after the restart.
      expect(completions.filter((t) => t > tr[ready]!.t).length).to.be.greaterThan(20);
      expect(checkSystemInvariants(sys)).to.deep.equal([]);
    });
  });

  describe("a user-level driver that hangs", () => {
    const hang = (heartbeat: string, missed: number, load = "300 Mb/s") =>
      netScenario(
        `  inject:
    stuck: {device: eth0, fault: hang, at: 20 ms}
  supervisor: {heartbeat: ${heartbeat}, missed: ${missed}, restart_delay: 1 ms, restart_cost: 100 us}`,
        { load, duration: "100 ms" },
      );

    for (const [heartbeat, missed, periodMs] of [
      ["10 ms", 3, 10],
      ["4 ms", 2, 4],
    ] as const) {
      it(`is declared hung at the ${missed}th heartbeat check without an answer (heartbeat ${heartbeat}), killed and restarted`, async () => {
        const sys = build(await scenarioOf(hang(heartbeat, missed)));
        const tr = traceOf(sys, /^(supervisor\/|fault\/|timer\/supervisor.heartbeat\/fire|cpu0\/activation|proc\/eth0-driver[^/]*\/exit)/);
        sys.sim.run(ms(100));
        const strike = at(tr, "fault/eth0/strike");
        expect(strike.a).to.equal(2); // a hang
        // The checks: the heartbeat timer fires every period from the start.
        const checks = tr.filter((l) => l.name === "timer/supervisor.heartbeat/fire").map((l) => l.t);
        checks.forEach((t, i) => expect(t).to.be.within(ms(periodMs * (i + 1)), ms(periodMs * (i + 1)) + ms(0.01)));
        // The hanging activation answered the check after it; the next `missed` checks find no answer.
        const firstAfter = checks.findIndex((t) => t > strike.t);
        const declared = at(tr, "supervisor/hang");
        expect(declared.b).to.equal(missed);
        expect(declared.t).to.be.within(checks[firstAfter + missed]!, checks[firstAfter + missed]! + ms(0.01));
        // Time to detect: between `missed` and `missed + 1` periods (and the supervisor's wake-up).
        const rec = faultsOf(sys).records[0]!;
        expect(rec.detectedAt! - rec.at).to.be.within(ms(periodMs * missed), ms(periodMs * (missed + 1)) + ms(0.01));
        // Pinged while silent, then killed (SIGKILL) and restarted.
        expect(tr.filter((l) => l.name === "supervisor/ping" && l.t > strike.t && l.t < declared.t)).to.have.length(missed - 1);
        expect(at(tr, "proc/eth0-driver/exit").t - declared.t).to.be.within(0, ms(0.001)); // kill(), a system call
        expect(at(tr, "supervisor/ready").t).to.be.greaterThan(declared.t);
        expect(checkSystemInvariants(sys)).to.deep.equal([]);
      });
    }

    it("is not confused with an idle driver: with no traffic the pings are answered and nothing is restarted", async () => {
      const sys = build(
        await scenarioOf(
          netScenario(
            `  inject:
    late: {device: eth0, fault: crash, at: 1 s}
  supervisor: {heartbeat: 5 ms, missed: 2}`,
            { load: "0 b/s", duration: "100 ms" },
          ),
        ),
      );
      const tr = traceOf(sys, /^supervisor\//);
      sys.sim.run(ms(100));
      expect(tr.filter((l) => l.name === "supervisor/ping").length).to.be.greaterThan(5);
      expect(tr.filter((l) => l.name === "supervisor/hang" || l.name === "supervisor/restart")).to.deep.equal([]);
    });
  });

  describe("in the kernel", () => {
    it("a driver crash stops the system at that moment: nothing happens after it", async () => {
      const sys = build(await scenarioOf(netScenario(`  inject:
    boom: {device: eth0, fault: crash, at: 20 ms}`, { placement: "kernel" })));
      const tr = traceOf(sys, /^(kernel\/panic|fault\/)/);
      sys.sim.run(ms(60));
      expect(events(tr)).to.deep.equal(["fault/eth0/strike 1 1", "kernel/panic 1 0"]);
      expect(sys.sim.now).to.equal(ms(20));
      expect(sys.k.panicked?.why).to.include("a driver fault in the kernel is a kernel crash");
      expect(checkSystemInvariants(sys)).to.deep.equal([]);
    });

    it("a hang is a lock-up, a crash too; a fault with a probability strikes in the interrupt routine", async () => {
      const sys = build(await scenarioOf(netScenario(`  inject:
    rare: {device: eth0, fault: hang, probability: 0.01}`, { placement: "kernel" })));
      sys.sim.run(ms(60));
      expect(sys.k.panicked).to.not.equal(null);
      expect(faultsOf(sys).records.map((r) => [r.kind, r.kernelCrash])).to.deep.equal([["hang", true]]);
      expect(checkSystemInvariants(sys)).to.deep.equal([]);
    });
  });

  it("a user-level driver crashing with a probability per activation is restarted each time, the same way for the same seed", async () => {
    const text = netScenario(`  inject:
    flaky: {device: eth0, fault: crash, probability: 0.02}
  supervisor: {restart_delay: 200 us, restart_cost: 50 us}`, { duration: "100 ms" });
    const run = async () => {
      const sys = build(await scenarioOf(text));
      sys.sim.run(ms(100));
      expect(checkSystemInvariants(sys)).to.deep.equal([]);
      return faultsOf(sys).records.map((r) => [r.at, r.detectedAt, r.recoveredAt]);
    };
    const a = await run();
    expect(a.length).to.be.greaterThan(2);
    expect(a.slice(0, -1).every(([, d, r]) => d !== undefined && r !== undefined)).to.equal(true);
    expect(await run()).to.deep.equal(a);
  });
});
