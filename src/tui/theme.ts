/**
 * Semantic colours of the dashboard. Components ask for a role ("accent", "ok", a series
 * index), never for a colour; with colour off (NO_COLOR, --no-color) every role is
 * undefined and Ink prints no colour codes.
 */
export interface Theme {
  /** Titles, the scenario name. */
  accent?: string;
  /** Labels, units, secondary text. */
  muted?: string;
  ok?: string;
  warn?: string;
  error?: string;
  /** The progress bar's filled part. */
  bar?: string;
  /** Reference (paper) values. */
  reference?: string;
  /** One colour per series, in series order (wraps around). */
  series: readonly (string | undefined)[];
  /** CPU activity classes in the breakdown bar. */
  cpu: Readonly<Record<string, string | undefined>>;
}

export const COLOUR_THEME: Theme = {
  accent: "cyanBright",
  muted: "gray",
  ok: "green",
  warn: "yellow",
  error: "red",
  bar: "cyan",
  reference: "whiteBright",
  series: ["cyan", "magenta", "yellow", "green", "blue", "red"],
  cpu: {
    application: "green",
    stack: "blue",
    driver: "magenta",
    irq: "red",
    softirq: "yellow",
    context_switch: "cyan",
    syscall: "white",
    idle: "gray",
  },
};

export const MONO_THEME: Theme = { series: [undefined], cpu: {} };

export function themeFor(color: boolean): Theme {
  return color ? COLOUR_THEME : MONO_THEME;
}

export function seriesTone(theme: Theme, i: number): string | undefined {
  return theme.series[i % theme.series.length];
}
