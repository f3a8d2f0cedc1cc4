// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/** One finished point in the table: its parameters and measured values, or what went wrong. */
import { Text } from "ink";
import { COLUMN_GAP, fit, type Column, type RowCells } from "./table.js";
import type { Theme } from "./theme.js";

export interface PointRowProps {
  columns: readonly Column[];
  row: RowCells;
  theme: Theme;
}

export function PointRow({ columns, row, theme }: PointRowProps) {
  const gap = " ".repeat(COLUMN_GAP);
  const lead = columns.filter((c) => c.kind === "id" || c.kind === "param");
  const rest = columns.slice(lead.length);
  const leadText = lead.map((c, i) => fit(row.cells[i]!, c.width, c.align)).join(gap);
  if (row.problem) {
    return (
      <Text wrap="truncate">
        {leadText}
        {gap}
        <Text color={row.status === "not-run" ? theme.muted : theme.error}>{row.problem}</Text>
      </Text>
    );
  }
  return (
    <Text wrap="truncate">
      {leadText}
      {rest.map((c, i) => (
        <Text key={c.key} color={c.kind === "wall" ? theme.muted : undefined}>
          {gap}
          {fit(row.cells[lead.length + i]!, c.width, c.align)}
        </Text>
      ))}
    </Text>
  );
}
