/**
 * rss_growth_ratio: does memory grow with simulated time? The M/M/1 model runs for 10^6
 * customers and for 10^7 (2·10^6 and 2·10^7 events), each in a fresh child process, and
 * the figure is the ratio of their peak RSS. A kernel and model that keep no per-event
 * history give ≈ 1; retaining even 16 bytes per event would give ≈ 3.
 */
import { runChild } from "../build.js";
import type { Figure } from "../figure.js";

const BASE_CUSTOMERS = 1_000_000;

interface ChildReport {
  maxRssBytes: number;
  eventsFired: number;
}

async function peakRss(customers: number): Promise<ChildReport> {
  const { stdout } = await runChild("bench/rss-child.ts", [String(customers)]);
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
    rss_peak_1x_bytes: { unit: "bytes", description: "peak RSS of the 1× run (Node and the model)" },
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
