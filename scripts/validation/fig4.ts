/**
 * Validation section for the paper's Fig. 4 (§4.2): reruns scenarios/paper-fig4.yaml at full
 * size (100 points: 50 offered loads × 2 placements, 1 s measured after 0.2 s of warm-up),
 * sets the emulated curves beside the paper's stated numbers and the network issue's
 * tolerances, prints the consistency checks (interrupt rate against the hold-off, context
 * switches per activation, drops per stage), explains what limits each peak from the
 * counters, and shows how the user-level prediction moves with the parameters the paper
 * does not give (the socket send buffer, the hold-off, the unfitted costs) — in shorter
 * runs (the scenario's --quick durations), reporting only. Deterministic: fixed seeds, no
 * timings.
 */
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario, type Plan, type PlanPoint } from "../../src/dsl/plan.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { maxPayloadBitsPerS } from "../../src/model/net/ethernet.js";
import { holdoffRegisters, ITR_UNIT_PS } from "../../src/model/net/holdoff.js";
import type { System } from "../../src/model/system.js";
import type { UdpEchoComponent } from "../../src/model/workloads/udp-echo.js";
import { pointSeed } from "../../src/run/identity.js";
import { simulate } from "../../src/run/point.js";

export const title = "Fig. 4 — UDP echo: throughput and CPU, driver in the kernel vs at user level";

type Placement = "kernel" | "user";

interface Result {
  placement: Placement;
  offered: number;
  /** Offered and achieved payload rates, Mb/s. */
  offeredMbps: number;
  thr: number;
  cpu: number;
  irq: number;
  act: number;
  cs: number;
  breakdown: Record<string, number>;
  drops: Record<string, number>;
  sendBlocks: number;
  rcvbuf: number;
  sndbuf: number;
  rxTruesize: number;
  txTruesize: number;
  p50us: number;
  holdoff: { itr: number; rdtr: number; radv: number; tidv: number; tadv: number };
}

const ok = (b: boolean) => (b ? "✓" : "✗");
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const pct = (x: number) => (100 * x).toFixed(1);
const signed = (x: number, digits = 1) => {
  const t = Math.abs(x).toFixed(digits);
  return Number(t) === 0 ? t : `${x > 0 ? "+" : "−"}${t}`;
};
const STAGES = ["switch", "nic_fifo", "rx_ring", "backlog", "socket_rcvbuf", "loopback_ring", "late_reply"] as const;

async function plan(set: string[], quick: boolean): Promise<Plan> {
  const r = await loadScenario(packagePath("scenarios", "paper-fig4.yaml"), { set });
  if (!r.scenario) throw new Error(r.diagnostics.map((d) => d.message).join("; "));
  const p = planScenario(r.scenario, { quick }).plan;
  if (!p) throw new Error("paper-fig4.yaml does not plan");
  return p;
}

/** One point, with the same seed `loopdrv run` gives it. */
async function runPoint(pt: PlanPoint): Promise<Result> {
  let sys: System | undefined;
  const o = await simulate(pt.scenario, pointSeed(pt.scenario.run.seed, pt.params, 0), { afterBuild: (s) => (sys = s) });
  if (o.status !== "ok") throw new Error(`point ${pt.id}: ${o.status} ${o.error ?? ""}`);
  const m = o.metrics as {
    offered_bits_per_s: number;
    throughput_bits_per_s: number;
    cpu_utilization: number;
    interrupts_per_s: number;
    driver_activations_per_s: number;
    context_switches_per_s: number;
    cpu_breakdown: Record<string, number>;
    drops: Record<string, number>;
    latency_s?: { p50: number };
  };
  const d = (sys!.components.get("workload") as UdpEchoComponent).diagnostics();
  return {
    placement: pt.scenario.devices.eth0!.driver.placement,
    offered: pt.scenario.workload.offered_load as number,
    offeredMbps: m.offered_bits_per_s / 1e6,
    thr: m.throughput_bits_per_s / 1e6,
    cpu: m.cpu_utilization,
    irq: m.interrupts_per_s,
    act: m.driver_activations_per_s,
    cs: m.context_switches_per_s,
    breakdown: m.cpu_breakdown,
    drops: m.drops,
    sendBlocks: d.sendBlocks,
    rcvbuf: d.rcvbuf,
    sndbuf: d.sndbuf,
    rxTruesize: d.rxTruesize,
    txTruesize: d.txTruesize,
    p50us: (m.latency_s?.p50 ?? 0) * 1e6,
    holdoff: pt.scenario.devices.eth0!.holdoff as Result["holdoff"],
  };
}

async function runAll(set: string[], quick: boolean): Promise<Result[]> {
  const p = await plan(set, quick);
  const out: Result[] = [];
  for (const pt of p.points) out.push(await runPoint(pt));
  return out;
}

/** Both placements at each of `loads` (--quick durations), with `set` applied. */
async function runLoads(set: string[], loads: string[]): Promise<Result[]> {
  const out: Result[] = [];
  for (const load of loads) out.push(...(await runAll([...set, `workload.offered_load=${load}`], true)));
  return out;
}

function curve(rs: Result[], placement: Placement): Result[] {
  return rs.filter((r) => r.placement === placement).sort((a, b) => a.offered - b.offered);
}

/** The point of the highest throughput; of equal ones (within 0.1 %), the lowest load. */
function peakOf(c: Result[]): Result {
  const top = Math.max(...c.map((r) => r.thr));
  return c.find((r) => r.thr >= top * 0.999)!;
}

/** The last load (in order) at which achieved = offered within 1 %. */
function kneeOf(c: Result[]): Result {
  let knee = c[0]!;
  for (const r of c) if (Math.abs(r.thr / r.offeredMbps - 1) <= 0.01) knee = r;
  return knee;
}

function nearest(c: Result[], mbps: number): Result {
  return c.reduce((best, r) => (Math.abs(r.offered / 1e6 - mbps) < Math.abs(best.offered / 1e6 - mbps) ? r : best));
}

const dropText = (r: Result) => {
  const parts = STAGES.filter((s) => (r.drops[s] ?? 0) > 0).map((s) => `${s} ${r.drops[s]}`);
  return parts.length ? parts.join(", ") : "none";
};

export async function section(): Promise<string> {
  const all = await runAll([], false);
  const k = curve(all, "kernel");
  const u = curve(all, "user");
  const kPeak = peakOf(k);
  const uPeak = peakOf(u);
  const wire = maxPayloadBitsPerS(1024, 1e9) / 1e6;
  const first = all[0]!;

  // Below the knee: achieved = offered within 1 % up to 700 Mb/s.
  const below = (c: Result[]) => c.filter((r) => r.offered <= 700e6).reduce((w, r) => Math.max(w, Math.abs(r.thr / r.offeredMbps - 1)), 0);
  const belowK = below(k);
  const belowU = below(u);
  // Past the peak.
  const lastK = k[k.length - 1]!;
  const lastU = u[u.length - 1]!;
  const pastK = lastK.thr / kPeak.thr;
  const pastU = lastU.thr / uPeak.thr;
  const rises = (c: Result[], peak: Result) => {
    const after = c.filter((r) => r.offered > peak.offered);
    const out: string[] = [];
    for (let i = 1; i < after.length; i++) if (after[i]!.thr > after[i - 1]!.thr + 0.5) out.push(`${after[i - 1]!.offered / 1e6}→${after[i]!.offered / 1e6}`);
    return out;
  };
  const risesK = rises(k, kPeak);
  const risesU = rises(u, uPeak);
  const maxThr = Math.max(...all.map((r) => r.thr));
  // CPU.
  const k720 = nearest(k, 720);
  const u720 = nearest(u, 720);
  const gap720 = u720.cpu - k720.cpu;
  const gaps = k.filter((r) => r.offered <= 720e6).map((r) => ({ off: r.offered / 1e6, gap: nearest(u, r.offered / 1e6).cpu - r.cpu }));
  const worstGap = gaps.reduce((w, g) => (g.gap > w.gap ? g : w));
  const gap100 = nearest(u, 100).cpu - nearest(k, 100).cpu;
  const cpuFalls = (c: Result[], peak: Result) => {
    const upTo = c.filter((r) => r.offered <= peak.offered);
    const out: string[] = [];
    for (let i = 1; i < upTo.length; i++) if (upTo[i]!.cpu < upTo[i - 1]!.cpu - 0.0005) out.push(`${upTo[i - 1]!.offered / 1e6}→${upTo[i]!.offered / 1e6}`);
    return out;
  };
  const fallsK = cpuFalls(k, kPeak);
  const fallsU = cpuFalls(u, uPeak);

  const itrRate = 1e12 / (holdoffRegisters(first.holdoff).itr * ITR_UNIT_PS);
  const rcvPackets = Math.ceil(first.rcvbuf / first.rxTruesize) - 1;
  const knee = (rcvPackets * itrRate * 1024 * 8) / 1e6;
  const txPackets = Math.ceil(first.sndbuf / first.txTruesize);

  const out: string[] = [];
  out.push(
    "Scenario `scenarios/paper-fig4.yaml`: four ipbench clients send 1024-byte UDP packets, evenly paced, through a switch to the target; an echo server returns them. Throughput = payload echoed back in time per second of the 1 s window; CPU = the idle-thread meter. Interrupt hold-off: ITR 2000/s (the Linux 2.6.6 e1000's dynamic throttle for echo traffic; RDTR 0, TIDV/TADV 64 µs); the echo server asks for 256 KiB socket buffers, which Linux 2.6.6 caps at 65535 and doubles. Fitted to the in-kernel curve only: the socket buffer request (to the kernel peak) and one scale factor on the network stack's per-packet costs (to the kernel's 57 % at 720 Mb/s) — docs/calibration.md. Every user-level number is a prediction.",
    "",
    "| target (network issue) | paper | emulated | tolerance | |",
    "|---|---|---|---|---|",
    `| below the knee, achieved = offered up to 700 Mb/s (kernel; user) | equal | worst ${f2(100 * belowK)} %; ${f2(100 * belowU)} % | within 1 % | ${ok(belowK <= 0.01 && belowU <= 0.01)} |`,
    `| kernel peak | 850 Mb/s | ${f1(kPeak.thr)} Mb/s at ${kPeak.offered / 1e6} offered (${signed((100 * (kPeak.thr - 850)) / 850)} %) | ± 3 % | ${ok(Math.abs(kPeak.thr - 850) <= 0.03 * 850)} |`,
    `| user peak | 790 Mb/s | ${f1(uPeak.thr)} Mb/s at ${uPeak.offered / 1e6} offered (${signed((100 * (uPeak.thr - 790)) / 790)} %) | ± 4 % | ${ok(Math.abs(uPeak.thr - 790) <= 0.04 * 790)} |`,
    `| user / kernel peak | 0.93 | ${(uPeak.thr / kPeak.thr).toFixed(3)} | ± 0.04 | ${ok(Math.abs(uPeak.thr / kPeak.thr - 0.93) <= 0.04)} |`,
    `| past the peak: at the highest load, share of own peak (kernel; user) | drops slightly | ${f1(100 * pastK)} %; ${f1(100 * pastU)} % | 90–100 % | ${ok(pastK >= 0.9 && pastK <= 1 + 1e-9 && pastU >= 0.9 && pastU <= 1 + 1e-9)} |`,
    `| past the peak the curve does not rise again | — | rises: kernel ${risesK.length ? risesK.join(", ") : "none"}; user ${risesU.length ? risesU.join(", ") : "none"} | none | ${ok(risesK.length === 0 && risesU.length === 0)} |`,
    `| never above wire speed | ≤ 939.4 Mb/s | highest ${f1(maxThr)} Mb/s | ≤ ${f1(wire)} | ${ok(maxThr <= wire)} |`,
    `| kernel CPU at ${k720.offered / 1e6} Mb/s | 57 % | ${pct(k720.cpu)} % | ± 3 points (fitted) | ${ok(Math.abs(k720.cpu - 0.57) <= 0.03)} |`,
    `| user CPU at ${u720.offered / 1e6} Mb/s | 61 % | ${pct(u720.cpu)} % | ± 3 points | ${ok(Math.abs(u720.cpu - 0.61) <= 0.03)} |`,
    `| CPU gap user − kernel at ${k720.offered / 1e6} Mb/s | 4 points | ${f1(100 * gap720)} points | ± 1 | ${ok(Math.abs(gap720 - 0.04) <= 0.01)} |`,
    `| largest gap up to 720 Mb/s | 4 points (at 720) | ${f1(100 * worstGap.gap)} points at ${worstGap.off} | ≤ 5 points | ${ok(worstGap.gap <= 0.05)} |`,
    `| gap at 100 Mb/s below the gap at 720 | — | ${f1(100 * gap100)} < ${f1(100 * gap720)} points | smaller | ${ok(gap100 < gap720)} |`,
    `| CPU rises with the load up to the peak (kernel; user) | rising | falls: ${fallsK.length ? fallsK.join(", ") : "none"}; ${fallsU.length ? fallsU.join(", ") : "none"} | never falls | ${ok(fallsK.length === 0 && fallsU.length === 0)} |`,
    "",
  );

  // ---- consistency
  const sample = [10, 100, 500, 720, 850, 1000];
  out.push(
    "### Consistency",
    "",
    `Interrupts per second against the hold-off: ITR = 1953 × 256 ns, at most ${f1(itrRate)} interrupts/s. Below about 1,200 packets/s an interrupt serves a single packet (and its reply's transmit write-back raises another), so the rate is below the throttle there. Context switches per driver activation: a user-level activation is two switches (into the driver and out of it); the in-kernel driver has no activations, and its two switches per interrupt are the echo server's (woken by the soft IRQ, then back to the idle meter).`,
    "",
    "| offered Mb/s | kernel interrupts/s | user interrupts/s | user activations/s | user activations per interrupt | user switches per activation | kernel switches per interrupt | user switches per interrupt |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const s of sample) {
    const a = nearest(k, s);
    const b = nearest(u, s);
    out.push(
      `| ${s} | ${a.irq.toFixed(0)} | ${b.irq.toFixed(0)} | ${b.act.toFixed(0)} | ${f2(b.act / b.irq)} | ${f2(b.cs / b.act)} | ${f2(a.cs / a.irq)} | ${f2(b.cs / b.irq)} |`,
    );
  }

  const kKnee = kneeOf(k);
  const uKnee = kneeOf(u);
  const dropsUpTo = (c: Result[], knee: Result) => c.filter((r) => r.offered <= knee.offered).reduce((n, r) => n + STAGES.reduce((m, s) => m + (r.drops[s] ?? 0), 0), 0);
  const firstPast = (c: Result[], knee: Result) => c.find((r) => r.offered > knee.offered)!;
  const aboveWire = (c: Result[]) => c.filter((r) => r.offered > wire * 1e6);
  out.push(
    "",
    `Drops per stage. Up to the knee — the last load achieved in full, ${kKnee.offered / 1e6} Mb/s in the kernel, ${uKnee.offered / 1e6} Mb/s at user level — nothing is dropped anywhere (kernel: ${dropsUpTo(k, kKnee)} drops, user: ${dropsUpTo(u, uKnee)}). At the next load (${firstPast(k, kKnee).offered / 1e6} Mb/s) only the stage named as the limit below drops: kernel ${dropText(firstPast(k, kKnee))}; user ${dropText(firstPast(u, uKnee))}. Above wire speed (offered > ${f1(wire)} Mb/s of payload) the switch drops too: ${aboveWire(k).map((r) => `${r.offered / 1e6}: switch ${r.drops.switch}`).join(", ")} (kernel; the same in user). Past the knee, each stage's share of the packets lost in the window:`,
    "",
    "| placement | offered Mb/s | achieved Mb/s | CPU % | " + STAGES.join(" | ") + " | sendto() blocked |",
    "|---|---:|---:|---:|" + STAGES.map(() => "---:").join("|") + "|---:|",
  );
  for (const [c, peak] of [
    [k, kPeak],
    [u, uPeak],
  ] as const) {
    for (const r of c.filter((x) => x.offered > kneeOf(c).offered || x === peak)) {
      const lost = STAGES.reduce((m, s) => m + (r.drops[s] ?? 0), 0);
      const share = (s: string) => (lost ? `${r.drops[s] ?? 0} (${f1((100 * (r.drops[s] ?? 0)) / lost)} %)` : "0");
      out.push(`| ${r.placement} | ${r.offered / 1e6} | ${f1(r.thr)} | ${pct(r.cpu)} | ${STAGES.map(share).join(" | ")} | ${r.sendBlocks} |`);
    }
  }

  // ---- what limits the peaks
  const kp = kPeak;
  const up = uPeak;
  out.push(
    "",
    "### What limits each peak",
    "",
    `Neither peak is set by the CPU: at its peak the kernel runs at ${pct(kp.cpu)} % and the user level at ${pct(up.cpu)} %. With hold-off, packets arrive in bursts of one throttle interval (${f1(((kp.offered / 8192) * 1) / itrRate)} packets per interrupt at ${kp.offered / 1e6} Mb/s), and the NET_RX soft IRQ puts a whole burst into the echo server's socket before the server runs. The socket's receive buffer is ${first.rcvbuf} bytes (256 KiB asked, capped at rmem_max 65535, doubled) and counts each packet at its buffer's truesize, ${first.rxTruesize} bytes (2 KB receive buffer + 16 + 2, rounded to 128-byte cache lines, + 256 of sk_buff): ${rcvPackets} packets fit. The knee is therefore ${rcvPackets} × ${f1(itrRate)} interrupts/s × 8192 bits = ${f1(knee)} Mb/s; beyond it, the packets of a burst that do not fit are dropped at \`socket_rcvbuf\` after the CPU has taken them through the driver, netif_rx, IP and UDP. The CPU that dropped packets waste grows with the load (${pct(kPeak.cpu)} % at the kernel's peak, ${pct(lastK.cpu)} % at ${lastK.offered / 1e6} Mb/s) but never takes the echo server's time, so the emulated curves stay flat rather than dropping slightly as the paper's do.`,
    "",
    `The send buffer (${first.sndbuf} bytes, ${txPackets} transmit buffers of truesize ${first.txTruesize}) does not limit either placement here: replies are reclaimed at the next interrupt, and the user-level driver, which puts a burst's replies on the NIC only after the echo server has blocked, still has them fetched into the NIC's transmit FIFO in time (sendto() never blocked: ${up.sendBlocks}). A smaller send buffer, which the kernel curve cannot rule out, lowers only the user-level peak (next table: 780–800 Mb/s with 40–44 KiB asked, while the kernel stays at the knee): the user path posts a burst's replies only after the echo server has blocked, so more send-buffer memory is still in flight at the next interrupt; the echo server blocks in sendto() while the next burst overflows its receive buffer. That is the emulation's account of the paper's 790 Mb/s. The scenario keeps the system maximum because nothing on the kernel side points elsewhere; the miss is reported, not tuned away.`,
    "",
  );

  // ---- sensitivity (quick runs)
  const loads = ["700 Mb/s", "740 Mb/s", "760 Mb/s", "780 Mb/s", "800 Mb/s", "820 Mb/s", "840 Mb/s", "860 Mb/s", "880 Mb/s", "1000 Mb/s"];
  out.push(
    "### Sensitivity of the user-level prediction",
    "",
    "Shorter runs (0.1 s measured, the scenario's --quick), reporting only; nothing below was used to choose a parameter. The user-level peak against the echo server's send-buffer request (the receive buffer stays at 256 KiB asked; any send request ≥ 64 KiB gives the same 131070 bytes). The kernel curve admits every request from 40 KiB up (its peak stays at the knee), so it cannot pin the send buffer down:",
    "",
    "| sndbuf asked | sndbuf (bytes) | transmit buffers | kernel peak Mb/s | user peak Mb/s | user / kernel | user at the highest load, Mb/s |",
    "|---|---:|---:|---:|---:|---:|---:|",
  );
  for (const sb of ["32 KiB", "40 KiB", "44 KiB", "48 KiB", "52 KiB", "56 KiB", "256 KiB"]) {
    const rs = await runLoads([`workload.sndbuf=${sb}`], loads);
    const kk = peakOf(curve(rs, "kernel"));
    const uu = peakOf(curve(rs, "user"));
    const uc = curve(rs, "user");
    out.push(`| ${sb} | ${rs[0]!.sndbuf} | ${Math.ceil(rs[0]!.sndbuf / rs[0]!.txTruesize)} | ${f1(kk.thr)} | ${f1(uu.thr)} | ${(uu.thr / kk.thr).toFixed(3)} | ${f1(uc[uc.length - 1]!.thr)} |`);
  }

  out.push(
    "",
    "The CPU gap at 720 Mb/s against the costs the kernel curve cannot separate (each changed alone, nothing refitted), and against the hold-off choice:",
    "",
    "| variant | kernel CPU at 720 % | user CPU at 720 % | gap (points) | kernel peak Mb/s | user peak Mb/s |",
    "|---|---:|---:|---:|---:|---:|",
  );
  const variants: [string, string[]][] = [
    ["as calibrated", []],
    ["context_switch 1350 cycles (1.5 µs)", ["machine.costs.context_switch=1350 cycles"]],
    ["context_switch 4500 cycles (5 µs)", ["machine.costs.context_switch=4500 cycles"]],
    ["cache_refill 1000 cycles", ["machine.costs.cache_refill=1000 cycles"]],
    ["net_ring_entry halved (14 cycles)", ["machine.costs.net_ring_entry=14 cycles"]],
    ["net_ring_entry doubled (54 cycles)", ["machine.costs.net_ring_entry=54 cycles"]],
    ["sem_up doubled (200 cycles)", ["machine.costs.sem_up=200 cycles"]],
    ["ITR 4000/s, no setsockopt (65535-byte buffers)", ["devices.eth0.holdoff.itr=4000/s", "workload.rcvbuf=0 B", "workload.sndbuf=0 B"]],
    ["ITR 8000/s", ["devices.eth0.holdoff.itr=8000/s"]],
  ];
  for (const [name, set] of variants) {
    const rs = await runLoads(set, [...loads.slice(0, 1), "720 Mb/s", ...loads.slice(1)]);
    const kc = curve(rs, "kernel");
    const uc = curve(rs, "user");
    const a = nearest(kc, 720);
    const b = nearest(uc, 720);
    out.push(`| ${name} | ${pct(a.cpu)} | ${pct(b.cpu)} | ${f1(100 * (b.cpu - a.cpu))} | ${f1(peakOf(kc).thr)} | ${f1(peakOf(uc).thr)} |`);
  }

  // ---- the curves
  out.push(
    "",
    "### The curves",
    "",
    "| offered Mb/s | kernel Mb/s | user Mb/s | kernel CPU % | user CPU % | user − kernel (points) | kernel drops | user drops | median latency kernel / user (µs) |",
    "|---:|---:|---:|---:|---:|---:|---|---|---:|",
  );
  for (const a of k) {
    const b = u.find((r) => r.offered === a.offered)!;
    out.push(
      `| ${a.offered / 1e6} | ${f1(a.thr)} | ${f1(b.thr)} | ${pct(a.cpu)} | ${pct(b.cpu)} | ${f1(100 * (b.cpu - a.cpu))} | ${dropText(a)} | ${dropText(b)} | ${a.p50us.toFixed(0)} / ${b.p50us.toFixed(0)} |`,
    );
  }
  const bk = (r: Result) => Object.entries(r.breakdown).map(([c, v]) => `${c} ${pct(v)}`).join(", ");
  out.push("", `CPU breakdown at ${k720.offered / 1e6} Mb/s (exact accounting, % of the CPU): kernel — ${bk(k720)}; user — ${bk(u720)}.`);
  return out.join("\n");
}
