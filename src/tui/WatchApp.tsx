// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/**
 * The watch dashboard with its keys: `q`, and Ctrl-C (which a terminal in raw mode delivers
 * as a key instead of a signal). The one stateful piece, as App.tsx is for `run`.
 */
import { useInput } from "ink";
import type { DashboardKey } from "./App.js";
import { WatchDashboard, type WatchDashboardProps } from "./WatchDashboard.js";

export interface WatchAppProps extends WatchDashboardProps {
  keysEnabled: boolean;
  onKey(key: DashboardKey): void;
}

export function WatchApp({ keysEnabled, onKey, ...props }: WatchAppProps) {
  useInput(
    (input, key) => {
      if (key.ctrl && input === "c") onKey("ctrl-c");
      else if (input === "q" || input === "Q") onKey("q");
    },
    { isActive: keysEnabled },
  );
  return <WatchDashboard {...props} />;
}
