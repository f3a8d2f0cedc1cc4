/**
 * How the live area fits the terminal. Ink redraws the live area in place only while it is
 * shorter than the terminal; a taller one makes Ink clear the screen and reprint everything,
 * finished output included. So the live area is planned to stay at least two lines short of
 * the terminal, giving up, in order: chart height, the counters, the second chart panel,
 * the chart.
 */

export interface LiveLayout {
  /** Running points listed (at most). */
  running: number;
  counters: boolean;
  chart?: {
    /** Metrics shown: the first `panels` of the figure's y. */
    panels: number;
    sideBySide: boolean;
    /** Canvas rows and total width (gutter included) of each panel. */
    rows: number;
    cols: number;
  };
}

export interface LayoutInput {
  columns: number;
  rows: number;
  /** Points running now. */
  running: number;
  /** Y metrics the chart would show (0: no chart possible). */
  metrics: number;
}

/** Lines of the live area besides the chart and counters: progress (2), keys (1). */
const FIXED = 3;
/** Around each chart panel: title, x axis, x labels. */
const PANEL_CHROME = 3;
/** The legend and a blank line above the chart. */
const CHART_CHROME = 2;
/** The counters block: a blank line, rates, CPU, drops. */
const COUNTERS = 4;
const MIN_CHART_ROWS = 3;
const MIN_STACKED_ROWS = 6;
const MAX_CHART_ROWS = 10;
/** A panel narrower than this is not worth drawing. */
const MIN_PANEL_COLS = 36;
const MAX_RUNNING = 4;

export function liveLayout(i: LayoutInput): LiveLayout {
  const budget = Math.max(0, i.rows - 2);
  const running = Math.min(Math.max(1, i.running), MAX_RUNNING);
  const avail = budget - FIXED - running;
  const out: LiveLayout = { running, counters: false };
  if (avail <= 0) return { running: Math.max(0, running + avail), counters: false };

  const tryChart = (panels: number, sideBySide: boolean, spare: number) => {
    if (i.metrics === 0 || panels === 0) return undefined;
    const stacked = sideBySide ? 1 : panels;
    const cols = sideBySide ? Math.floor((i.columns - 2) / panels) : i.columns - 1;
    if (cols < MIN_PANEL_COLS) return undefined;
    const rows = Math.min(MAX_CHART_ROWS, Math.floor((spare - CHART_CHROME - stacked * PANEL_CHROME) / stacked));
    // Two short stacked panels say less than one tall one.
    return rows >= (stacked > 1 ? MIN_STACKED_ROWS : MIN_CHART_ROWS) ? { panels, sideBySide, rows, cols } : undefined;
  };
  const chartFor = (spare: number) => {
    const both = Math.min(2, i.metrics);
    const wide = both === 2 && i.columns - 2 >= 2 * MIN_PANEL_COLS;
    return tryChart(both, wide, spare) ?? tryChart(1, false, spare);
  };

  // Counters if a chart still fits beside them, else the chart alone, else counters alone.
  const withCounters = avail >= COUNTERS ? chartFor(avail - COUNTERS) : undefined;
  if (withCounters) {
    out.counters = true;
    out.chart = withCounters;
    return out;
  }
  const alone = chartFor(avail);
  if (alone) {
    out.chart = alone;
    return out;
  }
  if (avail >= COUNTERS) out.counters = true;
  return out;
}
