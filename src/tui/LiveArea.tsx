// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/** The redrawn part of the dashboard: progress, running points, their counters, the chart, the keys. */
import { Box, Text } from "ink";
import { Charts } from "./Charts.js";
import { Counters } from "./Counters.js";
import { Progress } from "./Progress.js";
import { RunningPoints } from "./RunningPoints.js";
import type { Theme } from "./theme.js";
import type { LiveView } from "./view.js";

export interface LiveAreaProps {
  view: LiveView;
  width: number;
  theme: Theme;
}

export function LiveArea({ view, width, theme }: LiveAreaProps) {
  return (
    <Box flexDirection="column" width={width}>
      <Progress progress={view.progress} width={width} theme={theme} />
      <RunningPoints running={view.running} done={view.progress.done} total={view.progress.total} stopping={view.stopping !== undefined} width={width} theme={theme} />
      {view.counters ? <Counters id={view.counters.id} rates={view.counters.rates} width={width} theme={theme} /> : null}
      {view.chart ? <Charts chart={view.chart} theme={theme} /> : null}
      <Text wrap="truncate" color={view.stopping ? theme.warn : theme.muted}>
        {view.stopping ?? (view.keys === "q" ? "q stop (finished points are kept) · Ctrl-C stop" : "Ctrl-C stop (finished points are kept)")}
      </Text>
    </Box>
  );
}
