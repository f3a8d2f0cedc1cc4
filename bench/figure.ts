/**
 * What a bench figure is. Each module in bench/figures/ exports one `Figure`; the list in
 * bench/figures/index.ts decides which run and in what order.
 */

export interface MetricInfo {
  /** Unit of the number, as printed for people ("events/s", "ratio", "bytes"). */
  unit: string;
  /** One line: what is measured, on which model, and how. */
  description: string;
  /** The target, when there is one ("≥ 15e6"), printed next to the figure. */
  goal?: string;
}

export interface Figure {
  /** Short name for `--only` and progress lines. */
  readonly id: string;
  /** Every number `run` returns, by name: its unit and meaning. */
  readonly metrics: Readonly<Record<string, MetricInfo>>;
  /** Measure. Returns exactly the names declared in `metrics`. */
  run(): Promise<Record<string, number>>;
}

/** A figure computed from others (bench/figures/index.ts), e.g. the largest peak RSS. */
export interface Derived {
  readonly name: string;
  readonly info: MetricInfo;
  /** The value from the figures measured so far, or undefined when none it needs ran. */
  compute(results: Readonly<Record<string, number>>): number | undefined;
}
