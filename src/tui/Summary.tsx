// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/** The end-of-run summary: counts, failures, key results, the reference comparison, expect outcomes, files. */
import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { metricLabel } from "../report/labels.js";
import { notChecked } from "../run/expect.js";
import { CLAIMS_NOTE, countsLine, expectCountLine, type SummaryData } from "../report/summary.js";
import type { Theme } from "./theme.js";

export interface SummaryProps {
  summary: SummaryData;
  theme: Theme;
}

/** A run of text in one colour (undefined: the terminal's). */
type Part = readonly [text: string, color?: string];

/**
 * `lead`, then `parts` wrapped to the width left, each wrapped line starting under the first
 * (a hanging indent). Words are laid out by Yoga, one <Text> each: Ink's own wrapping keeps
 * the space at a break, which would start a continuation line one column off.
 */
function Hanging({ lead, parts }: { lead: ReactNode; parts: readonly Part[] }) {
  // A number stays with its unit (`790 Mb/s`), so no line starts with a bare unit.
  const words = parts.flatMap(([text, color]) => text.split(/(?<!(?:^|\s)[−+-]?[\d.]+)\s+/).filter(Boolean).map((w) => [w, color] as const));
  return (
    <Box>
      <Box flexShrink={0}>
        <Text>{lead}</Text>
      </Box>
      <Box flexGrow={1} flexShrink={1} flexWrap="wrap" columnGap={1}>
        {words.map(([w, color], k) => (
          <Text key={k} {...(color ? { color } : {})}>
            {w}
          </Text>
        ))}
      </Box>
    </Box>
  );
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
        <Hanging key={f.id} lead={`  ${f.id} ${f.status}: `} parts={[[f.error, theme.error]]} />
      ))}
      {s.keyResults.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color={theme.accent}>{s.xLabel ? `key results, against ${s.xLabel}` : "key results"}</Text>
          {s.keyResults.map((k) => (
            <Hanging
              key={k.series}
              lead={`  ${k.series.padEnd(w)}  `}
              parts={k.items.length ? [[k.items.map((i) => `${metricLabel(i.metric)} ${i.text}`).join("; ")]] : [["no values", theme.muted]]}
            />
          ))}
        </Box>
      ) : null}
      {s.reference ? (
        <Box flexDirection="column" marginTop={1}>
          <Hanging
            lead=""
            parts={[
              [`reference ${s.reference.name}`, theme.accent],
              [`(${s.reference.provenance})`, theme.muted],
            ]}
          />
          {s.reference.rows.map((r, i) => (
            <Box key={i} flexDirection="column">
              <Hanging
                lead={`  ${r.series} `}
                parts={[
                  [`${r.what}:`],
                  [`paper ${r.paper},`, theme.reference],
                  r.run ? [`run ${r.run}${r.diff ? ` (${r.diff})` : ""}`] : [r.missing ?? "", theme.muted],
                ]}
              />
              {r.note ? (
                <Text color={theme.muted} wrap="truncate">
                  {"      "}
                  {r.note}
                </Text>
              ) : null}
            </Box>
          ))}
          {s.reference.claims.map((c, i) => (
            <Hanging key={`c${i}`} lead="  paper: " parts={[[c, theme.muted]]} />
          ))}
          {s.reference.claims.length ? <Hanging lead="  " parts={[[CLAIMS_NOTE, theme.muted]]} /> : null}
          {s.reference.notes.map((n, i) => (
            <Hanging key={`n${i}`} lead="  note: " parts={[[n, theme.warn]]} />
          ))}
        </Box>
      ) : null}
      {s.expect.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color={failedChecks ? theme.error : theme.accent}>
            {expectCountLine(s.expect)}
          </Text>
          {s.expect.map((x, i) => (
            <Hanging
              key={i}
              lead={
                <>
                  {"  "}
                  {notChecked(x) ? <Text color={theme.muted}>○ skip</Text> : <Text color={x.passed ? theme.ok : theme.error}>{x.passed ? "✓ pass" : "✗ FAIL"}</Text>}{" "}
                </>
              }
              parts={[[x.name], [`— ${x.detail}`, theme.muted]]}
            />
          ))}
        </Box>
      ) : null}
      {s.notes.map((n, i) => (
        <Hanging key={`note${i}`} lead="note: " parts={[[n, theme.warn]]} />
      ))}
      <Box flexDirection="column" marginTop={1}>
        {s.written.map((f) => (
          <Text key={f}>
            <Text color={theme.muted}>wrote </Text>
            {f}
          </Text>
        ))}
        {s.noFilesHint ? <Text color={theme.muted}>(no files written: add --out DIR or --json)</Text> : null}
      </Box>
    </Box>
  );
}
