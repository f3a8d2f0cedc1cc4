// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/** The chart panels (side by side when the terminal is wide, else stacked) and their legend. */
import { Box } from "ink";
import { Chart } from "./Chart.js";
import { Legend } from "./Legend.js";
import type { Theme } from "./theme.js";
import type { ChartView } from "./view.js";

export interface ChartsProps {
  chart: ChartView;
  theme: Theme;
}

export function Charts({ chart, theme }: ChartsProps) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Box flexDirection={chart.sideBySide ? "row" : "column"} columnGap={1}>
        {chart.panels.map((p, i) => (
          <Chart key={i} panel={p} theme={theme} />
        ))}
      </Box>
      <Legend items={chart.legend} theme={theme} />
    </Box>
  );
}
