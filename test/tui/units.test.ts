import { expect } from "chai";
import { figureDataOfDoc } from "../../src/report/figure-data.js";
import { BrailleCanvas } from "../../src/tui/braille.js";
import { chartPanel, legendOf, yDomain } from "../../src/tui/chart-model.js";
import { liveLayout } from "../../src/tui/layout.js";
import { stackCells } from "../../src/tui/stack.js";
import { fit } from "../../src/tui/table.js";
import { fig4Metrics, syntheticDoc } from "../report/synthetic.js";

describe("braille canvas", () => {
  it("packs 2 × 4 dots into each cell", () => {
    const c = new BrailleCanvas(2, 1);
    for (let y = 0; y < 4; y++) c.set(0, y);
    c.set(3, 3);
    expect(c.toString()).to.equal("⡇⢀");
  });

  it("draws a line with one dot per step along its longer side, and dashes", () => {
    const solid = new BrailleCanvas(4, 1);
    solid.line(0, 3, 7, 3);
    expect(solid.toString()).to.equal("⣀⣀⣀⣀");
    const dashed = new BrailleCanvas(4, 1);
    dashed.line(0, 3, 7, 3, undefined, 2);
    expect(dashed.toString()).to.equal("⣀ ⣀ ");
  });

  it("keeps the tone of the last series through a cell and lets a glyph replace it", () => {
    const c = new BrailleCanvas(3, 1);
    c.set(0, 0, "cyan");
    c.set(1, 0, "magenta");
    c.glyph(4, 0, "◆", "white");
    expect(c.segments()).to.deep.equal([[{ text: "⠉", tone: "magenta" }, { text: " " }, { text: "◆", tone: "white" }]]);
  });

  it("ignores dots outside the canvas", () => {
    const c = new BrailleCanvas(1, 1);
    c.set(-1, 0);
    c.set(2, 0);
    c.set(0, 4);
    expect(c.toString()).to.equal(" ");
  });
});

describe("chart model", () => {
  it("ranges fractions to the nearest 10% around the data and other metrics from 0 to a nice top", () => {
    expect(yDomain("cpu_utilization", [0.512, 0.624])).to.deep.equal([0.5, 0.7]);
    expect(yDomain("cpu_utilization", [0.5])).to.deep.equal([0.5, 0.6]);
    expect(yDomain("cpu_utilization", [1])).to.deep.equal([0.9, 1]);
    expect(yDomain("throughput_bits_per_s", [10e6, 850e6])).to.deep.equal([0, 1e9]);
    expect(yDomain("throughput_bits_per_s", [])).to.deep.equal([0, 1]);
  });

  it("plots a panel of the given size with labelled axes, the reference marked", async () => {
    const fig = figureDataOfDoc(await syntheticDoc("paper-fig4.yaml", fig4Metrics));
    const p = chartPanel(fig, "throughput_bits_per_s", {}, { cols: 40, rows: 6 }, () => undefined);
    expect(p.rows).to.have.length(6);
    expect(p.yLabels).to.deep.equal(["1 Gb/s", "500 Mb/s", "0"]);
    expect(p.gutter + 1 + p.cols).to.equal(40);
    expect(p.rows.map((r) => r.map((s) => s.text).join("")).join("\n")).to.include("◆");
    expect(p.title).to.equal("throughput vs offered load");
    expect(legendOf(fig, () => undefined).map((l) => [l.label, l.dashed, l.marker])).to.deep.equal([
      ["kernel", false, undefined],
      ["user", true, undefined],
      ["paper-fig4", false, "◆"],
    ]);
  });
});

describe("live area layout", () => {
  it("keeps the live area at least two lines shorter than the terminal", () => {
    for (const rows of [10, 16, 24, 30, 45, 80]) {
      for (const columns of [60, 100, 160]) {
        const l = liveLayout({ columns, rows, running: 2, metrics: 2 });
        const chart = l.chart ? 2 + (l.chart.sideBySide ? 1 : l.chart.panels) * (3 + l.chart.rows) : 0;
        const height = 3 + l.running + (l.counters ? 4 : 0) + chart;
        expect(height, `${columns}×${rows}`).to.be.at.most(rows - 2);
      }
    }
  });

  it("puts two panels side by side on a wide terminal, one on a narrow and short one", () => {
    expect(liveLayout({ columns: 160, rows: 45, running: 1, metrics: 2 })).to.deep.equal({ running: 1, counters: true, chart: { panels: 2, sideBySide: true, rows: 10, cols: 79 } });
    expect(liveLayout({ columns: 60, rows: 24, running: 1, metrics: 2 }).chart).to.deep.equal({ panels: 1, sideBySide: false, rows: 9, cols: 59 });
  });

  it("gives up the counters before the chart, and the chart on a tiny terminal", () => {
    expect(liveLayout({ columns: 100, rows: 16, running: 1, metrics: 1 })).to.deep.equal({ running: 1, counters: false, chart: { panels: 1, sideBySide: false, rows: 5, cols: 99 } });
    expect(liveLayout({ columns: 100, rows: 10, running: 1, metrics: 1 })).to.deep.equal({ running: 1, counters: true });
  });
});

describe("stacked bar", () => {
  it("splits its cells by share, adding up to the width exactly", () => {
    expect(stackCells([0.5, 0.25, 0.25], 10)).to.deep.equal([5, 3, 2]);
    expect(stackCells([1, 1, 1], 10).reduce((a, b) => a + b)).to.equal(10);
    expect(stackCells([0, 0], 10)).to.deep.equal([0, 0]);
  });
});

describe("table cells", () => {
  it("pad to the column and cut with an ellipsis", () => {
    expect(fit("ab", 4, "left")).to.equal("ab  ");
    expect(fit("ab", 4, "right")).to.equal("  ab");
    expect(fit("abcdef", 4, "left")).to.equal("abc…");
  });
});
