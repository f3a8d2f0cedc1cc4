/**
 * A stacked bar's cells: each part's share of `width` cells, rounded so the cells add up to
 * the width exactly (largest remainder first), in the given order.
 */
export function stackCells(shares: readonly number[], width: number): number[] {
  const total = shares.reduce((a, b) => a + Math.max(0, b), 0);
  if (total <= 0 || width <= 0) return shares.map(() => 0);
  const exact = shares.map((s) => (Math.max(0, s) / total) * width);
  const cells = exact.map(Math.floor);
  let left = width - cells.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    cells[i]!++;
    left--;
  }
  return cells;
}

/** CPU activity classes in bar order, with short names. */
export const CPU_PARTS: readonly { cls: string; label: string }[] = [
  { cls: "application", label: "app" },
  { cls: "stack", label: "stack" },
  { cls: "driver", label: "driver" },
  { cls: "irq", label: "irq" },
  { cls: "softirq", label: "softirq" },
  { cls: "context_switch", label: "ctxsw" },
  { cls: "syscall", label: "syscall" },
  { cls: "idle", label: "idle" },
];
