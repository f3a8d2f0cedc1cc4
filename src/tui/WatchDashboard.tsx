// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/**
 * The watch dashboard (`run --watch`): one live area, redrawn in place after every save —
 * title, what is watched, the status line, the outcome (or progress), the diagnostics of a
 * broken file, the chart with the previous run faint under the new curves, the points
 * table, the keys. Presentational: everything comes from watch-view.ts.
 */
import { Box, Text } from "ink";
import { Charts } from "./Charts.js";
import { TableHeader } from "./TableHeader.js";
import type { Theme } from "./theme.js";
import type { Tone, WatchView } from "./watch-view.js";
import { WatchProgress } from "./WatchProgress.js";
import { WatchRowLine } from "./WatchRow.js";

function toneColor(theme: Theme, tone: Tone): string | undefined {
  return tone === "plain" ? undefined : theme[tone];
}

export interface WatchDashboardProps {
  view: WatchView;
  width: number;
  theme: Theme;
}

export function WatchDashboard({ view: v, width, theme }: WatchDashboardProps) {
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text bold color={theme.accent}>
          {v.title}
        </Text>
        {v.description ? <Text color={theme.muted}> — {v.description}</Text> : null}
      </Text>
      <Text wrap="truncate" color={theme.muted}>
        {v.watching}
      </Text>
      <Text wrap="truncate" color={toneColor(theme, v.status.tone)} bold={v.status.tone !== "muted"}>
        {v.status.text}
      </Text>
      {v.progress ? (
        <WatchProgress progress={v.progress} width={width} theme={theme} />
      ) : (
        <Text wrap="truncate" color={v.outcome ? toneColor(theme, v.outcome.tone) : undefined}>
          {v.outcome?.text ?? " "}
        </Text>
      )}
      {v.diagnostics ? (
        <Box flexDirection="column" marginTop={1}>
          {v.diagnostics.map((l, i) => (
            <Text key={i} wrap="truncate">
              {l === "" ? " " : l}
            </Text>
          ))}
        </Box>
      ) : null}
      {v.chart ? <Charts chart={v.chart} theme={theme} /> : null}
      {v.table ? (
        <Box flexDirection="column" marginTop={1}>
          <TableHeader columns={v.table.columns} theme={theme} />
          {v.table.rows.map((r, i) => (
            <WatchRowLine key={i} columns={v.table!.columns} row={r} theme={theme} />
          ))}
        </Box>
      ) : null}
      <Text wrap="truncate" color={theme.muted}>
        {v.keys}
      </Text>
    </Box>
  );
}
