/**
 * Child process of the rss figure: run the M/M/1 model for the number of customers given
 * as argv[2] and print one JSON line: peak resident set size (bytes) and events fired.
 * It runs in a fresh process so that its peak RSS is its own.
 */
import { Simulator } from "../src/sim/index.js";
import { runMM1 } from "./mm1.js";

const customers = Number(process.argv[2]);
if (!Number.isInteger(customers) || customers <= 0) {
  throw new Error(`bug: rss-child needs a customer count, got ${process.argv[2]}`);
}
const sim = new Simulator(1);
// ρ = 0.9 (λ = 0.9 M/s, μ = 1 M/s): a long, busy queue; only the batch sums are kept.
const result = runMM1(sim, {
  arrivalRatePerS: 0.9e6,
  serviceRatePerS: 1e6,
  warmupCustomers: 0,
  customers,
  batches: 10,
});
// ru_maxrss is in KiB on Linux (kilobytes per getrusage(2)).
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ maxRssBytes, eventsFired: result.eventsFired })}\n`);
