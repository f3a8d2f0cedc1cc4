// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/** The points being simulated now, each with its own progress. */
import { Box, Text } from "ink";
import { Bar } from "./Bar.js";
import type { Theme } from "./theme.js";
import type { RunningView } from "./view.js";

export interface RunningPointsProps {
  running: readonly RunningView[];
  /** Points finished so far (of `total`): with none running, says whether one is still to come. */
  done: number;
  total: number;
  /** A stop was asked for: no point is to come. */
  stopping?: boolean;
  width: number;
  theme: Theme;
}

export function RunningPoints({ running, done, total, stopping, width, theme }: RunningPointsProps) {
  if (running.length === 0) {
    // Between two points (a worker taking the next) or at the very end, nothing runs for a frame.
    if (done >= total || stopping) return null;
    return <Text color={theme.muted}>{done === 0 ? "waiting for the first point…" : "starting the next point…"}</Text>;
  }
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
