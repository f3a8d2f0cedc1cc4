/**
 * Figures in the style of the paper's Figs. 2 and 4: the y metrics (throughput on the left
 * axis, CPU utilisation on the right) against the swept parameter, one line per series,
 * kernel solid and user dashed, the reference's stated values marked with diamonds.
 *
 *   figure data (figure-data.ts) → vega-lite spec (`figureSpec`, plain data, tested)
 *   → vega view, renderer "none" → SVG (`renderSvg`) → PNG by resvg (`renderPng`)
 *
 * vega, vega-lite and resvg load lazily: a run without --out never pays for them.
 */
import { formatParam } from "../dsl/format-value.js";
import { sdOf } from "../dsl/metrics.js";
import { fromDotted } from "../dsl/pointer.js";
import { resolveSchemaPath } from "../dsl/schema-path.js";
import { formatQuantity, type Accepts, type QuantityDimension } from "../dsl/units.js";
import type { ResultsDocument } from "../run/results.js";
import type { FigureData } from "./figure-data.js";
import { formatMetric, metricKind, metricTitle } from "./labels.js";

export type VegaLiteSpec = Record<string, unknown>;

const WIDTH = 560;
const HEIGHT = 340;
/** Width of an x label such as `20000/s` at the axis font size (11 px), with a gap. */
const LABEL_PX = 50;
/** Colour of each y metric (when colour is not needed for extra series parameters). */
const METRIC_COLOURS = ["#1f5fa8", "#c0392b"];
const CATEGORY = ["#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b"];
/** Dash pattern by driver placement: kernel solid, user dashed (the paper's convention). */
const DASH = { domain: ["kernel", "user", "other"], range: [[1, 0], [7, 4], [2, 3]] };
const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";
/**
 * Subtitle lines are wrapped at this many characters: vega sizes text by an estimate when it
 * has no canvas, and a long line would widen the whole figure.
 */
const SUBTITLE_CHARS = 90;

/** Words of `text` in lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = "";
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (cur && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

const DISPLAY: Partial<Record<Accepts, QuantityDimension>> = {
  time: "time",
  interval: "time",
  cost: "time",
  size: "size",
  data_rate: "data_rate",
  event_rate: "event_rate",
  frequency: "frequency",
  cycles: "cycles",
};

/** Split "850 Mb/s" / "5000/s" into number and unit. */
function splitQuantity(s: string): { n: number; unit: string } {
  const m = /^(-?[0-9.e+-]+)\s*(.*)$/.exec(s);
  return m ? { n: Number(m[1]), unit: m[2]! } : { n: NaN, unit: "" };
}

/** A display unit for values up to `si` in `dim`: its symbol and the SI value of one unit. */
export function displayUnit(si: number, dim: QuantityDimension): { unit: string; factor: number } {
  if (!(si > 0)) return { unit: "", factor: 1 };
  const { n, unit } = splitQuantity(formatQuantity(si, dim));
  return n > 0 ? { unit, factor: si / n } : { unit: "", factor: 1 };
}

/** Tick values on a linear axis covering [lo, hi]: about `count` steps of 1, 2 or 5 × 10^k. */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  if (out[out.length - 1]! < hi) out.push(Number((out[out.length - 1]! + step).toPrecision(12)));
  return out;
}

/** Tick values on a log axis: the swept values that are powers of two (or of ten), thinned to at most 12. */
export function logTicks(values: readonly number[]): number[] {
  const isPow = (v: number, b: number) => Math.abs(Math.log(v) / Math.log(b) - Math.round(Math.log(v) / Math.log(b))) < 1e-9;
  let t = values.filter((v) => isPow(v, 2));
  if (t.length < 3) t = values.filter((v) => isPow(v, 10));
  if (t.length < 3) t = [...values];
  while (t.length > 12) t = t.filter((_, i) => i % 2 === 0);
  return t;
}

interface Row {
  x: number;
  y: number;
  metric: string;
  series: string;
  placement: string;
  colour: string;
  desc: string;
  kind: "run" | "reference";
  note?: string;
  /** A stated maximum: drawn as a dotted rule across the plot, labelled at its left end. */
  peak?: boolean;
  label?: string;
}

/** The vega-lite spec of a document's figure, or undefined when nothing varies along a numeric axis. */
export function figureSpec(doc: ResultsDocument, fig: FigureData): VegaLiteSpec | undefined {
  const { axes } = fig;
  if (!axes.x || fig.curves.every((c) => c.points.length === 0)) return undefined;
  const n = doc.scenario.normalised;
  const xPath = axes.x;
  const xLabel = axes.labels[xPath] ?? xPath;

  // x axis: SI values, ticks chosen here and labelled as the scenario would write them.
  const schema = resolveSchemaPath(n, fromDotted(xPath));
  const accepts = schema.ok ? (schema.schema.unit as { accepts: Accepts } | undefined)?.accepts : undefined;
  const xs = axes.xValues;
  const lo = xs[0]!;
  const hi = xs[xs.length - 1]!;
  // A linear axis starts at 0 when the sweep starts near it (10 Mb/s … 1 Gb/s); one that
  // starts far from it (400 … 1000 Mb/s) would leave most of the plot empty.
  const roundTicks = axes.xScale === "log" ? logTicks(xs) : niceTicks(lo <= (hi - lo) / 2 ? Math.min(0, lo) : lo, hi);
  // A linear axis reads best in one unit, the one its step is written in (0, 200, … 1000
  // Mb/s); a log axis spans units, so each label carries its own (512 B … 4 MiB).
  const dim = accepts ? DISPLAY[accepts] : undefined;
  const step = roundTicks.length > 1 ? roundTicks[1]! - roundTicks[0]! : 0;
  const common = axes.xScale === "linear" && dim && step > 0 ? displayUnit(step, dim) : undefined;
  const inUnit = (t: number) => String(Number((t / common!.factor).toPrecision(6)));
  // A hold-off timer is plotted as its interval (0 = off sits at the origin) but scenarios
  // mostly write it as a rate (`2000/s`): its ticks are the swept values, each labelled
  // with both, the rate on a second line, so a reader finds the value they wrote.
  const holdoff = accepts === "interval" && common !== undefined && xs.length <= 12;
  const ticks = holdoff ? xs : roundTicks;
  const span = Math.max(roundTicks[roundTicks.length - 1]!, hi) - Math.min(roundTicks[0]!, lo);
  const crowded = ticks.some((t, i) => i > 0 && ((t - ticks[i - 1]!) / span) * WIDTH < LABEL_PX);
  const labels: (string | string[])[] = holdoff
    ? ticks.map((t) => [inUnit(t), t > 0 ? `${Number((1 / t).toPrecision(4))}/s` : "off"])
    : common
      ? ticks.map(inUnit)
      : ticks.map((t) => formatParam(n, xPath, t));
  const unitTitle = common?.unit ? ` (${common.unit.startsWith("/") ? `per ${common.unit.slice(1)}` : common.unit}${holdoff ? "; as a rate below" : ""})` : "";
  const xTitle = `${xLabel}${unitTitle}`;
  const xDomain = axes.xScale === "log" ? [lo, hi] : [Math.min(roundTicks[0]!, lo), Math.max(roundTicks[roundTicks.length - 1]!, hi)];

  // Colour: one per y metric, unless series parameters other than placement need it.
  const extra = axes.series.filter((p) => !p.endsWith(".driver.placement"));
  const extraLabel = (pointId: string) => {
    const p = doc.points.find((q) => q.id === pointId);
    return p ? extra.map((k) => `${axes.labels[k]} ${formatParam(n, k, p.params[k])}`).join(" · ") : "";
  };

  // y: each metric in a display unit (percent for fractions).
  const scaleOf = (metric: string) => {
    const kind = metricKind(metric);
    // A share runs 0–100 %; its standard deviation, a few points at most, gets an axis of its own size.
    if (kind === "fraction") return { display: (v: number) => Number((v * 100).toPrecision(12)), unit: "%", domain: (sdOf(metric) === undefined ? [0, 100] : undefined) as number[] | undefined, format: undefined as string | undefined };
    // Rates are already "per second" in their label; SI prefixes on the ticks say the rest.
    if (kind === "event_rate" || kind === "count") return { unit: "", display: (v: number) => v, domain: undefined, format: "~s" };
    const max = Math.max(0, ...fig.curves.filter((c) => c.metric === metric).flatMap((c) => c.points.map((p) => p.y)));
    const dim: QuantityDimension | undefined = kind === "data_rate" ? "data_rate" : kind === "time" ? "time" : undefined;
    const u = dim ? displayUnit(max, dim) : { unit: "", factor: 1 };
    return { unit: u.unit, display: (v: number) => Number((v / u.factor).toPrecision(12)), domain: undefined, format: undefined };
  };

  const rows: Row[] = [];
  axes.y.forEach((metric) => {
    const s = scaleOf(metric);
    for (const c of fig.curves.filter((k) => k.metric === metric)) {
      for (const p of c.points) {
        const colour = extra.length ? extraLabel(p.id) : metricTitle(metric);
        rows.push({ x: p.x, y: s.display(p.y), metric, series: c.label, placement: c.placement ?? "other", colour, desc: `${c.label} ${metricTitle(metric)}`, kind: "run" });
      }
    }
    for (const r of fig.overlay?.points ?? []) {
      if (r.metric !== metric) continue;
      rows.push({
        x: r.x,
        y: s.display(r.y),
        metric,
        series: r.series,
        placement: r.placement ?? "other",
        colour: "",
        desc: `${fig.overlay!.name} ${r.series} ${metricTitle(metric)}`,
        kind: "reference",
        note: r.note,
        ...(r.peak ? { peak: true, label: `paper: ${r.series} peak ${formatMetric(metric, r.y)}` } : {}),
      });
    }
  });

  const placements = new Set(rows.filter((r) => r.kind === "run").map((r) => r.placement));
  const dashAt = DASH.domain.map((d, i) => [d, DASH.range[i]!] as const).filter(([d]) => placements.has(d));
  const dash = { domain: dashAt.map(([d]) => d), range: dashAt.map(([, r]) => r) };
  const colourDomain = [...new Set(rows.filter((r) => r.kind === "run").map((r) => r.colour))];
  const colourRange = extra.length ? CATEGORY : axes.y.map((_, i) => METRIC_COLOURS[i]!);
  const x = {
    field: "x",
    type: "quantitative",
    title: xTitle,
    // A log axis has no origin to keep: a little padding keeps the end markers off the axes.
    scale: { type: axes.xScale, domain: xDomain, nice: false, ...(axes.xScale === "log" ? { base: 2, padding: 8 } : { zero: false }) },
    // Swept values can crowd. Vega, measuring text without a canvas, overestimates a
    // two-line label (it measures both lines as one), so its overlap test would hide labels
    // that fit: it is asked only when two swept values are closer than a label's width.
    axis: { values: ticks, labelExpr: `${JSON.stringify(labels)}[indexof(${JSON.stringify(ticks)}, datum.value)]`, grid: true, ...(holdoff ? { labelOverlap: crowded ? "greedy" : false } : {}) },
  };

  const layerFor = (metric: string, side: "left" | "right", shape: string) => {
    const s = scaleOf(metric);
    const title = `${metricTitle(metric)}${s.unit ? ` (${s.unit})` : ""}`;
    const y = {
      field: "y",
      type: "quantitative",
      title,
      axis: { orient: side, grid: side === "left", titleColor: extra.length ? undefined : colourRange[axes.y.indexOf(metric)], ...(s.format ? { format: s.format, labelExpr: "datum.value === 0 ? '0' : datum.label" } : {}) },
      scale: s.domain ? { domain: s.domain, nice: false } : { zero: true, nice: true },
    };
    const runEncoding = {
      x,
      y,
      detail: { field: "series" },
      color: { field: "colour", type: "nominal", title: null, scale: { domain: colourDomain, range: colourRange }, legend: { symbolType: "stroke", symbolStrokeWidth: 3, symbolSize: 500, labelLimit: 0, ...(extra.length ? { columns: 2 } : {}) } },
      strokeDash: { field: "placement", type: "nominal", title: "driver", scale: dash, legend: { symbolType: "stroke", symbolStrokeWidth: 2, symbolSize: 500, encode: { symbols: { update: { stroke: { value: "#333333" } } } } } },
      description: { field: "desc" },
    };
    // The user-level markers: the same, without the dash (and no legend of their own).
    const { strokeDash: _dash, ...pointEncoding } = runEncoding;
    // The paper's stated values: filled diamonds for the kernel, hollow for user level, in
    // the metric's colour (so a CPU value reads against the CPU axis). A stated peak is the
    // rule below, not a diamond: the paper gives the maximum, not where it falls.
    const refColour = extra.length ? "#111111" : colourRange[axes.y.indexOf(metric)]!;
    const refFilter = `datum.kind === 'reference' && !datum.peak && datum.metric === '${metric}'`;
    return {
      layer: [
        // Solid lines first, dashed (user level) on top with hollow markers: where the two
        // curves coincide, the user curve's rings still show over the kernel's dots.
        {
          transform: [{ filter: `datum.kind === 'run' && datum.metric === '${metric}' && datum.placement !== 'user'` }],
          mark: { type: "line", strokeWidth: 1.8, point: { filled: true, size: 26, shape } },
          encoding: runEncoding,
        },
        {
          transform: [{ filter: `datum.kind === 'run' && datum.metric === '${metric}' && datum.placement === 'user'` }],
          mark: { type: "line", strokeWidth: 1.8 },
          encoding: runEncoding,
        },
        // Its markers as a layer of their own: a line's `point` overlay takes the line's dash,
        // which drew each ring broken (a "C", a "[ ]").
        {
          transform: [{ filter: `datum.kind === 'run' && datum.metric === '${metric}' && datum.placement === 'user'` }],
          mark: { type: "point", filled: false, fill: "white", size: 34, strokeWidth: 1.2, shape, opacity: 1 },
          encoding: pointEncoding,
        },
        {
          transform: [{ filter: `${refFilter} && datum.placement !== 'user'` }],
          mark: { type: "point", shape: "diamond", filled: true, size: 120, color: refColour, stroke: "#111111", strokeWidth: 1 },
          encoding: { x, y, description: { field: "desc" }, tooltip: { field: "note" } },
        },
        {
          transform: [{ filter: `${refFilter} && datum.placement === 'user'` }],
          mark: { type: "point", shape: "diamond", filled: true, size: 120, color: "#ffffff", stroke: refColour, strokeWidth: 2 },
          encoding: { x, y, description: { field: "desc" }, tooltip: { field: "note" } },
        },
        // A stated peak is a ceiling, wherever the run's maximum falls: a rule across the plot,
        // labelled at its left end (where the rising curves of both figures are still low).
        {
          transform: [{ filter: `datum.kind === 'reference' && datum.peak && datum.metric === '${metric}'` }],
          mark: { type: "rule", strokeDash: [2, 3], color: "#444444", strokeWidth: 1 },
          encoding: { y },
        },
        {
          transform: [{ filter: `datum.kind === 'reference' && datum.peak && datum.metric === '${metric}'` }],
          mark: { type: "text", align: "left", baseline: "bottom", dx: 4, dy: -2, fontSize: 10, color: "#333333" },
          encoding: { x: { datum: xDomain[0], ...x, field: undefined }, y, text: { field: "label" } },
        },
      ],
    };
  };

  const done = doc.points.filter((p) => p.status === "ok").length;
  const status = [
    doc.quick ? "quick run (--quick: shorter runs, noisier values)" : "",
    doc.partial || done < doc.points.length ? `${done} of ${doc.points.length} points finished` : "",
  ].filter(Boolean);
  // Values the command line fixed (`--set`): the figure shows what ran, not only what the file says.
  const fixed = Object.keys(doc.points[0]?.params ?? {}).filter((p) => p !== axes.x && !axes.series.includes(p) && new Set(doc.points.map((q) => JSON.stringify(q.params[p]))).size === 1);
  const setText = fixed.map((p) => `${axes.labels[p] ?? p} ${formatParam(n, p, doc.points[0]!.params[p])}`).join(", ");
  const subtitle = [
    ...wrap(typeof n.description === "string" ? n.description : "", SUBTITLE_CHARS),
    ...(setText ? wrap(`with ${setText} (--set)`, SUBTITLE_CHARS) : []),
    ...(status.length ? [status.join(" · ")] : []),
    ...(fig.overlay && fig.overlay.points.length ? [`◆ ${fig.overlay.name}: values stated in the paper (hollow: user level; peaks: dotted rules)`] : []),
  ];

  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: doc.scenario.name, subtitle, anchor: "start", font: FONT, subtitleFont: FONT },
    background: "white",
    config: { font: FONT, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 11, orient: "bottom", direction: "horizontal" }, view: { stroke: "#888888" } },
    data: { values: rows },
    // The paper's two y axes on one plot; with more series than kernel and user (colour then
    // tells them apart, not the metric), one plot per metric, stacked, reads better.
    ...(extra.length && axes.y.length > 1
      ? {
          vconcat: axes.y.map((m, i) => ({ width: WIDTH, height: Math.round(HEIGHT * 0.7), ...layerFor(m, "left", i === 0 ? "circle" : "square") })),
          resolve: { scale: { y: "independent" } },
        }
      : {
          width: WIDTH,
          height: HEIGHT,
          layer: axes.y.map((m, i) => layerFor(m, i === 0 ? "left" : "right", i === 0 ? "circle" : "square")),
          resolve: { scale: { y: "independent" } },
        }),
  };
}

/** SVG text of a vega-lite spec (no browser, no canvas: vega's "none" renderer). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vl] = await Promise.all([import("vega"), import("vega-lite")]);
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A PNG of an SVG at twice its size, on white, with the system's fonts. */
export async function renderPng(svg: string): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const r = new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, background: "white", font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } });
  return r.render().asPng();
}
