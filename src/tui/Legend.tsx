// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/** The chart's legend: each series' line style and colour (kernel solid, user dashed), the reference marker. */
import { Text } from "ink";
import type { LegendItem } from "./chart-model.js";
import type { Theme } from "./theme.js";

export interface LegendProps {
  items: readonly LegendItem[];
  theme: Theme;
}

export function Legend({ items, theme }: LegendProps) {
  return (
    <Text wrap="truncate">
      {items.map((it, i) => (
        <Text key={i}>
          {i ? "   " : ""}
          <Text color={it.tone}>{it.marker ?? (it.dashed ? "╍╍" : "━━")}</Text> <Text color={theme.muted}>{it.label}</Text>
        </Text>
      ))}
    </Text>
  );
}
