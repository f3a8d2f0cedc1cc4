// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/**
 * A point of the watch dashboard's table. Simulated again after an edit: bold, in the
 * accent colour. Cached: plain, "cached" faint. Not finished yet: its values from the last
 * run, faint, until the new ones replace them; a running point's progress in the accent
 * colour.
 */
import { Text } from "ink";
import { COLUMN_GAP, fit, type Column } from "./table.js";
import type { Theme } from "./theme.js";
import type { WatchRow } from "./watch-view.js";

export interface WatchRowProps {
  columns: readonly Column[];
  row: WatchRow;
  theme: Theme;
}

export function WatchRowLine({ columns, row, theme }: WatchRowProps) {
  const gap = " ".repeat(COLUMN_GAP);
  const lead = columns.filter((c) => c.kind === "id" || c.kind === "param").length;
  const last = columns.length - 1;
  const text = (from: number, to: number) =>
    columns
      .slice(from, to)
      .map((c, i) => fit(row.cells[from + i]!, c.width, c.align))
      .join(gap);
  const fresh = row.tone === "fresh";
  const leadColor = fresh || row.tone === "running" ? theme.accent : undefined;
  if (row.problem) {
    return (
      <Text wrap="truncate">
        <Text color={leadColor}>{text(0, lead)}</Text>
        {gap}
        <Text color={theme.error}>{row.problem}</Text>
      </Text>
    );
  }
  const valuesColor = fresh ? theme.accent : row.tone === "running" || row.tone === "queued" ? theme.muted : undefined;
  const wallColor = fresh || row.tone === "running" ? theme.accent : theme.muted;
  return (
    <Text wrap="truncate">
      <Text color={leadColor} bold={fresh}>
        {text(0, lead)}
      </Text>
      {last > lead ? (
        <Text color={valuesColor} bold={fresh}>
          {gap}
          {text(lead, last)}
        </Text>
      ) : null}
      {gap}
      <Text color={wallColor}>{fit(row.cells[last]!, columns[last]!.width, "right")}</Text>
    </Text>
  );
}
