/**
 * rss_growth_ratio: does memory grow with simulated time? The M/M/1 model runs for 10^6
 * customers and for 10^7 (2·10^6 and 2·10^7 events), each in a fresh child process, and
 * the figure is the ratio of their peak RSS. A kernel and model that keep no per-event
 * history give ≈ 1; retaining even 16 bytes per event would give ≈ 3.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Figure } from "../figure.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHILD = fileURLToPath(new URL("../rss-child.ts", import.meta.url));
const BASE_CUSTOMERS = 1_000_000;

interface ChildReport {
  maxRssBytes: number;
  eventsFired: number;
}

async function peakRss(customers: number): Promise<ChildReport> {
  // --import tsx rather than inheriting execArgv, so it works however the bench started.
  const { stdout } = await run(process.execPath, ["--import", "tsx", CHILD, String(customers)], {
    cwd: ROOT,
  });
  return JSON.parse(stdout) as ChildReport;
}

export const rssFigure: Figure = {
  id: "rss",
  metrics: {
    rss_growth_ratio: {
      unit: "ratio",
      description: "peak RSS of an M/M/1 run 10× longer over the 1× run (10^6 customers), fresh processes",
      goal: "≈ 1",
    },
    rss_peak_1x_bytes: { unit: "bytes", description: "peak RSS of the 1× run (Node, tsx and the model)" },
    rss_peak_10x_bytes: { unit: "bytes", description: "peak RSS of the 10× run" },
  },
  async run() {
    // One after the other: on a 2-core host two children would disturb each other.
    const one = await peakRss(BASE_CUSTOMERS);
    const ten = await peakRss(10 * BASE_CUSTOMERS);
    return {
      rss_growth_ratio: Math.round((ten.maxRssBytes / one.maxRssBytes) * 1000) / 1000,
      rss_peak_1x_bytes: one.maxRssBytes,
      rss_peak_10x_bytes: ten.maxRssBytes,
    };
  },
};
