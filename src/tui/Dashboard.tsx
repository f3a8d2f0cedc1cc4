// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/**
 * The whole dashboard: finished output in <Static> (the header, the table rows, and at the
 * end the final chart and summary: printed once, never redrawn), the live area below it.
 */
import { Box, Static } from "ink";
import type { RunInfo } from "../report/run-info.js";
import { Charts } from "./Charts.js";
import { Header } from "./Header.js";
import { LiveArea } from "./LiveArea.js";
import { PointRow } from "./PointRow.js";
import { Summary } from "./Summary.js";
import { TableHeader } from "./TableHeader.js";
import type { Theme } from "./theme.js";
import type { LiveView, StaticItem } from "./view.js";

export interface DashboardProps {
  info: RunInfo;
  items: readonly StaticItem[];
  /** Absent once the run is over. */
  live?: LiveView;
  width: number;
  theme: Theme;
}

export function Dashboard({ info, items, live, width, theme }: DashboardProps) {
  return (
    <>
      <Static items={[...items]}>
        {(it) => (
          // Ink lays <Static> out without the terminal's width: a long line would be cut by
          // the terminal mid-word instead of wrapped by Ink with its indentation.
          <Box key={it.key} width={width} flexDirection="column">
            {staticItem(it)}
          </Box>
        )}
      </Static>
      {live ? <LiveArea view={live} width={width} theme={theme} /> : null}
    </>
  );

  function staticItem(it: StaticItem) {
    switch (it.kind) {
      case "header":
        return <Header key={it.key} info={info} theme={theme} />;
      case "table-head":
        return <TableHeader key={it.key} columns={it.columns} theme={theme} />;
      case "row":
        return <PointRow key={it.key} columns={it.columns} row={it.row} theme={theme} />;
      case "chart":
        return (
          <Box key={it.key}>
            <Charts chart={it.chart} theme={theme} />
          </Box>
        );
      case "summary":
        return <Summary key={it.key} summary={it.summary} theme={theme} />;
    }
  }
}
