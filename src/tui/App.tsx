// @jsxRuntime automatic (also when tsx runs this file without the package's tsconfig: from another directory)
/**
 * The dashboard's one stateful piece: it listens for keys (`q`, and Ctrl-C, which a
 * terminal in raw mode delivers as a key instead of a signal) and renders the presentational
 * Dashboard with the props the reporter gives it.
 */
import { useInput } from "ink";
import { Dashboard, type DashboardProps } from "./Dashboard.js";

export type DashboardKey = "q" | "ctrl-c";

export interface AppProps extends DashboardProps {
  keysEnabled: boolean;
  onKey(key: DashboardKey): void;
}

export function App({ keysEnabled, onKey, ...dashboard }: AppProps) {
  useInput(
    (input, key) => {
      if (key.ctrl && input === "c") onKey("ctrl-c");
      else if (input === "q" || input === "Q") onKey("q");
    },
    { isActive: keysEnabled },
  );
  return <Dashboard {...dashboard} />;
}
