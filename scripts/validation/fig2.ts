/**
 * Validation section for the paper's Fig. 2 (§4.1): reruns scenarios/paper-fig2.yaml at
 * full size (128 points × 10 repetitions × 64 MiB), sets the emulated curves beside the
 * paper's stated numbers and the disk issue's tolerances, and measures f — the share of the
 * user level's extra CPU time that lies on the critical path — from a trace of the 1-sector
 * point in each placement. Deterministic: no timings, fixed seeds.
 */
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario, type Plan } from "../../src/dsl/plan.js";
import { packagePath } from "../../src/dsl/package-root.js";
import type { NormalisedScenario } from "../../src/dsl/normalised.js";
import { ACTIVITY_CLASSES } from "../../src/model/cpu/index.js";
import type { System } from "../../src/model/system.js";
import { pointSeed } from "../../src/run/identity.js";
import { simulate } from "../../src/run/point.js";
import { runPlan, type PointResult } from "../../src/run/runner.js";

export const title = "Fig. 2 — IDE disk reads: throughput and CPU, driver in the kernel vs at user level";

const MIB = 2 ** 20;
const SECTOR = 512;
const IDLE = ACTIVITY_CLASSES.indexOf("idle");

interface Row {
  sectors: number;
  k: Metrics;
  u: Metrics;
}
interface Metrics {
  mibps: number;
  mibpsSd: number;
  cpu: number;
  cpuSd: number;
  reps: number;
}

const ok = (b: boolean) => (b ? "✓" : "✗");
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const pct = (x: number) => (100 * x).toFixed(1);
/** One decimal with its sign; "0.0" when it rounds to zero. */
const signed = (x: number) => {
  const t = Math.abs(x).toFixed(1);
  return t === "0.0" ? t : `${x > 0 ? "+" : "−"}${t}`;
};

async function plan(): Promise<Plan> {
  const r = await loadScenario(packagePath("scenarios", "paper-fig2.yaml"));
  if (!r.scenario) throw new Error(r.diagnostics.map((d) => d.message).join("; "));
  const p = planScenario(r.scenario, {}).plan;
  if (!p) throw new Error("paper-fig2.yaml does not plan");
  return p;
}

function metricsOf(p: PointResult, reps: number): Metrics {
  if (p.status !== "ok") throw new Error(`point ${p.id} ${p.status}: ${p.error ?? ""}`);
  const m = p.metrics as Record<string, number>;
  return {
    mibps: m.throughput_bits_per_s! / 8 / MIB,
    mibpsSd: (m.throughput_bits_per_s_sd ?? 0) / 8 / MIB,
    cpu: m.cpu_utilization!,
    cpuSd: m.cpu_utilization_sd ?? 0,
    reps,
  };
}

/** Per read, from a trace: CPU busy while the drive works (off the critical path) and while it waits. */
interface PathSplit {
  reads: number;
  elapsedUs: number;
  busyUs: number;
  criticalUs: number;
  overlappedUs: number;
  driveUs: number;
}

async function tracePath(scenario: NormalisedScenario, seed: number): Promise<PathSplit> {
  let driveBusy = false;
  let driveSince = 0;
  let drivePs = 0;
  let critical = 0;
  let overlapped = 0;
  let reads = 0;
  let first = -1;
  let last = 0;
  const o = await simulate(scenario, seed, {
    afterBuild(sys: System) {
      const p = sys.sim.probes;
      // Close the open accounting interval at every change of the drive's state, so each
      // CPU interval lies wholly inside "drive busy" or "drive waiting for the host".
      p.get("disk/hda/command").subscribe((t) => {
        sys.k.syncAccounting();
        driveBusy = true;
        driveSince = t;
      });
      p.get("disk/hda/complete").subscribe((t) => {
        sys.k.syncAccounting();
        driveBusy = false;
        drivePs += t - driveSince;
      });
      p.get("cpu0/time").subscribe((_t, cls, d) => {
        if (first < 0 || cls === IDLE) return;
        if (driveBusy) overlapped += d;
        else critical += d;
      });
      p.get("disk-read/read").subscribe((t, call) => {
        if (call === 1 && first < 0) first = t;
        if (call === 0) {
          reads++;
          last = t;
        }
      });
    },
  });
  if (o.status !== "ok") throw new Error(o.error);
  const per = (ps: number) => ps / 1e6 / reads;
  return {
    reads,
    elapsedUs: per(last - first),
    busyUs: per(critical + overlapped),
    criticalUs: per(critical),
    overlappedUs: per(overlapped),
    driveUs: per(drivePs),
  };
}

export async function section(): Promise<string> {
  const p = await plan();
  const outcome = await runPlan(p);
  const bySize = new Map<number, Partial<Row>>();
  for (const [i, pt] of p.points.entries()) {
    const res = outcome.points[i]!;
    const sectors = (pt.scenario.workload.transfer_size as number) / SECTOR;
    const reps = pt.scenario.workload.repetitions as number;
    const row = bySize.get(sectors) ?? { sectors };
    const placement = pt.scenario.devices.hda!.driver.placement;
    row[placement === "kernel" ? "k" : "u"] = metricsOf(res, reps);
    bySize.set(sectors, row);
  }
  const rows = [...bySize.values()].sort((a, b) => a.sectors! - b.sectors!) as Row[];
  const hda = p.points[0]!.scenario.devices.hda!;
  const mediaMibps = (hda.media_rate as number) / 8 / MIB;
  const plateau = rows[rows.length - 1]!.k.mibps;
  const at = (s: number) => rows.find((r) => r.sectors === s)!;
  const large = rows.filter((r) => r.sectors >= 128);

  // Throughput targets.
  const rel = (r: Row) => (r.u.mibps - r.k.mibps) / r.k.mibps;
  const worstLargeRel = large.reduce((w, r) => (Math.abs(rel(r)) > Math.abs(rel(w)) ? r : w));
  const gapOf = (r: Row) => r.k.mibps - r.u.mibps;
  const worstGap = rows.reduce((w, r) => (Math.abs(gapOf(r)) > Math.abs(gapOf(w)) ? r : w));
  // A fall counts only if it exceeds 3 standard errors of the difference of the two means
  // (the repetitions differ in the first access's rotational wait).
  const falls = (key: "k" | "u") => {
    const out: string[] = [];
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1]![key];
      const b = rows[i]![key];
      const noise = 3 * Math.sqrt(a.mibpsSd ** 2 / a.reps + b.mibpsSd ** 2 / b.reps);
      if (a.mibps - b.mibps > noise) out.push(`${rows[i - 1]!.sectors}→${rows[i]!.sectors} (−${f2(a.mibps - b.mibps)} MiB/s)`);
    }
    return out;
  };
  const fallsK = falls("k");
  const fallsU = falls("u");

  // CPU targets.
  const one = at(1);
  const cpuGap = (r: Row) => r.u.cpu - r.k.cpu;
  const worstLargeCpu = large.reduce((w, r) => (cpuGap(r) > cpuGap(w) ? r : w));
  const rises = (vals: (r: Row) => number, from: Row[]) => {
    const out: string[] = [];
    for (let i = 1; i < from.length; i++) {
      const d = vals(from[i]!) - vals(from[i - 1]!);
      if (d > 0.0005) out.push(`${from[i - 1]!.sectors}→${from[i]!.sectors} (+${f1(100 * d)})`);
    }
    return out;
  };
  const gapRises = rises(cpuGap, large);
  const kRises = rises((r) => r.k.cpu, rows);
  const uRises = rises((r) => r.u.cpu, rows);
  const first128 = large[0]!;
  const last = rows[rows.length - 1]!;

  // f from traces of the 1-sector point and of the point with the largest gap (first
  // repetition's seed, each placement).
  const traced = [...new Set([1, worstGap.sectors])];
  const fAt: { sectors: number; k: PathSplit; u: PathSplit; f: number; fElapsed: number }[] = [];
  for (const sectors of traced) {
    const split: Record<string, PathSplit> = {};
    for (const pt of p.points.filter((x) => (x.scenario.workload.transfer_size as number) === sectors * SECTOR)) {
      split[pt.scenario.devices.hda!.driver.placement] = await tracePath(pt.scenario, pointSeed(pt.scenario.run.seed, pt.params, 0));
    }
    const k = split.kernel!;
    const u = split.user!;
    const extra = u.busyUs - k.busyUs;
    fAt.push({ sectors, k, u, f: (u.criticalUs - k.criticalUs) / extra, fElapsed: (u.elapsedUs - k.elapsedUs) / extra });
  }
  const f1s = fAt[0]!;
  const fGap = fAt[fAt.length - 1]!;
  const predicted = (1 - one.u.cpu * f1s.f) / (1 - one.k.cpu * f1s.f);
  const ratio1 = one.u.mibps / one.k.mibps;
  const worstRel = rows.reduce((w, r) => (rel(r) < rel(w) ? r : w));

  const out: string[] = [];
  out.push(
    "Scenario `scenarios/paper-fig2.yaml`: O_DIRECT reads of 64 MiB from sector 0, 64 transfer sizes × 2 placements × 10 repetitions (seeds differ in the platter's initial angle). Throughput = bytes read × 8 / the benchmark's elapsed time; CPU = the idle-thread meter over the benchmark's run. The only parameter fitted is the drive's per-command overhead, to the kernel's 52 % at 1 sector (docs/calibration.md); every user-level number below is a prediction.",
    "",
    "| target (disk issue) | paper | emulated | tolerance | |",
    "|---|---|---|---|---|",
    `| kernel CPU at 1 sector | 52 % | ${pct(one.k.cpu)} % | ± 3 points (fitted) | ${ok(Math.abs(one.k.cpu - 0.52) <= 0.03)} |`,
    `| user CPU at 1 sector | 61 % | ${pct(one.u.cpu)} % | ± 3 points | ${ok(Math.abs(one.u.cpu - 0.61) <= 0.03)} |`,
    `| throughput, user vs kernel, ≥ 128 sectors | almost indistinguishable | worst ${signed(100 * rel(worstLargeRel))} % (${worstLargeRel.sectors} sectors) | within 3 % relative | ${ok(Math.abs(rel(worstLargeRel)) <= 0.03)} |`,
    `| throughput gap anywhere, vs the kernel plateau (${f2(plateau)} MiB/s) | almost indistinguishable | largest ${f2(gapOf(worstGap))} MiB/s = ${f1((100 * gapOf(worstGap)) / plateau)} % (${worstGap.sectors} sector${worstGap.sectors === 1 ? "" : "s"}) | within 10 % of the plateau | ${ok(Math.abs(gapOf(worstGap)) <= 0.1 * plateau)} |`,
    `| throughput does not fall as the size grows (kernel; user) | rising curves | ${fallsK.length ? fallsK.join(", ") : "no fall"}; ${fallsU.length ? fallsU.join(", ") : "no fall"} | no fall beyond 3 standard errors | ${ok(fallsK.length === 0 && fallsU.length === 0)} |`,
    `| large-size plateau = media rate | — | ${f2(plateau)} MiB/s at 8192 sectors vs ${f2(mediaMibps)} MiB/s (${signed((100 * (plateau - mediaMibps)) / mediaMibps)} %) | within 1 % | ${ok(Math.abs(plateau - mediaMibps) <= 0.01 * mediaMibps)} |`,
    `| CPU, user − kernel, ≥ 128 sectors | almost indistinguishable | largest ${f1(100 * cpuGap(worstLargeCpu))} points (${worstLargeCpu.sectors} sectors) | ≤ 2 points | ${ok(cpuGap(worstLargeCpu) <= 0.02)} |`,
    `| that gap shrinks as the size grows, ≥ 128 sectors | — | ${f1(100 * cpuGap(first128))} points at 128 → ${f1(100 * cpuGap(last))} at 8192; rises ${gapRises.length ? gapRises.join(", ") : "none"} | never rises | ${ok(gapRises.length === 0)} |`,
    `| both CPU curves fall with the size | downward-sloping lines | kernel ${pct(one.k.cpu)} → ${pct(last.k.cpu)} %, user ${pct(one.u.cpu)} → ${pct(last.u.cpu)} %; rises: kernel ${kRises.length ? kRises.join(", ") : "none"}; user ${uRises.length ? uRises.join(", ") : "none"} | never rises | ${ok(kRises.length === 0 && uRises.length === 0)} |`,
    "",
  );

  const sect = (n: number) => `${n} sector${n === 1 ? "" : "s"}`;
  out.push(
    "### The largest gap, and f",
    "",
    `The largest throughput gap in MiB/s is at ${sect(worstGap.sectors)}: ${f2(worstGap.k.mibps)} MiB/s in the kernel, ${f2(worstGap.u.mibps)} MiB/s at user level (${f2(gapOf(worstGap))} MiB/s, ${f1((100 * gapOf(worstGap)) / plateau)} % of the plateau). The largest relative gap is at ${sect(worstRel.sectors)}: ${f2(worstRel.k.mibps)} against ${f2(worstRel.u.mibps)} MiB/s (ratio ${(worstRel.u.mibps / worstRel.k.mibps).toFixed(3)}, ${f2(gapOf(worstRel))} MiB/s). Per read, from traces of these points (first repetition's seed), every busy CPU interval split by whether the drive was working or waiting for the host:`,
    "",
    "| per read (µs) | elapsed | CPU busy | busy while the drive waits (critical path) | busy while the drive works (overlapped) | drive busy | f |",
    "|---|---|---|---|---|---|---|",
  );
  for (const x of fAt) {
    const d = (a: number, b: number) => f2(a - b);
    out.push(
      `| ${sect(x.sectors)}, kernel | ${f2(x.k.elapsedUs)} | ${f2(x.k.busyUs)} | ${f2(x.k.criticalUs)} | ${f2(x.k.overlappedUs)} | ${f2(x.k.driveUs)} | |`,
      `| ${sect(x.sectors)}, user | ${f2(x.u.elapsedUs)} | ${f2(x.u.busyUs)} | ${f2(x.u.criticalUs)} | ${f2(x.u.overlappedUs)} | ${f2(x.u.driveUs)} | |`,
      `| ${sect(x.sectors)}, user − kernel | ${d(x.u.elapsedUs, x.k.elapsedUs)} | ${d(x.u.busyUs, x.k.busyUs)} | ${d(x.u.criticalUs, x.k.criticalUs)} | ${d(x.u.overlappedUs, x.k.overlappedUs)} | ${d(x.u.driveUs, x.k.driveUs)} | **${x.f.toFixed(3)}** |`,
    );
  }
  out.push(
    "",
    `f — the extra user-level CPU time on the critical path over all the extra user-level CPU time — is ${f1s.f.toFixed(3)} at 1 sector and ${fGap.f.toFixed(3)} at ${sect(fGap.sectors)} (from elapsed times instead of the split: ${f1s.fElapsed.toFixed(3)} and ${fGap.fElapsed.toFixed(3)}). With one synchronous request outstanding, the drive cannot start the next command until the reader has been woken, has called read() again and the driver has issued the command; everything the user-level path adds — the loopback post, the switches to and from the driver, its two read() calls on the IRQ file, the stub's mask and the unmask, the ring descriptors and the completion system call — happens in that window, except the driver's last read() on the IRQ file after issuing the command, which overlaps the drive. The relation of the project's fact sheet (docs/calibration.md), ratio = (1 − CPU_user·f) / (1 − CPU_kernel·f) with the emulated CPUs at 1 sector predicts ${predicted.toFixed(3)}; the emulated ratio is ${ratio1.toFixed(3)}.`,
    "",
    `Why the gap in MiB/s peaks at ${sect(worstGap.sectors)} and not at 1: the user path adds a nearly fixed time per read, so the relative gap is largest where a read is shortest, but the absolute gap is that fraction of a throughput that grows with the size; it peaks just before the kernel reaches the media rate. Once the transfer is long enough for the media rate rather than the host's turnaround to bound the stream (${sect(rows.find((r) => r.k.mibps >= 0.99 * plateau)!.sectors)} in the kernel, ${sect(rows.find((r) => r.u.mibps >= 0.99 * plateau)!.sectors)} at user level), the drive's read-ahead buffer absorbs the extra turnaround and both placements deliver the media rate, while the user level's extra CPU per read remains and is spread over more bytes.`,
    "",
  );

  if (gapRises.length || kRises.length || uRises.length) {
    out.push(
      "The CPU rises marked above are where a read stops fitting one 256-sector ATA command (LBA28): a 320-sector read is two requests, two commands and two interrupts for 25 % more data than a 256-sector read, so CPU per byte goes up by the cost of a request and an interrupt, and the user level adds its per-activation work for the extra interrupt. The paper's figure cannot show a rise of a few tenths of a point; the emulation reports it rather than smoothing it away.",
      "",
    );
  }

  out.push(
    "| sectors | kernel MiB/s | user MiB/s | user vs kernel | kernel CPU % | user CPU % | user − kernel (points) |",
    "|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const r of rows) {
    out.push(
      `| ${r.sectors} | ${f2(r.k.mibps)} ± ${f2(r.k.mibpsSd)} | ${f2(r.u.mibps)} ± ${f2(r.u.mibpsSd)} | ${signed(100 * rel(r))} % | ${pct(r.k.cpu)} | ${pct(r.u.cpu)} | ${f1(100 * cpuGap(r))} |`,
    );
  }
  out.push("", "(± is the standard deviation over the 10 repetitions.)");
  return out.join("\n");
}
