/**
 * How a run is shown while it goes: the runner emits progress events; a reporter (plain
 * lines for CI and pipes, the dashboard on a terminal, nothing with --quiet) turns them
 * into output and prints the summary at the end. Reporters never touch the simulation.
 */
import type { Plan } from "../dsl/plan.js";
import type { ResultsDocument } from "./results.js";
import type { ProgressEvent } from "./runner.js";

export interface RunSummary {
  plan: Plan;
  doc: ResultsDocument;
  /** Files written, relative to the working directory. */
  written: string[];
  /** Why no figure was written with them, if none was. */
  figureSkipped?: string;
  wallSeconds: number;
  /** Why the run stopped early, if it did. */
  stoppedBy?: string;
  /** Whether the document went to stdout (--json). */
  json: boolean;
  /** Whether --out was given (its files are listed in `written`, or an error follows). */
  out?: boolean;
  /** Points served from the result cache. */
  cached?: number;
}

export interface Reporter {
  onEvent(e: ProgressEvent): void;
  finish(summary: RunSummary): void | Promise<void>;
  /** The run failed before `finish` (an internal error): release the terminal. */
  abort?(): void;
}

export const silentReporter: Reporter = {
  onEvent() {},
  finish() {},
};
