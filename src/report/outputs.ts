/**
 * `--out DIR`: everything a run leaves behind, each file replaced atomically (atomic.ts):
 *
 *   results.json   the results document (design §4), first: it is the one that matters
 *   results.csv    one row per point (csv.ts)
 *   figure.svg     the paper-style figure (figure.ts), when a numeric parameter is swept
 *   figure.png     the same, rasterised
 *   series.svg     throughput against time, one line per point, when points have a `series`
 *   series.png     (faults:; series.ts)
 *
 * A figure from an earlier run in the same directory that this run cannot draw is removed,
 * so the directory never holds a figure of other results.
 *
 * Everything is rendered first, then written as one set (atomic.ts): a write that fails — a
 * full disk, a directory gone or made read-only during the run — replaces no file and
 * throws an `OutputWriteError` that says what happened, in words.
 */
import path from "node:path";
import type { ResultsDocument } from "../run/results.js";
import { resultsJson } from "../run/results.js";
import { nodeFs, writeFilesAtomic, type OutputFs } from "./atomic.js";
import { resultsCsv } from "./csv.js";
import { figureDataOfDoc, type FigureData } from "./figure-data.js";
import { figureSpec, renderPng, renderSvg } from "./figure.js";
import { RESULTS_FILE } from "./out-dir.js";
import { seriesFigureSpec } from "./series.js";

export const CSV_FILE = "results.csv";
export const FIGURE_SVG = "figure.svg";
export const FIGURE_PNG = "figure.png";
export const SERIES_SVG = "series.svg";
export const SERIES_PNG = "series.png";

export interface OutputsWritten {
  /** Absolute paths of the files written, in order. */
  files: string[];
  /** Why no figure was drawn, or what went wrong drawing it (a bug: the run exits 3). */
  figureSkipped?: string;
  figureError?: string;
}

/** Why errno codes a user meets when writing files happen, in words. */
const WHY: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOENT: "the directory no longer exists",
  ENOTDIR: "the path is no longer a directory",
  EIO: "input/output error",
};

/** The output files could not be written: a problem of the directory or the disk, not of loopdrv. */
export class OutputWriteError extends Error {
  constructor(
    readonly dir: string,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`cannot write the results into ${JSON.stringify(dir)}: ${code ? `${code} (${WHY[code] ?? detail})` : detail}`);
    this.name = "OutputWriteError";
  }
}

export async function writeOutputs(dir: string, doc: ResultsDocument, json = resultsJson(doc), fsi: OutputFs = nodeFs): Promise<OutputsWritten> {
  const set: { name: string; data: string | Uint8Array }[] = [
    { name: RESULTS_FILE, data: json },
    { name: CSV_FILE, data: resultsCsv(doc) },
  ];
  const figData = figureDataOfDoc(doc);
  const spec = figureSpec(doc, figData);
  const series = seriesFigureSpec(doc);
  let figureError: string | undefined;
  for (const [s, svgName, pngName] of [
    [spec, FIGURE_SVG, FIGURE_PNG],
    [series, SERIES_SVG, SERIES_PNG],
  ] as const) {
    if (!s || figureError !== undefined) continue;
    try {
      const svg = await renderSvg(s);
      set.push({ name: svgName, data: svg }, { name: pngName, data: await renderPng(svg) });
    } catch (e) {
      figureError = e instanceof Error ? e.message : String(e);
    }
  }
  try {
    await writeFilesAtomic(set.map((f) => ({ file: path.join(dir, f.name), data: f.data })), fsi);
    // Figures of earlier results that this run does not draw go.
    if (!spec) for (const f of [FIGURE_SVG, FIGURE_PNG]) await fsi.rm(path.join(dir, f), { force: true });
    if (!series) for (const f of [SERIES_SVG, SERIES_PNG]) await fsi.rm(path.join(dir, f), { force: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new OutputWriteError(dir, err.code, err.message ?? String(e));
  }
  const files = set.map((f) => path.join(dir, f.name));
  if (!spec) return { files, figureSkipped: whyNoFigure(doc, figData) };
  return figureError !== undefined ? { files, figureError } : { files };
}

/** Why `figureSpec` drew nothing, in words: the x axis it lacks, or the values. */
function whyNoFigure(doc: ResultsDocument, fig: FigureData): string {
  if (!fig.axes.x && doc.shard) return "no figure: this shard's points share one value of every swept parameter (`loopdrv merge --out DIR` draws the whole sweep)";
  if (!fig.axes.x) return "no figure: no numeric parameter is swept (the figure plots metrics against one)";
  if (!doc.points.some((p) => p.status === "ok")) return "no figure: no point finished";
  return `no figure: no finished point has ${fig.axes.y.join(" or ")}`;
}
