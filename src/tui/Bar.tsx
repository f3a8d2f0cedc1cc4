// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/** A horizontal progress bar: `fraction` of `width` cells filled. */
import { Text } from "ink";

export interface BarProps {
  fraction: number;
  width: number;
  tone?: string;
  emptyTone?: string;
}

/** Cells filled for a fraction (eighths would be finer, but whole cells read best in logs). */
export function barCells(fraction: number, width: number): number {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  return Math.round(f * width);
}

export function Bar({ fraction, width, tone, emptyTone }: BarProps) {
  const full = barCells(fraction, width);
  return (
    <Text>
      <Text color={tone}>{"█".repeat(full)}</Text>
      <Text color={emptyTone}>{"░".repeat(width - full)}</Text>
    </Text>
  );
}
