// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/**
 * The running point's mechanisms, over its last slice: interrupts, driver activations,
 * context switches and system calls per simulated second, CPU time by activity, drops by
 * stage.
 */
import { Box, Text } from "ink";
import { formatRate } from "../report/labels.js";
import type { LiveRates } from "../report/progress.js";
import { CPU_PARTS, stackCells } from "./stack.js";
import type { Theme } from "./theme.js";

export interface CountersProps {
  id: string;
  rates: LiveRates;
  width: number;
  theme: Theme;
}

export function Counters({ id, rates, width, theme }: CountersProps) {
  const shares = CPU_PARTS.map((p) => rates.cpu[p.cls] ?? 0);
  const parts = CPU_PARTS.filter((_, i) => shares[i]! >= 0.0005);
  const text = parts.map((p) => ` ${p.label} ${(100 * (rates.cpu[p.cls] ?? 0)).toFixed(1)}`).join("");
  // The bar only where colour tells its parts apart and the numbers still fit beside it.
  const room = width - "CPU % ".length - text.length - 1;
  const barWidth = theme.cpu.application !== undefined && room >= 8 ? Math.min(30, room) : 0;
  const cells = stackCells(shares, barWidth);
  const drops = Object.entries(rates.drops).filter(([, n]) => n > 0);
  const rate = (label: string, v: number) => (
    <Text>
      <Text color={theme.muted}>{label} </Text>
      {rates.warmup ? "—" : formatRate(v)}
      {"  "}
    </Text>
  );
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text wrap="truncate">
        <Text color={theme.accent}>{id} </Text>
        {rates.warmup ? <Text color={theme.warn}>warming up (counters start with the measurement) </Text> : null}
        {rate("interrupts", rates.interruptsPerS)}
        {rate("activations", rates.driverActivationsPerS)}
        {rate("ctx switches", rates.contextSwitchesPerS)}
        {rate("syscalls", rates.systemCallsPerS)}
      </Text>
      <Text wrap="truncate">
        <Text color={theme.muted}>CPU % </Text>
        {CPU_PARTS.map((p, i) => (
          <Text key={p.cls} color={theme.cpu[p.cls]}>
            {"█".repeat(cells[i]!)}
          </Text>
        ))}
        {parts.map((p) => (
          <Text key={p.cls}>
            {" "}
            <Text color={theme.cpu[p.cls]}>{p.label}</Text> {(100 * (rates.cpu[p.cls] ?? 0)).toFixed(1)}
          </Text>
        ))}
      </Text>
      <Text wrap="truncate">
        <Text color={theme.muted}>drops </Text>
        {drops.length === 0 ? <Text color={theme.muted}>none so far</Text> : drops.map(([k, n]) => <Text key={k} color={theme.warn}>{`${k} ${n}  `}</Text>)}
      </Text>
    </Box>
  );
}
