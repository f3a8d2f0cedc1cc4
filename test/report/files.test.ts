import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { expect } from "chai";
import { runCli } from "../../cli/app.js";
import { memoryIo } from "../../cli/io.js";
import { metricsProduced } from "../../src/dsl/metrics.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { resultsCsv } from "../../src/report/csv.js";
import { figureDataOfDoc } from "../../src/report/figure-data.js";
import { figureSpec, logTicks, niceTicks, renderPng, renderSvg, wrap } from "../../src/report/figure.js";
import { writeOutputs } from "../../src/report/outputs.js";
import type { ResultsDocument } from "../../src/run/results.js";
import { fig2Metrics, fig4Metrics, syntheticDoc } from "./synthetic.js";

const SMOKE = path.join("scenarios", "core-smoke.yaml");
const tmp = () => mkdtempSync(path.join(tmpdir(), "loopdrv-files-"));

async function cli(args: string[]) {
  const io = memoryIo({});
  const code = await runCli(args, { ...io, cwd: packagePath() });
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** Element nesting of an XML text: throws on a closing tag that does not match. */
function checkWellFormed(xml: string): number {
  const stack: string[] = [];
  let elements = 0;
  const body = xml.replace(/<!--[\s\S]*?-->/g, "");
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g)) {
    const [, close, name, , self] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!self) stack.push(name!);
    if (!close) elements++;
  }
  if (stack.length) throw new Error(`unclosed: ${stack.join(" > ")}`);
  return elements;
}

describe("results.csv", () => {
  it("has one row per point and one column per parameter and metric, nested metrics flattened with dots", async () => {
    const r = await cli(["run", SMOKE, "--quick", "--json", "--quiet", "--no-cache"]);
    const doc = JSON.parse(r.stdout);
    const lines = resultsCsv(doc).split("\r\n");
    expect(lines.pop()).to.equal("");
    const header = lines[0]!.split(",");
    expect(header.slice(0, 4)).to.deep.equal(["id", "status", "devices.tick.driver.placement", "devices.tick.rate"]);
    expect(header).to.include.members(["cpu_utilization", "cpu_breakdown.irq", "cpu_breakdown.idle", "interrupts_per_s", "system_calls_per_s"]);
    expect(header[header.length - 1]).to.equal("error");
    expect(lines).to.have.length(1 + doc.points.length);
    const row = lines[1]!.split(",");
    expect(row.slice(0, 4)).to.deep.equal(["p0", "ok", "kernel", "1000"]);
    expect(Number(row[header.indexOf("cpu_utilization")])).to.equal(doc.points[0].metrics.cpu_utilization);
    expect(Number(row[header.indexOf("cpu_breakdown.irq")])).to.equal(doc.points[0].metrics.cpu_breakdown.irq);
  });

  it("quotes what needs quoting and leaves missing values empty", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", (_p, i) => (i === 0 ? undefined : { cpu_utilization: 0.5 }));
    doc.points[1]!.metrics = { cpu_utilization: 0.5, drops: { backlog: 3 } };
    doc.points[0]!.error = 'stopped, "early"';
    const lines = resultsCsv(doc).split("\r\n");
    expect(lines[0]).to.equal("id,status,devices.eth0.driver.placement,workload.offered_load,cpu_utilization,drops.backlog,error");
    expect(lines[1]).to.equal('p00,not-run,kernel,10000000,,,"stopped, ""early"""');
    expect(lines[2]).to.equal("p01,ok,kernel,50000000,0.5,3,");
  });
});

describe("metrics each workload reports (metricsProduced)", () => {
  it("covers every metric of every scenario snapshot, so no check of a real metric is refused", () => {
    const dir = packagePath("test", "snapshots");
    const flat = (o: Record<string, unknown>, p = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v === "object" && !Array.isArray(v) ? flat(v as Record<string, unknown>, `${p}${k}.`) : [`${p}${k}`]));
    for (const f of readdirSync(dir)) {
      const doc = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as ResultsDocument;
      const n = doc.scenario.normalised;
      const produced = metricsProduced((n.workload as { type: string }).type, n.faults !== undefined)!;
      const seen = new Set(doc.points.flatMap((p) => flat(p.metrics as Record<string, unknown>)));
      expect([...seen].filter((m) => !produced.has(m)), f).to.deep.equal([]);
    }
  });
});

describe("figures", () => {
  it("show throughput and CPU on two y axes, kernel solid and user dashed, the reference marked", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", fig4Metrics);
    const spec = figureSpec(doc, figureDataOfDoc(doc))! as Record<string, any>;
    expect(spec.resolve).to.deep.equal({ scale: { y: "independent" } });
    expect(spec.layer).to.have.length(2);
    const [left, right] = spec.layer.map((l: any) => l.layer[0]);
    expect(left.encoding.y.title).to.equal("throughput (Mb/s)");
    expect(left.encoding.y.axis.orient).to.equal("left");
    expect(right.encoding.y.title).to.equal("CPU utilisation (%)");
    expect(right.encoding.y.axis.orient).to.equal("right");
    expect(left.encoding.strokeDash.scale).to.deep.equal({ domain: ["kernel", "user"], range: [[1, 0], [7, 4]] });
    expect(left.encoding.x.title).to.equal("offered load (Mb/s)");
    const refs = spec.data.values.filter((r: any) => r.kind === "reference");
    expect(refs.map((r: any) => [r.series, r.metric, r.x, r.y])).to.deep.equal([
      ["kernel", "throughput_bits_per_s", 850e6, 850],
      ["user", "throughput_bits_per_s", 790e6, 790],
      ["kernel", "cpu_utilization", 720e6, 57],
      ["user", "cpu_utilization", 720e6, 61],
    ]);
    // Kernel (solid) first, user level (dashed, hollow markers) drawn over it, so that where
    // the curves coincide the user curve still shows; then the stated values.
    const marks = spec.layer[0].layer.map((l: any) => [l.mark.type, l.transform[0].filter]);
    expect(marks[0][1]).to.include("datum.placement !== 'user'");
    expect(marks[1][1]).to.include("datum.placement === 'user'");
    // The hollow markers are a layer of their own, without the dash (a line's point overlay
    // takes its dash and drew broken rings).
    expect(marks[2]).to.deep.equal(["point", marks[1][1]]);
    expect(spec.layer[0].layer[2].mark.filled).to.equal(false);
    expect(spec.layer[0].layer[2].encoding.strokeDash).to.equal(undefined);
    expect(spec.layer[0].layer[3].mark.shape).to.equal("diamond");
    expect(spec.layer[0].layer[4].mark.shape).to.equal("diamond");
    // A stated peak is a rule, never a diamond: the paper gives the maximum, not where it falls.
    for (const l of spec.layer[0].layer.filter((l: any) => l.mark.shape === "diamond")) expect(l.transform[0].filter).to.include("!datum.peak");
    // Legend labels are never cut (they carry the values that tell series apart).
    expect(left.encoding.color.legend.labelLimit).to.equal(0);
  });

  it("say in the subtitle what a --set fixed, so two runs of one file are told apart", async () => {
    const doc = await syntheticDoc("gige-user.yaml", fig4Metrics, { set: ["devices.eth0.holdoff.itr=8000/s"] });
    const spec = figureSpec(doc, figureDataOfDoc(doc))! as Record<string, any>;
    expect(spec.title.subtitle).to.include("with eth0 itr 125 us (8000/s) (--set)");
    const plain = await syntheticDoc("gige-user.yaml", fig4Metrics);
    expect((figureSpec(plain, figureDataOfDoc(plain))! as Record<string, any>).title.subtitle.join(" ")).not.to.include("--set");
  });

  it("start a linear axis at 0 only when the sweep starts near it", async () => {
    const near = await syntheticDoc("paper-fig4.yaml", fig4Metrics);
    const far = await syntheticDoc("socket-buffers.yaml", fig4Metrics); // 400 … 1000 Mb/s
    const first = (spec: Record<string, any>) => (spec.layer ?? spec.vconcat)[0].layer[0];
    const domain = (doc: typeof near) => first(figureSpec(doc, figureDataOfDoc(doc))! as Record<string, any>).encoding.x.scale.domain;
    expect(domain(near)[0]).to.equal(0);
    expect(domain(far)).to.deep.equal([4e8, 1e9]);
  });

  it("render to well-formed SVG with a line for every series and metric, and to PNG", async function () {
    this.timeout(30_000);
    const doc = await syntheticDoc("paper-fig2.yaml", fig2Metrics);
    const svg = await renderSvg(figureSpec(doc, figureDataOfDoc(doc))!);
    expect(checkWellFormed(svg)).to.be.greaterThan(100);
    expect(() => new Resvg(svg)).not.to.throw();
    for (const series of ["kernel", "user"]) {
      for (const metric of ["throughput", "CPU utilisation"]) {
        expect(svg, `${series} ${metric}`).to.match(new RegExp(`aria-roledescription="line mark"[^>]*aria-label="${series} ${metric}"|aria-label="${series} ${metric}"[^>]*aria-roledescription="line mark"`));
      }
    }
    expect(svg).to.include('aria-label="paper-fig2 kernel CPU utilisation"');
    const png = await renderPng(svg);
    expect([...png.slice(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it("put a hold-off's ticks at the swept values, labelled with the interval and the rate", async () => {
    const doc = await syntheticDoc("holdoff-sweep.yaml", fig4Metrics);
    const spec = figureSpec(doc, figureDataOfDoc(doc))! as Record<string, any>;
    const x = (spec.layer ?? spec.vconcat)[0].layer[0].encoding.x;
    expect(x.title).to.equal("eth0 itr (us; as a rate below)");
    expect(x.axis.values).to.deep.equal([0, 50e-6, 125e-6, 250e-6, 500e-6]);
    const labels = JSON.parse(/^(\[.*\])\[indexof/.exec(x.axis.labelExpr)![1]!);
    expect(labels).to.deep.equal([["0", "off"], ["50", "20000/s"], ["125", "8000/s"], ["250", "4000/s"], ["500", "2000/s"]]);
    // Five values 50 us or more apart on a 500 us axis: room for every label.
    expect(x.axis.labelOverlap).to.equal(false);
  });

  it("give a share's standard deviation an axis of its own size, a share 0-100 %", async () => {
    const doc = await syntheticDoc("paper-fig2.yaml", (p, i) => ({ ...fig2Metrics(p, i), cpu_utilization_sd: 0.004 }));
    (doc.scenario.normalised as Record<string, unknown>).figure = { y: ["cpu_utilization", "cpu_utilization_sd"] };
    const spec = figureSpec(doc, figureDataOfDoc(doc))! as Record<string, any>;
    const ys = spec.layer.map((l: any) => [l.layer[0].encoding.y.title, l.layer[0].encoding.y.scale]);
    expect(ys).to.deep.equal([
      ["CPU utilisation (%)", { domain: [0, 100], nice: false }],
      ["CPU sd (%)", { zero: true, nice: true }],
    ]);
  });

  it("label a log axis at the powers of two among the swept values", () => {
    expect(logTicks([512, 1024, 1536, 2048, 4096, 8192])).to.deep.equal([512, 1024, 2048, 4096, 8192]);
    expect(niceTicks(0, 1e9)).to.deep.equal([0, 2e8, 4e8, 6e8, 8e8, 1e9]);
    expect(niceTicks(1000, 20000)).to.deep.equal([0, 5000, 10000, 15000, 20000]);
  });

  it("wrap a long subtitle rather than widen the figure", () => {
    expect(wrap("one two three four", 9)).to.deep.equal(["one two", "three", "four"]);
  });

  it("are not drawn when no numeric parameter varies", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", fig4Metrics, { set: ["workload.offered_load=500Mb/s"] });
    expect(figureSpec(doc, figureDataOfDoc(doc))).to.equal(undefined);
  });
});

describe("--out DIR", function () {
  this.timeout(60_000);

  it("holds results.json, results.csv, figure.svg and figure.png, written atomically", async () => {
    const dir = path.join(tmp(), "out");
    const r = await cli(["run", SMOKE, "--quick", "--out", dir, "--no-cache"]);
    expect(r.code).to.equal(0);
    expect(readdirSync(dir).sort()).to.deep.equal(["figure.png", "figure.svg", "results.csv", "results.json"]);
    for (const f of ["results.json", "results.csv", "figure.svg", "figure.png"]) expect(r.stderr).to.include(`wrote ${path.relative(packagePath(), path.join(dir, f))}`);
    checkWellFormed(readFileSync(path.join(dir, "figure.svg"), "utf8"));
  });

  it("follows the scenario's figure block, and records it in the results document", async () => {
    const dir = path.join(tmp(), "out");
    const r = await cli(["run", path.join("test", "fixtures", "report", "smoke-figure.yaml"), "--quick", "--out", dir, "--quiet", "--no-cache"]);
    expect(r.code, r.stderr).to.equal(0);
    const doc = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8"));
    expect(doc.scenario.normalised.figure).to.deep.equal({ series: ["devices.tick.driver.placement"], x: "devices.tick.rate", x_scale: "log", y: ["cpu_utilization", "interrupts_per_s"] });
    const spec = figureSpec(doc, figureDataOfDoc(doc)) as Record<string, any>;
    expect(spec.layer.map((l: any) => l.layer[0].encoding.y.title)).to.deep.equal(["CPU utilisation (%)", "interrupts/s"]);
    expect(spec.layer[0].layer[0].encoding.x.scale.type).to.equal("log");
    const svg = readFileSync(path.join(dir, "figure.svg"), "utf8");
    for (const label of ["kernel CPU utilisation", "user CPU utilisation", "kernel interrupts/s", "user interrupts/s"]) expect(svg).to.include(`aria-label="${label}"`);
  });

  it("says why no figure was written when none could be drawn", async () => {
    const dir = tmp();
    const file = path.join(dir, "sd.yaml");
    writeFileSync(
      file,
      [`extends: ${JSON.stringify(packagePath("scenarios", "ide-kernel.yaml"))}`, "name: sd", "workload: {repetitions: 2}", "sweep: {matrix: {workload.transfer_size: [4 KiB, 64 KiB]}}", "figure: {y: [throughput_bits_per_s_sd]}", ""].join("\n"),
    );
    // --quick runs one repetition: no standard deviation to plot.
    const r = await cli(["run", file, "--quick", "--out", path.join(dir, "out"), "--no-cache"]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.include("note: no figure: no finished point has throughput_bits_per_s_sd");
    expect(readdirSync(path.join(dir, "out")).sort()).to.deep.equal(["results.csv", "results.json"]);
    // A shard whose points share one x value: merge draws the figure.
    const shard = await cli(["run", SMOKE, "--quick", "--shard", "1/3", "--out", path.join(dir, "shard"), "--no-cache"]);
    expect(shard.code, shard.stderr).to.equal(0);
    expect(shard.stderr).to.include("note: no figure: this shard's points share one value of every swept parameter (`loopdrv merge --out DIR` draws the whole sweep)");
    // More shards than points: an empty shard says so.
    const empty = await cli(["run", SMOKE, "--quick", "--shard", "8/8", "--no-cache"]);
    expect(empty.code, empty.stderr).to.equal(0);
    expect(empty.stderr).to.include("note: shard 8/8 has no points: the plan has fewer points than shards (its document still counts for merge)");
  });

  it("removes a figure of earlier results that this run cannot draw", async () => {
    const dir = tmp();
    const doc = await syntheticDoc("paper-fig4.yaml", fig4Metrics);
    await writeOutputs(dir, doc);
    expect(existsSync(path.join(dir, "figure.png"))).to.equal(true);
    const flat = await syntheticDoc("paper-fig4.yaml", fig4Metrics, { set: ["workload.offered_load=500Mb/s"] });
    const w = await writeOutputs(dir, flat);
    expect(w.figureSkipped).to.match(/no figure/);
    expect(readdirSync(dir).sort()).to.deep.equal(["results.csv", "results.json"]);
  });

  it("leaves no temporary file behind", async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, "results.json"), "old");
    await writeOutputs(dir, await syntheticDoc("paper-fig2.yaml", fig2Metrics));
    expect(readdirSync(dir).filter((f) => f.startsWith("."))).to.deep.equal([]);
  });
});
