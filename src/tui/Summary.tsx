// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/** The end-of-run summary: counts, failures, key results, the reference comparison, expect outcomes, files. */
import { Box, Text } from "ink";
import { metricLabel } from "../report/labels.js";
import { countsLine, type SummaryData } from "../report/summary.js";
import type { Theme } from "./theme.js";

export interface SummaryProps {
  summary: SummaryData;
  theme: Theme;
}

export function Summary({ summary: s, theme }: SummaryProps) {
  const bad = s.counts.failed + s.counts.crashed > 0;
  const failedChecks = s.expect.filter((x) => !x.passed).length;
  const w = Math.max(0, ...s.keyResults.map((k) => k.series.length));
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold color={bad ? theme.error : s.partial ? theme.warn : theme.ok}>
        {countsLine(s)}
      </Text>
      {s.failures.map((f) => (
        <Text key={f.id} color={theme.error}>
          {"  "}
          {f.id} {f.status}: {f.error}
        </Text>
      ))}
      {s.keyResults.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color={theme.accent}>{s.xLabel ? `key results, against ${s.xLabel}` : "key results"}</Text>
          {s.keyResults.map((k) => (
            <Text key={k.series}>
              {"  "}
              {k.series.padEnd(w)}
              {"  "}
              {k.items.length ? k.items.map((i) => `${metricLabel(i.metric)} ${i.text}`).join("; ") : <Text color={theme.muted}>no values</Text>}
            </Text>
          ))}
        </Box>
      ) : null}
      {s.reference ? (
        <Box flexDirection="column" marginTop={1}>
          <Text>
            <Text color={theme.accent}>reference {s.reference.name}</Text>
            <Text color={theme.muted}> ({s.reference.provenance})</Text>
          </Text>
          {s.reference.rows.map((r, i) => (
            <Box key={i} flexDirection="column">
              <Text>
                {"  "}
                {r.series} {r.what}: <Text color={theme.reference}>paper {r.paper}</Text>
                {", "}
                {r.run ? `run ${r.run}${r.diff ? ` (${r.diff})` : ""}` : <Text color={theme.muted}>no run value there (outside the sweep, or not run)</Text>}
              </Text>
              {r.note ? (
                <Text color={theme.muted} wrap="truncate">
                  {"      "}
                  {r.note}
                </Text>
              ) : null}
            </Box>
          ))}
          {s.reference.claims.map((c, i) => (
            <Text key={`c${i}`} color={theme.muted}>
              {"  "}paper: {c}
            </Text>
          ))}
          {s.reference.notes.map((n, i) => (
            <Text key={`n${i}`} color={theme.warn}>
              {"  "}note: {n}
            </Text>
          ))}
        </Box>
      ) : null}
      {s.expect.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color={failedChecks ? theme.error : theme.accent}>
            expect: {s.expect.length - failedChecks} passed, {failedChecks} failed
          </Text>
          {s.expect.map((x, i) => (
            <Text key={i}>
              {"  "}
              <Text color={x.passed ? theme.ok : theme.error}>{x.passed ? "✓ pass" : "✗ FAIL"}</Text> {x.name}
              <Text color={theme.muted}> — {x.detail}</Text>
            </Text>
          ))}
        </Box>
      ) : null}
      {s.notes.map((n, i) => (
        <Text key={`note${i}`} color={theme.warn}>
          note: {n}
        </Text>
      ))}
      <Box flexDirection="column" marginTop={1}>
        {s.written.map((f) => (
          <Text key={f}>
            <Text color={theme.muted}>wrote </Text>
            {f}
          </Text>
        ))}
        {!s.json && s.written.length === 0 ? <Text color={theme.muted}>(no files written: add --out DIR or --json)</Text> : null}
      </Box>
    </Box>
  );
}
