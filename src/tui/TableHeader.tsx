// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/** Column titles of the finished-points table, printed once with the first finished point. */
import { Text } from "ink";
import { COLUMN_GAP, fit, type Column } from "./table.js";
import type { Theme } from "./theme.js";

export interface TableHeaderProps {
  columns: readonly Column[];
  theme: Theme;
}

export function TableHeader({ columns, theme }: TableHeaderProps) {
  const gap = " ".repeat(COLUMN_GAP);
  return (
    <Text wrap="truncate" color={theme.muted} underline={theme.muted !== undefined}>
      {columns.map((c) => fit(c.title, c.width, c.align)).join(gap)}
    </Text>
  );
}
