// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/** The points being simulated now, each with its own progress. */
import { Box, Text } from "ink";
import { Bar } from "./Bar.js";
import type { Theme } from "./theme.js";
import type { RunningView } from "./view.js";

export interface RunningPointsProps {
  running: readonly RunningView[];
  width: number;
  theme: Theme;
}

export function RunningPoints({ running, width, theme }: RunningPointsProps) {
  if (running.length === 0) return <Text color={theme.muted}>waiting for the first point…</Text>;
  return (
    <Box flexDirection="column">
      {running.map((r) => (
        <Text key={r.id} wrap="truncate">
          <Text color={theme.accent}>▸ {r.id}</Text> <Bar fraction={r.fraction} width={Math.max(6, Math.min(16, width - 70))} tone={theme.bar} emptyTone={theme.muted} />
          <Text> {`${Math.floor(r.fraction * 100)}%`.padStart(4)} </Text>
          <Text color={theme.muted}>{r.sim}</Text> {r.params}
        </Text>
      ))}
    </Box>
  );
}
