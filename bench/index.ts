/**
 * `npm run bench` measures the figures in bench/figures/ and prints them for people;
 * `npm run -s bench -- --json` prints them as exactly one JSON object on stdout (keys
 * sorted), with progress on stderr. `--only id,id` runs some figures only.
 * Figures are wall-clock measurements, so they vary with the host; the models they run
 * use fixed seeds, so the work measured is the same every time.
 */
import type { Figure } from "./figure.js";
import { derived, figures } from "./figures/index.js";

interface Options {
  json: boolean;
  only: string[] | undefined;
}

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { json: false, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json") opts.json = true;
    else if (arg === "--only") opts.only = (argv[++i] ?? "").split(",").filter(Boolean);
    else if (arg.startsWith("--only=")) opts.only = arg.slice("--only=".length).split(",").filter(Boolean);
    else throw new UsageError(`unknown argument ${arg} (usage: bench [--json] [--only id,id])`);
  }
  return opts;
}

class UsageError extends Error {}

function formatValue(value: number, unit: string): string {
  if (unit === "events/s") return `${(value / 1e6).toFixed(2)} M events/s`;
  if (unit === "bytes") return `${(value / 2 ** 20).toFixed(1)} MiB`;
  return `${value} ${unit}`;
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  let selected: readonly Figure[] = figures;
  if (opts.only) {
    const known = new Set(figures.map((f) => f.id));
    const unknown = opts.only.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new UsageError(`unknown figure ${unknown.join(", ")} (have ${[...known].join(", ")})`);
    selected = figures.filter((f) => opts.only!.includes(f.id));
  }

  const results: Record<string, number> = {};
  let failed = false;
  for (const figure of selected) {
    process.stderr.write(`bench: ${figure.id}...\n`);
    try {
      const values = await figure.run();
      for (const [name, value] of Object.entries(values)) {
        if (!(name in figure.metrics)) throw new Error(`bug: figure ${figure.id} returned undeclared ${name}`);
        results[name] = value;
        if (!opts.json) {
          const info = figure.metrics[name]!;
          const goal = info.goal ? `  (goal ${info.goal})` : "";
          process.stdout.write(`${name.padEnd(38)} ${formatValue(value, info.unit).padEnd(20)}${goal}\n`);
          process.stdout.write(`${"".padEnd(38)} ${info.description}\n`);
        }
      }
    } catch (err) {
      failed = true;
      process.stderr.write(`bench: figure ${figure.id} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
  }
  for (const d of derived) {
    const value = d.compute(results);
    if (value === undefined) continue;
    results[d.name] = value;
    if (!opts.json) {
      const goal = d.info.goal ? `  (goal ${d.info.goal})` : "";
      process.stdout.write(`${d.name.padEnd(38)} ${formatValue(value, d.info.unit).padEnd(20)}${goal}\n`);
      process.stdout.write(`${"".padEnd(38)} ${d.info.description}\n`);
    }
  }
  if (opts.json) {
    const sorted = Object.fromEntries(Object.keys(results).sort().map((k) => [k, results[k]]));
    process.stdout.write(`${JSON.stringify(sorted)}\n`);
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`bench: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`bench: this is a bug: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 3;
    }
  },
);
