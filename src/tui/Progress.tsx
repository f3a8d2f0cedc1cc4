// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/** Progress over the whole sweep: bar, points done, share of the work, elapsed, ETA, speed. */
import { Box, Text } from "ink";
import { Bar } from "./Bar.js";
import type { Theme } from "./theme.js";
import type { ProgressView } from "./view.js";

export interface ProgressProps {
  progress: ProgressView;
  width: number;
  theme: Theme;
}

export function Progress({ progress: p, width, theme }: ProgressProps) {
  const barWidth = Math.max(10, Math.min(40, width - 60));
  const pct = `${Math.floor(p.fraction * 100)}%`.padStart(4);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Bar fraction={p.fraction} width={barWidth} tone={theme.bar} emptyTone={theme.muted} />
        <Text bold> {pct}</Text>
        <Text>
          {"  "}
          {p.done}/{p.total} points
        </Text>
        {p.failed ? <Text color={theme.error}> · {p.failed} failed</Text> : null}
        {p.cached ? <Text color={theme.muted}> · {p.cached} cached</Text> : null}
        <Text color={theme.muted}> · {p.elapsed} elapsed · </Text>
        <Text>{p.eta}</Text>
      </Text>
      <Text wrap="truncate" color={theme.muted}>
        {p.speed ? `speed ${p.speed}` : "speed —"}
      </Text>
    </Box>
  );
}
