import { expect } from "chai";
import type { Placement } from "../../src/dsl/normalised.js";
import { diskScenario, metricsOf, runToEnd } from "./disk-helpers.js";

const MEDIA = 51.2e6; // bytes/s of the test drive

async function point(placement: Placement, sectors: number, bytes: number) {
  const m = await metricsOf(diskScenario({ placement, transfer: sectors * 512, bytes }));
  return { bytesPerS: (m.throughput_bits_per_s as number) / 8, cpu: m.cpu_utilization as number, m };
}

describe("the disk benchmark's curves emerge from the mechanisms", function () {
  this.timeout(20_000);

  it("throughput = bytes read × 8 / the benchmark's elapsed time, and the long-transfer plateau is the media rate", async () => {
    for (const placement of ["kernel", "user"] as Placement[]) {
      const { bytesPerS } = await point(placement, 2048, 32 * 1024 * 1024);
      // Below the media rate only by the first access's rotational wait (< 8.4 ms of ~0.66 s).
      expect(bytesPerS / MEDIA).to.be.within(0.985, 1);
    }
  });

  it("throughput rises with the transfer size and CPU falls, in both placements; the user level costs more CPU, less so as transfers grow", async () => {
    const sizes = [1, 2, 4, 8, 16, 64, 256];
    const k: { bytesPerS: number; cpu: number }[] = [];
    const u: { bytesPerS: number; cpu: number }[] = [];
    for (const s of sizes) {
      k.push(await point("kernel", s, 2 * 1024 * 1024));
      u.push(await point("user", s, 2 * 1024 * 1024));
    }
    for (let i = 1; i < sizes.length; i++) {
      for (const c of [k, u]) {
        expect(c[i]!.bytesPerS, `throughput at ${sizes[i]} sectors`).to.be.at.least(c[i - 1]!.bytesPerS * 0.99);
        expect(c[i]!.cpu, `CPU at ${sizes[i]} sectors`).to.be.below(c[i - 1]!.cpu);
      }
    }
    const gap = sizes.map((_, i) => u[i]!.cpu - k[i]!.cpu);
    expect(gap[0]).to.be.greaterThan(0.01);
    expect(gap[gap.length - 1]).to.be.below(gap[0]! / 5);
    expect(u[0]!.bytesPerS).to.be.below(k[0]!.bytesPerS);
  });

  it("per 1-sector read: one ATA command and one interrupt; kernel 2 context switches and 1 system call, user level 2 activations (a post and the interrupt), 4 context switches and 4 system calls", () => {
    const reads = 512;
    const per = {} as Record<Placement, Record<string, number>>;
    for (const placement of ["kernel", "user"] as Placement[]) {
      const n: Record<string, number> = { commands: 0, irq: 0, activation: 0, ctxsw: 0, syscall: 0 };
      runToEnd(diskScenario({ placement, transfer: 512, bytes: reads * 512 }), 1, (sys) => {
        const p = sys.sim.probes;
        p.get("disk/hda/command").subscribe(() => n.commands!++);
        p.get("cpu0/irq").subscribe((_t, v) => (n.irq! += v === 14 ? 1 : 0));
        for (const k of ["activation", "ctxsw", "syscall"]) p.get(`cpu0/${k}`).subscribe(() => n[k]!++);
      });
      per[placement] = Object.fromEntries(Object.entries(n).map(([k, v]) => [k, v / reads]));
    }
    // Start-up (the first switch in; at user level the driver's open() and registration) is
    // spread over the reads, hence the tolerance.
    expect(per.kernel.commands).to.equal(1);
    expect(per.kernel.irq).to.equal(1);
    expect(per.kernel.activation).to.equal(0);
    expect(per.kernel.ctxsw).to.be.closeTo(2, 0.01);
    expect(per.kernel.syscall).to.be.closeTo(1, 0.01);
    expect(per.user.commands).to.equal(1);
    expect(per.user.irq).to.equal(1);
    expect(per.user.activation).to.equal(2);
    expect(per.user.ctxsw).to.be.closeTo(4, 0.01);
    expect(per.user.syscall).to.be.closeTo(4, 0.01);
  });
});
