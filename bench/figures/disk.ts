/**
 * disk_requests_per_s (issue 7): emulated 1-sector O_DIRECT reads per wall second — the disk
 * benchmark of scenarios/ide-user.yaml (IDE driver at user level: IRQ file, block loopback
 * rings) with 1-sector transfers, run by the CLI's own point runner in one host thread, one
 * repetition of 128 MiB (262,144 reads; the scenario reads 64 MiB three times), after a
 * shorter warm-up run of the same point, the fastest of three runs (bench/point-child.ts, a
 * fresh process). Goal ≥ 1 M.
 *
 * events_per_request: simulator events per read (one request each);
 * events_coalesced_per_request: the CPU bursts that ended with no event of their own (exact
 * coalescing); their sum is what the per-event reference mode fires. disk_peak_rss_bytes:
 * that process's.
 */
import type { Figure } from "../figure.js";
import { pointChild } from "../point.js";

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export const diskFigure: Figure = {
  id: "disk",
  metrics: {
    disk_requests_per_s: {
      unit: "requests/s",
      description: "ide-user.yaml, 1-sector O_DIRECT reads, 128 MiB, user-level driver, one host thread, the CLI's point runner",
      goal: "≥ 1e6",
    },
    events_per_request: { unit: "events", description: "simulator events per 1-sector read, the same run" },
    events_coalesced_per_request: { unit: "events", description: "CPU burst ends per read done without an event (exact coalescing), the same run" },
    disk_peak_rss_bytes: { unit: "bytes", description: "peak RSS of the process running it (Node, tsx and the model)" },
  },
  async run() {
    const r = await pointChild("disk");
    return {
      disk_requests_per_s: Math.round(r.units / r.wallS),
      events_per_request: round3(r.events / r.units),
      events_coalesced_per_request: round3(r.coalesced / r.units),
      disk_peak_rss_bytes: r.maxRssBytes,
    };
  },
};
