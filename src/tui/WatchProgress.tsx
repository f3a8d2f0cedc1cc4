// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/** The watch dashboard's progress line while a run goes: bar, points done, cached, elapsed, ETA. */
import { Text } from "ink";
import { Bar } from "./Bar.js";
import type { Theme } from "./theme.js";
import type { ProgressView } from "./view.js";

export interface WatchProgressProps {
  progress: ProgressView;
  width: number;
  theme: Theme;
}

export function WatchProgress({ progress: p, width, theme }: WatchProgressProps) {
  const barWidth = Math.max(10, Math.min(30, width - 70));
  return (
    <Text wrap="truncate">
      <Bar fraction={p.fraction} width={barWidth} tone={theme.bar} emptyTone={theme.muted} />
      <Text bold> {`${Math.floor(p.fraction * 100)}%`.padStart(4)}</Text>
      <Text>
        {"  "}
        {p.done}/{p.total} points
      </Text>
      {p.cached ? <Text color={theme.muted}> · {p.cached} cached</Text> : null}
      {p.failed ? <Text color={theme.error}> · {p.failed} failed</Text> : null}
      <Text color={theme.muted}> · {p.elapsed} elapsed</Text>
      {/* Only an estimate: "ETA after the first slices" says little while one point reruns. */}
      {/^(ETA \d|done)/.test(p.eta) ? <Text> · {p.eta}</Text> : null}
    </Text>
  );
}
