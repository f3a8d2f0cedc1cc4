/**
 * `--out DIR`: everything a run leaves behind, each file replaced atomically (atomic.ts):
 *
 *   results.json   the results document (design §4), first: it is the one that matters
 *   results.csv    one row per point (csv.ts)
 *   figure.svg     the paper-style figure (figure.ts), when a numeric parameter is swept
 *   figure.png     the same, rasterised
 *
 * A figure from an earlier run in the same directory that this run cannot draw is removed,
 * so the directory never holds a figure of other results.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import type { ResultsDocument } from "../run/results.js";
import { resultsJson } from "../run/results.js";
import { writeFileAtomic } from "./atomic.js";
import { resultsCsv } from "./csv.js";
import { figureDataOfDoc } from "./figure-data.js";
import { figureSpec, renderPng, renderSvg } from "./figure.js";
import { RESULTS_FILE } from "./out-dir.js";

export const CSV_FILE = "results.csv";
export const FIGURE_SVG = "figure.svg";
export const FIGURE_PNG = "figure.png";

export interface OutputsWritten {
  /** Absolute paths of the files written, in order. */
  files: string[];
  /** Why no figure was drawn, or what went wrong drawing it (a bug: the run exits 3). */
  figureSkipped?: string;
  figureError?: string;
}

export async function writeOutputs(dir: string, doc: ResultsDocument, json = resultsJson(doc)): Promise<OutputsWritten> {
  const files: string[] = [];
  const put = async (name: string, data: string | Uint8Array) => {
    const f = path.join(dir, name);
    await writeFileAtomic(f, data);
    files.push(f);
  };
  await put(RESULTS_FILE, json);
  await put(CSV_FILE, resultsCsv(doc));
  const spec = figureSpec(doc, figureDataOfDoc(doc));
  if (!spec) {
    for (const f of [FIGURE_SVG, FIGURE_PNG]) await fs.rm(path.join(dir, f), { force: true });
    return { files, figureSkipped: "no figure: no numeric parameter varies, or no point finished" };
  }
  try {
    const svg = await renderSvg(spec);
    await put(FIGURE_SVG, svg);
    await put(FIGURE_PNG, await renderPng(svg));
  } catch (e) {
    return { files, figureError: e instanceof Error ? e.message : String(e) };
  }
  return { files };
}
