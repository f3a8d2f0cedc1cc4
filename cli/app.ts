/**
 * The command line: argv → options (commander) → a command function that returns data →
 * text on the given streams and an exit code. Nothing here calls process.exit; main.ts
 * sets process.exitCode from the returned number.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { parse as parseYaml } from "yaml";
import { packagePath } from "../src/dsl/package-root.js";
import { internalDiagnostic } from "../src/diag/diagnostic.js";
import { formatDiagnostic } from "../src/diag/format.js";
import { parseShard, type Shard } from "../src/run/shard.js";
import { EXIT } from "./exit-codes.js";
import type { Io } from "./io.js";
import { useColor } from "./io.js";
import { mergeCommand } from "./commands/merge.js";
import { planCommand } from "./commands/plan.js";
import { runCommand } from "./commands/run.js";
import { schemaCommand } from "./commands/schema.js";
import { validateCommand } from "./commands/validate.js";
import { VERSION } from "./version.js";

const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

/** Options shared by every command that reads a scenario. */
export function scenarioOptions(cmd: Command): Command {
  return cmd
    .option("--set <path=value>", "override a parameter (repeatable); value as YAML with units, e.g. --set workload.offered_load=850Mb/s", collect)
    .option("--seed <n>", "run seed; same as --set run.seed=N", parseSeed)
    .option("--force", "allow sweeps larger than 10,000 points");
}

/** --seed N is --set run.seed=N (design §4). */
export function setsOf(opts: { set?: string[]; seed?: string }): string[] {
  return [...(opts.set ?? []), ...(opts.seed !== undefined ? [`run.seed=${opts.seed}`] : [])];
}

export function buildProgram(io: Io, result: { code: number }): Command {
  const program = new Command("loopdrv");
  program
    .description("Declarative scenario runner for an emulated OS whose device drivers run in the kernel or at user level.")
    .version(VERSION, "-V, --version")
    .addOption(new Option("--no-color", "disable colour (NO_COLOR and FORCE_COLOR are honoured too)"))
    .showSuggestionAfterError(true)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  // `--seed N` is `--set run.seed=N`: the two disagreeing is a usage error, not a silent choice.
  program.hook("preAction", (_program, command) => {
    const o = command.opts<{ seed?: string; set?: string[] }>();
    if (o.seed === undefined) return;
    // Compared as values, as the --set would be read (YAML: `07` and `0x7` are 7).
    const other = (o.set ?? []).map((t) => /^\s*run\.seed\s*=\s*(.*?)\s*$/.exec(t)).find((m) => m && parseYaml(m[1]!) !== Number(o.seed));
    if (other) command.error(`error: --seed ${o.seed} and --set run.seed=${other[1]} disagree; --seed N is --set run.seed=N, give one of them`, { exitCode: 2, code: "loopdrv.seedConflict" });
  });

  const color = () => useColor(io, "stderr", program.opts<{ color?: boolean }>().color);
  const configure = (c: Command) =>
    c.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) }).showSuggestionAfterError(true);

  configure(
    scenarioOptions(
      program
        .command("validate")
        .description("check scenario files: YAML, schema, units, references and sweeps")
        .argument("<file...>", "scenario files")
        .option("--quick", "check the points `run --quick` would run too (its overrides; a fault's time against its shorter run)")
        .option("-q, --quiet", "print only problems"),
    ),
  ).action(async (files: string[], opts) => {
    result.code = await validateCommand(io, files, { set: setsOf(opts), force: !!opts.force, quiet: !!opts.quiet, color: color(), quick: !!opts.quick });
  });

  configure(
    program
      .command("schema")
      .description("print the JSON Schema of scenario files (or of the results document)")
      .option("--results", "print the results-document schema instead"),
  ).action(async (opts) => {
    result.code = await schemaCommand(io, { results: !!opts.results });
  });

  configure(
    scenarioOptions(
      program
        .command("plan")
        .description("expand the sweep: the points, each point's parameters, and where every value came from")
        .argument("<file>", "scenario file")
        .option("--quick", "apply the scenario's quick overrides (short durations) as `run --quick` would")
        .option("--json", "print the plan as JSON")
        .option("--point <id>", "show every resolved parameter of one point (index or id)"),
    ),
  ).action(async (file: string, opts) => {
    result.code = await planCommand(io, file, {
      set: setsOf(opts),
      force: !!opts.force,
      quick: !!opts.quick,
      json: !!opts.json,
      point: opts.point as string | undefined,
      color: color(),
    });
  });

  configure(
    scenarioOptions(
      program
        .command("run")
        .description("run every point of a scenario's sweep and write the results document")
        .argument("[file]", `scenario file (default: ${DEFAULT_SCENARIO}, from the loopdrv package when the current directory has none)`)
        .option("--quick", "short runs: the scenario's run.quick overrides, or durations ÷ 10, disk bytes 1 MiB, 1 repetition")
        .option("--json", "print the results document on stdout (progress goes to stderr)")
        .option("--out <dir>", "write results.json, results.csv and the figure (figure.svg, figure.png) into DIR (a new or empty directory, or one with earlier results)")
        .option("-q, --quiet", "no progress lines or summary")
        .option("-j, --jobs <n>", "points simulated at once, in worker threads (default: the number of cores)", parseJobs)
        .option("--no-cache", "simulate every point; neither read nor write the result cache (LOOPDRV_CACHE_DIR, default ~/.cache/loopdrv)")
        .option("--shard <i/n>", "run only the points k (0-based, plan order) with k mod n = i-1; combine the shards with `loopdrv merge`", parseShardOption)
        .option("-w, --watch", "stay open: rerun the points an edit changes each time the scenario (or a file it extends) is saved; --out rewrites its files after each rerun (not with --json or --shard); q quits"),
    ),
  ).action(async (given: string | undefined, opts) => {
    const cwd = io.cwd ?? process.cwd();
    result.code = await runCommand(io, given ?? defaultScenario(cwd), {
      set: setsOf(opts),
      force: !!opts.force,
      quick: !!opts.quick,
      json: !!opts.json,
      ...(opts.out !== undefined ? { out: opts.out as string } : {}),
      quiet: !!opts.quiet,
      color: color(),
      cwd,
      jobs: (opts.jobs as number | undefined) ?? io.cores ?? 1,
      cache: opts.cache !== false,
      ...(opts.shard ? { shard: opts.shard as Shard } : {}),
      ...(opts.watch ? { watch: true } : {}),
    });
  });

  configure(
    program
      .command("merge")
      .description("merge the documents of `run --shard i/n` into the document a single run would write")
      .argument("<file...>", "results documents of the shards (results.json or saved --json output)")
      .option("--out <dir>", "write the files `run --out` writes (results.json, results.csv, the figure) into DIR instead of printing the document")
      .option("-q, --quiet", "no summary on stderr"),
  ).action(async (files: string[], opts) => {
    result.code = await mergeCommand(io, files, {
      ...(opts.out !== undefined ? { out: opts.out as string } : {}),
      quiet: !!opts.quiet,
      color: color(),
      cwd: io.cwd ?? process.cwd(),
    });
  });

  return program;
}

/**
 * `--seed N`: checked here, so a bad one is reported as the flag the user typed (the schema
 * would report it as `--set:1:10`, a --set they did not write). Bounds as `run.seed`'s.
 */
function parseSeed(text: string): string {
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n > 0xffff_ffff) throw new InvalidArgumentError("Expected a whole number from 0 to 4294967295.");
  return String(n);
}

/** `--jobs N`: a whole number ≥ 1. */
function parseJobs(text: string): number {
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError("Expected a whole number of jobs, 1 or more.");
  return n;
}

/** `--shard i/n` (src/run/shard.ts). */
function parseShardOption(text: string): Shard {
  const r = parseShard(text);
  // Commander prints "argument 'X' is invalid. <message>": a sentence.
  if (!r.ok) throw new InvalidArgumentError(r.message[0]!.toUpperCase() + r.message.slice(1) + ".");
  return r.shard;
}

/** `loopdrv run` with no file runs the main job. */
export const DEFAULT_SCENARIO = "scenarios/gige-user.yaml";

/**
 * The main job's file: the current directory's `scenarios/gige-user.yaml` (a checkout, or a
 * copy being edited), else the one the package ships, so `loopdrv run` works from anywhere.
 */
function defaultScenario(cwd: string): string {
  return existsSync(path.resolve(cwd, DEFAULT_SCENARIO)) ? DEFAULT_SCENARIO : packagePath(DEFAULT_SCENARIO);
}

/** Run the CLI; returns the exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const result = { code: EXIT.ok as number };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; help shown because no command was given is a usage error.
      if (e.exitCode === 0) return EXIT.ok;
      return EXIT.badInput;
    }
    io.err(formatDiagnostic(internalDiagnostic(e)) + "\n");
    return EXIT.internal;
  }
}
