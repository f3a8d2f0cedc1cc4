import { expect } from "chai";
import type { Curve } from "../../src/report/axes.js";
import { figureDataOfDoc } from "../../src/report/figure-data.js";
import { compareWithReference, valueAt } from "../../src/report/reference.js";
import { buildSummary, summaryLines } from "../../src/report/summary.js";
import { fig2Metrics, fig4Metrics, syntheticDoc } from "./synthetic.js";

describe("reference overlays", () => {
  it("converts the paper's stated values to SI and attaches them to the run's series", async () => {
    const fig = figureDataOfDoc(await syntheticDoc("paper-fig4.yaml", fig4Metrics));
    const pts = fig.overlay!.points.map((p) => [p.series, p.metric, p.x, p.y]);
    expect(pts).to.deep.equal([
      ["kernel", "throughput_bits_per_s", 850e6, 850e6],
      ["kernel", "cpu_utilization", 720e6, 0.57],
      ["user", "throughput_bits_per_s", 790e6, 790e6],
      ["user", "cpu_utilization", 720e6, 0.61],
    ]);
    const keys = new Set(fig.curves.map((c) => c.key));
    for (const p of fig.overlay!.points) expect(keys.has(p.seriesKey!)).to.equal(true);
    expect(fig.overlay!.provenance).to.match(/Leslie et al\./);
  });

  it("compares each stated value with the run's value at the same x", async () => {
    const fig = figureDataOfDoc(await syntheticDoc("paper-fig4.yaml", fig4Metrics));
    const kernelCpu = fig.comparisons.find((c) => c.point.series === "kernel" && c.point.metric === "cpu_utilization")!;
    expect(kernelCpu.run).to.be.closeTo(0.79 * 0.72, 1e-12);
    expect(kernelCpu.runX).to.equal(undefined);
  });

  it("compares a stated peak with the run's peak, wherever the sweep puts it", async () => {
    // A run whose user-level throughput peaks higher and later than the paper's.
    const fig = figureDataOfDoc(
      await syntheticDoc("paper-fig4.yaml", (p, i) => {
        const m = fig4Metrics(p, i)!;
        const load = p["workload.offered_load"] as number;
        return p["devices.eth0.driver.placement"] === "user" ? { ...m, throughput_bits_per_s: Math.min(load, 868e6) } : m;
      }),
    );
    const userPeak = fig.comparisons.find((c) => c.point.series === "user" && c.point.metric === "throughput_bits_per_s")!;
    expect(userPeak.point.peak).to.equal(true);
    expect(userPeak.run).to.equal(868e6);
    expect(userPeak.runX).to.equal(880e6);
    expect(userPeak.relative).to.be.closeTo(868 / 790 - 1, 1e-12);
  });

  it("compares no peak of a curve whose sweep did not finish (the maximum of part of it is not the run's peak)", async () => {
    // Stopped part-way: the kernel's points above 300 Mb/s did not run; the user's all did.
    const fig = figureDataOfDoc(
      await syntheticDoc("paper-fig4.yaml", (p, i) =>
        p["devices.eth0.driver.placement"] === "kernel" && (p["workload.offered_load"] as number) > 300e6 ? undefined : fig4Metrics(p, i),
      ),
    );
    const peak = (series: string) => fig.comparisons.find((c) => c.point.series === series && c.point.peak)!;
    expect(peak("kernel").run).to.equal(undefined);
    expect(peak("user").run).to.be.a("number");
  });

  it("interpolates between neighbouring sweep values and says nothing outside the sweep", () => {
    const c: Curve = { key: "k", label: "kernel", metric: "m", points: [{ id: "a", x: 100, y: 1 }, { id: "b", x: 200, y: 3 }] };
    expect(valueAt(c, 150)).to.equal(2);
    expect(valueAt(c, 200)).to.equal(3);
    expect(valueAt(c, 250)).to.equal(undefined);
    expect(valueAt(c, 50)).to.equal(undefined);
  });

  it("only overlays values on the figure's y metrics (Fig. 2 states CPU at one transfer size)", async () => {
    const fig = figureDataOfDoc(await syntheticDoc("paper-fig2.yaml", fig2Metrics));
    expect(fig.overlay!.points.map((p) => [p.series, p.metric, p.x, p.y])).to.deep.equal([
      ["kernel", "cpu_utilization", 512, 0.52],
      ["user", "cpu_utilization", 512, 0.61],
    ]);
    expect(compareWithReference(fig.overlay!, fig.curves).map((c) => c.run)).to.deep.equal([0.52, 0.61]);
  });

  it("says so when the reference is stated against another x axis", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", fig4Metrics);
    doc.scenario.normalised.figure = { x: "workload.offered_load" };
    doc.scenario.normalised.reference = "paper-fig2";
    const fig = figureDataOfDoc(doc);
    expect(fig.overlay!.points).to.deep.equal([]);
    expect(fig.overlay!.notes).to.deep.equal(["paper-fig2 is stated against workload.transfer_size; this run's x axis is workload.offered_load"]);
  });
});

describe("the run summary", () => {
  it("lists key results per series, the reference comparison and the files written", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", fig4Metrics);
    const s = buildSummary(doc, figureDataOfDoc(doc), { written: ["out/results.json"], wallSeconds: 12.34, json: false });
    expect(summaryLines(s)).to.deep.equal([
      "paper-fig4: 100 ok of 100 points in 12.3 s",
      "key results, against offered load:",
      "  kernel  throughput peak 850 Mb/s at 850 Mb/s; CPU 0.8% at 10 Mb/s … 79.0% at 1 Gb/s",
      "  user    throughput peak 790 Mb/s at 790 Mb/s; CPU 0.9% at 10 Mb/s … 85.0% at 1 Gb/s",
      "reference paper-fig4 (Leslie et al., “User-Level Device Drivers: Achieved Performance”, 2005, §4.2 and Fig. 4):",
      "  kernel peak throughput: paper 850 Mb/s, run 850 Mb/s at 850 Mb/s (±0.0%) — peak (text)",
      "  kernel CPU at offered load 720 Mb/s: paper 57.0%, run 56.9% (−0.1 pt) — about 57 % (4 points below user, a 7 % increase)",
      "  user peak throughput: paper 790 Mb/s, run 790 Mb/s at 790 Mb/s (±0.0%) — peak, 93 % of kernel (text)",
      "  user CPU at offered load 720 Mb/s: paper 61.0%, run 61.2% (+0.2 pt) — largest CPU gap, 4 points (text)",
      "  paper: below the knee achieved = offered for both placements",
      "  paper: past the peak throughput drops slightly as offered load grows",
      "  (the claims are quoted, not checked here: docs/validation.md compares the model with each)",
      "wrote out/results.json",
    ]);
  });

  it("says which points did not run and why, and that the results are partial", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", (p, i) => (i < 3 ? fig4Metrics(p, i) : undefined));
    const s = buildSummary(doc, figureDataOfDoc(doc), { written: [], wallSeconds: 1, json: true, stoppedBy: "q" });
    expect(summaryLines(s)[0]).to.equal("paper-fig4: 3 ok, 97 not run (stopped by q) of 100 points in 1.0 s — partial results");
    expect(summaryLines(s)).not.to.include("(no files written: add --out DIR or --json)");
    // The paper's peaks are not compared with the maximum of the few points that ran.
    expect(summaryLines(s)).to.include("  kernel peak throughput: paper 850 Mb/s, not compared: the run stopped before this series finished — peak (text)");
  });

  it("say where each series starts to drop packets, and at which stage most of them go", async () => {
    const withDrops = (p: Record<string, unknown>, i: number) => {
      const m = fig4Metrics(p, i)!;
      const load = p["workload.offered_load"] as number;
      return { ...m, drops: { socket_rcvbuf: load > 8.6e8 ? 500 : 0, rx_ring: load > 9.5e8 ? 3 : 0, late_reply: 0 } };
    };
    const doc = await syntheticDoc("paper-fig4.yaml", withDrops);
    const lines = summaryLines(buildSummary(doc, figureDataOfDoc(doc), { written: [], wallSeconds: 1, json: true }));
    expect(lines.find((l) => l.startsWith("  kernel "))).to.match(/; drops from 880 Mb\/s \(socket_rcvbuf\)$/);
    const none = await syntheticDoc("paper-fig4.yaml", fig4Metrics);
    expect(summaryLines(buildSummary(none, figureDataOfDoc(none), { written: [], wallSeconds: 1, json: true })).join("\n")).not.to.include("drops from");
  });

  it("counts the work a driver fault lost in what the workload moves: requests, or packets", async () => {
    const faulty = (lost: number) => () => ({ throughput_bits_per_s: 1e8, cpu_utilization: 0.1, fault: { injected: 1, restarts: 1, detect_s: 1e-5, recover_s: 2e-3, outage_s: 2e-3, outage_throughput_bits_per_s: 0 }, drops: { driver_fault: lost } });
    for (const [file, lost, text] of [["ide-user-crash.yaml", 1, "lost 1 request;"], ["ide-user-crash.yaml", 3, "lost 3 requests;"], ["gige-user-crash.yaml", 141, "lost 141 packets;"]] as const) {
      const doc = await syntheticDoc(file, faulty(lost));
      const lines = summaryLines(buildSummary(doc, figureDataOfDoc(doc), { written: [], wallSeconds: 1, json: true }));
      expect(lines.join("\n"), file).to.include(text);
    }
  });

  it("says how many faults struck, and that none did when the fault falls after the run", async () => {
    const withFaults = (injected: number) => () => ({ throughput_bits_per_s: 1e8, cpu_utilization: 0.1, fault: { injected, restarts: injected }, drops: { driver_fault: 0 } });
    const line = async (injected: number) => {
      const doc = await syntheticDoc("gige-user-crash.yaml", withFaults(injected));
      return summaryLines(buildSummary(doc, figureDataOfDoc(doc), { written: [], wallSeconds: 1, json: true })).join("\n");
    };
    expect(await line(3)).to.include("; faults 3;");
    expect(await line(0)).to.include("faults 0 (none struck in the measurement window)");
  });

  it("marks a crashed point (a simulated kernel crash) on its key-results line", async () => {
    const doc = await syntheticDoc("gige-kernel-crash.yaml", () => ({ throughput_bits_per_s: 5e8, cpu_utilization: 0.4, fault: { injected: 1, restarts: 0 }, drops: { driver_fault: 33 } }));
    doc.points[0]!.status = "crashed";
    const lines = summaryLines(buildSummary(doc, figureDataOfDoc(doc), { written: [], wallSeconds: 1, json: true }));
    expect(lines.filter((l) => l.includes("(crashed)"))).to.have.length(1);
  });
});
