/**
 * A point's throughput series (design §4 `series`, recorded with `faults:`) as people see
 * it: a one-line sparkline for the summary (plain lines and the dashboard), and a figure of
 * throughput against time — the dip of each fault and the recovery — written by `--out` as
 * series.svg and series.png, one line per point.
 */
import { formatParam } from "../dsl/format-value.js";
import type { ResultsDocument, PointSeries } from "../run/results.js";
import { displayUnit, wrap, type VegaLiteSpec } from "./figure.js";
import { paramLabels } from "./labels.js";

const BLOCKS = "▁▂▃▄▅▆▇█";

/** The series in at most `width` characters: each the mean of its bins, scaled to the largest. */
export function sparkline(values: readonly number[], width = 40): string {
  if (values.length === 0) return "";
  const per = Math.ceil(values.length / width);
  const cells: number[] = [];
  for (let i = 0; i < values.length; i += per) {
    const chunk = values.slice(i, i + per);
    cells.push(chunk.reduce((a, b) => a + b, 0) / chunk.length);
  }
  const max = Math.max(...cells);
  return cells.map((v) => (max > 0 ? BLOCKS[Math.min(BLOCKS.length - 1, Math.round((v / max) * (BLOCKS.length - 1)))]! : BLOCKS[0]!)).join("");
}

/** A point's label from its parameters ("fault crash · policy requeue"), or its id. */
function pointLabel(doc: ResultsDocument, p: ResultsDocument["points"][number], labels: Record<string, string>): string {
  const n = doc.scenario.normalised;
  const text = Object.entries(p.params)
    .map(([k, v]) => `${labels[k] ?? k} ${formatParam(n, k, v)}`)
    .join(" · ");
  return text ? `${p.id} ${text}` : p.id;
}

/** The throughput-against-time figure, or undefined when no point has a series. */
export function seriesFigureSpec(doc: ResultsDocument): VegaLiteSpec | undefined {
  const withSeries = doc.points.filter((p): p is typeof p & { series: PointSeries } => p.series !== undefined && p.series.throughput_bits_per_s.length > 0);
  if (withSeries.length === 0) return undefined;
  const labels = paramLabels([...new Set(doc.points.flatMap((p) => Object.keys(p.params)))]);
  const max = Math.max(0, ...withSeries.flatMap((p) => p.series.throughput_bits_per_s));
  const unit = displayUnit(max, "data_rate");
  const rows = withSeries.flatMap((p) => {
    const label = `${pointLabel(doc, p, labels)}${p.status === "crashed" ? " (kernel crash)" : ""}`;
    const binMs = p.series.bin_s * 1e3;
    const ys = p.series.throughput_bits_per_s;
    // A step per bin, from its start (ms from the start of the measurement window) to the next.
    return [...ys, ys[ys.length - 1]!].map((y, i) => ({ t: Number((i * binMs).toPrecision(12)), y: Number((y / unit.factor).toPrecision(12)), point: label }));
  });
  const bin = withSeries[0]!.series.bin_s * 1e3;
  const n = doc.scenario.normalised;
  const subtitle = [
    ...wrap(typeof n.description === "string" ? n.description : "", 66),
    `throughput per ${Number(bin.toPrecision(6))} ms bin, from the start of the measurement${doc.quick ? " · quick run (--quick)" : ""}`,
  ];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `${doc.scenario.name}: throughput over time`, subtitle, anchor: "start" },
    background: "white",
    config: { axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, labelLimit: 600, orient: "bottom", direction: "vertical" }, view: { stroke: "#888888" } },
    width: 560,
    height: 300,
    data: { values: rows },
    mark: { type: "line", strokeWidth: 1.6, interpolate: "step-after" },
    encoding: {
      x: { field: "t", type: "quantitative", title: "time (ms)", scale: { zero: true, nice: true } },
      y: { field: "y", type: "quantitative", title: `throughput${unit.unit ? ` (${unit.unit})` : ""}`, scale: { zero: true, nice: true } },
      color: { field: "point", type: "nominal", title: null },
    },
  };
}
