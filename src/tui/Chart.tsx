// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/** One chart panel: title, y labels in a gutter, the braille plot, the x axis and its labels. */
import { Box, Text } from "ink";
import type { ChartPanelModel } from "./chart-model.js";
import type { Theme } from "./theme.js";

export interface ChartProps {
  panel: ChartPanelModel;
  theme: Theme;
}

export function Chart({ panel, theme }: ChartProps) {
  const { rows, yLabels, gutter, cols } = panel;
  const mid = Math.floor((rows.length - 1) / 2);
  const labelAt = (i: number) => (i === 0 ? yLabels[0] : i === rows.length - 1 ? yLabels[2] : i === mid && rows.length >= 5 ? yLabels[1] : "");
  return (
    <Box flexDirection="column" width={gutter + cols + 1}>
      <Text wrap="truncate" bold>
        {panel.title}
      </Text>
      {rows.map((segs, i) => (
        <Text key={i} wrap="truncate">
          <Text color={theme.muted}>
            {labelAt(i).padStart(gutter - 1)} {labelAt(i) ? "┤" : "│"}
          </Text>
          {segs.map((s, j) => (
            <Text key={j} color={s.tone}>
              {s.text}
            </Text>
          ))}
        </Text>
      ))}
      <Text color={theme.muted} wrap="truncate">
        {" ".repeat(gutter)}└{"─".repeat(cols)}
      </Text>
      <Text color={theme.muted} wrap="truncate">
        {" ".repeat(gutter + 1)}
        {panel.xAxis}
      </Text>
    </Box>
  );
}
