import { expect } from "chai";
import { curvesOf, placementOf, resolveAxes, seriesOf } from "../../src/report/axes.js";
import { paramPathsOf } from "../../src/report/figure-data.js";
import { paramLabels } from "../../src/report/labels.js";
import { fig2Metrics, fig4Metrics, syntheticDoc } from "./synthetic.js";

const PLACEMENT = "devices.eth0.driver.placement";
const LOAD = "workload.offered_load";

describe("figure axes", () => {
  it("puts the numeric parameter with the most values on x and makes series of the others", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", fig4Metrics);
    const a = resolveAxes(doc.points, [PLACEMENT, LOAD]);
    expect(a.x).to.equal(LOAD);
    expect(a.series).to.deep.equal([PLACEMENT]);
    expect(a.y).to.deep.equal(["throughput_bits_per_s", "cpu_utilization"]);
    expect(a.xScale).to.equal("linear");
    expect(a.xValues[0]).to.equal(10e6);
    expect(a.xValues[a.xValues.length - 1]).to.equal(1000e6);
  });

  it("uses a log x axis when the values span more than a factor of 100 (Fig. 2's transfer sizes)", async () => {
    const doc = await syntheticDoc("paper-fig2.yaml", fig2Metrics);
    const a = resolveAxes(doc.points, ["devices.hda.driver.placement", "workload.transfer_size"]);
    expect(a.x).to.equal("workload.transfer_size");
    expect(a.xScale).to.equal("log");
  });

  it("shows only the y metrics that were measured", () => {
    const pts = [1000, 5000].map((r, i) => ({ id: `p${i}`, params: { "devices.tick.rate": r }, status: "ok", metrics: { cpu_utilization: 0.5 } }));
    expect(resolveAxes(pts, ["devices.tick.rate"]).y).to.deep.equal(["cpu_utilization"]);
  });

  it("follows a scenario's figure block, and says why when it cannot", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", fig4Metrics);
    const a = resolveAxes(doc.points, [PLACEMENT, LOAD], { y: ["interrupts_per_s"], x_scale: "log" });
    expect(a.y).to.deep.equal(["interrupts_per_s"]);
    expect(a.xScale).to.equal("log");
    const b = resolveAxes(doc.points, [PLACEMENT, LOAD], { x: PLACEMENT, series: ["run.seed"] });
    expect(b.x).to.equal(LOAD);
    expect(b.notes).to.deep.equal([
      `figure.x ${PLACEMENT} is not a swept numeric parameter; using the default`,
      "figure.series run.seed is not a swept parameter",
    ]);
  });

  it("has no x axis when no numeric parameter varies", () => {
    const pts = ["kernel", "user"].map((v, i) => ({ id: `p${i}`, params: { [PLACEMENT]: v } }));
    const a = resolveAxes(pts, [PLACEMENT]);
    expect(a.x).to.equal(undefined);
    expect(a.series).to.deep.equal([PLACEMENT]);
  });

  it("reads the driver placement from the params, else from the scenario when every device agrees", () => {
    expect(placementOf({ id: "p", params: { [PLACEMENT]: "user" } }, {})).to.equal("user");
    const n = { devices: { a: { driver: { placement: "kernel" } }, b: { driver: { placement: "kernel" } } } };
    expect(placementOf({ id: "p", params: {} }, n)).to.equal("kernel");
    const mixed = { devices: { a: { driver: { placement: "kernel" } }, b: { driver: { placement: "user" } } } };
    expect(placementOf({ id: "p", params: {} }, mixed)).to.equal(undefined);
  });

  it("makes one curve per series, sorted by x, from the points that finished", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", (p, i) => (i % 7 === 3 ? undefined : fig4Metrics(p, i)));
    const a = resolveAxes(doc.points, [PLACEMENT, LOAD]);
    const curves = curvesOf(doc.points, a, "throughput_bits_per_s", doc.scenario.normalised);
    expect(curves.map((c) => [c.label, c.placement])).to.deep.equal([
      ["kernel", "kernel"],
      ["user", "user"],
    ]);
    const ok = doc.points.filter((p) => p.status === "ok").length;
    expect(curves[0]!.points.length + curves[1]!.points.length).to.equal(ok);
    for (const c of curves) expect(c.points.map((p) => p.x)).to.deep.equal([...c.points.map((p) => p.x)].sort((x, y) => x - y));
    expect(seriesOf(doc.points[0]!, a, doc.scenario.normalised).label).to.equal("kernel");
  });

  it("leaves out of a series label a parameter no other series differs in alone (never the placement)", async () => {
    // loopback-tap: the in-kernel driver has no loopback (kernel × tap is excluded).
    const doc = await syntheticDoc("loopback-tap.yaml", fig4Metrics, { quick: true });
    const a = resolveAxes(doc.points, paramPathsOf(doc));
    const labels = curvesOf(doc.points, a, "cpu_utilization", doc.scenario.normalised).map((c) => c.label);
    expect(labels).to.deep.equal(["kernel", "user · loopback rings", "user · loopback tap"]);
    // holdoff-sweep: a full grid, every part needed.
    const h = await syntheticDoc("holdoff-sweep.yaml", fig4Metrics, { quick: true });
    const ha = resolveAxes(h.points, paramPathsOf(h));
    expect(curvesOf(h.points, ha, "cpu_utilization", h.scenario.normalised).map((c) => c.label)).to.deep.equal([
      "kernel · offered load 400 Mb/s",
      "kernel · offered load 700 Mb/s",
      "user · offered load 400 Mb/s",
      "user · offered load 700 Mb/s",
    ]);
    // No placement among the series: an incomplete grid keeps every label whole.
    const pt = (id: string, load: number, payload: number, x: number) => ({ id, status: "ok", params: { "workload.offered_load": load, "workload.payload": payload, "workload.clients": x }, metrics: { cpu_utilization: 0.5 } });
    const grid = [pt("p0", 4e8, 1024, 1), pt("p1", 4e8, 1024, 2), pt("p2", 4e8, 512, 1), pt("p3", 4e8, 512, 2), pt("p4", 7e8, 256, 1), pt("p5", 7e8, 256, 2)];
    const ga = resolveAxes(grid, ["workload.offered_load", "workload.payload", "workload.clients"], { x: "workload.clients" });
    expect(curvesOf(grid, ga, "cpu_utilization", h.scenario.normalised).map((c) => c.label)).to.deep.equal([
      "offered load 400 Mb/s · payload 1 KiB",
      "offered load 400 Mb/s · payload 512 B",
      "offered load 700 Mb/s · payload 256 B",
    ]);
  });

  it("gives parameters short labels, and the full path where two would collide", () => {
    expect(paramLabels(["devices.tick.driver.placement", "workload.offered_load", "devices.eth0.holdoff.itr"])).to.deep.equal({
      "devices.tick.driver.placement": "placement",
      "workload.offered_load": "offered load",
      "devices.eth0.holdoff.itr": "eth0 itr",
    });
    expect(paramLabels(["devices.a.driver.placement", "devices.b.driver.placement"])).to.deep.equal({
      "devices.a.driver.placement": "devices.a.driver.placement",
      "devices.b.driver.placement": "devices.b.driver.placement",
    });
  });
});
