/**
 * Probes are named trace points. Components emit through them; meters, tests, logs and the
 * dashboard subscribe. A component never knows who listens, and a probe with no listener
 * costs one boolean test at the emit site: `if (p.active) p.emit(a, b)`.
 */
export type ProbeListener = (time: number, a: number, b: number) => void;
export type AnyProbeListener = (name: string, time: number, a: number, b: number) => void;

export class Probe {
  active = false;
  private listeners: ProbeListener[] = [];

  constructor(
    readonly name: string,
    private readonly registry: Probes,
  ) {}

  /** Two numeric arguments keep emission allocation-free; their meaning is the probe's. */
  emit(a = 0, b = 0): void {
    const t = this.registry.now();
    // Listener lists are copied on write, so these are snapshots: a listener that
    // subscribes or unsubscribes during an emission takes effect from the next one.
    const own = this.listeners;
    for (let i = 0; i < own.length; i++) own[i]!(t, a, b);
    const any = this.registry.anyListeners;
    for (let i = 0; i < any.length; i++) any[i]!(this.name, t, a, b);
  }

  /** Call `fn` on every emission; returns the function that unsubscribes it. */
  subscribe(fn: ProbeListener): () => void {
    this.listeners = [...this.listeners, fn];
    this.active = true;
    let subscribed = true; // so that a second call does not remove a twin subscription
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.listeners = without(this.listeners, fn);
      this.refresh();
    };
  }

  /** @internal */
  refresh(): void {
    this.active = this.listeners.length > 0 || this.registry.anyListeners.length > 0;
  }
}

export class Probes {
  private readonly byName = new Map<string, Probe>();
  /** @internal */
  anyListeners: AnyProbeListener[] = [];

  constructor(readonly now: () => number) {}

  /** The probe called `name`, created on first use. Names are paths: "hda/irq". */
  get(name: string): Probe {
    let p = this.byName.get(name);
    if (!p) {
      p = new Probe(name, this);
      p.refresh();
      this.byName.set(name, p);
    }
    return p;
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  /** Listen to every probe, present and future (traces in tests). */
  subscribeAll(fn: AnyProbeListener): () => void {
    this.anyListeners = [...this.anyListeners, fn];
    for (const p of this.byName.values()) p.refresh();
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.anyListeners = without(this.anyListeners, fn);
      for (const p of this.byName.values()) p.refresh();
    };
  }
}

/** `list` without one occurrence of `fn` (a listener subscribed twice is called twice). */
function without<F>(list: F[], fn: F): F[] {
  const i = list.indexOf(fn);
  return i < 0 ? list : [...list.slice(0, i), ...list.slice(i + 1)];
}
