// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/** The run's header, printed once above everything: what runs, on what, comparing what. */
import { Box, Text } from "ink";
import type { RunInfo } from "../report/run-info.js";
import type { Theme } from "./theme.js";

export interface HeaderProps {
  info: Pick<RunInfo, "name" | "description" | "machine" | "devices" | "workload" | "variants" | "sets" | "x" | "reference" | "quick" | "points" | "shard" | "shardPoints">;
  theme: Theme;
}

function Field({ label, value, theme }: { label: string; value: string; theme: Theme }) {
  return (
    <Text wrap="truncate">
      <Text color={theme.muted}>{label.padEnd(10)}</Text>
      {value}
    </Text>
  );
}

/** "100", or for a shard "33 of 100 (shard 2/3)". */
function pointsText(info: HeaderProps["info"]): string {
  const n = info.points.length;
  return info.shard ? `${info.shardPoints} of ${n} (shard ${info.shard.index}/${info.shard.count})` : String(n);
}

export function Header({ info, theme }: HeaderProps) {
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text wrap="truncate">
        <Text bold color={theme.accent}>
          loopdrv · {info.name}
        </Text>
        {info.description ? <Text color={theme.muted}> — {info.description}</Text> : null}
      </Text>
      <Field label="machine" value={info.machine} theme={theme} />
      <Field label="devices" value={info.devices.join(", ")} theme={theme} />
      <Field label="workload" value={info.workload} theme={theme} />
      {info.sets.length ? <Field label="--set" value={info.sets.join(", ")} theme={theme} /> : null}
      {info.variants.length ? <Field label="comparing" value={info.variants.join("; ")} theme={theme} /> : null}
      {info.x ? <Field label="swept" value={info.x} theme={theme} /> : null}
      {info.reference ? <Field label="reference" value={info.reference} theme={theme} /> : null}
      <Field label="points" value={`${pointsText(info)}${info.quick ? " (quick)" : ""}`} theme={theme} />
    </Box>
  );
}
