import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useRef } from 'preact/hooks';

/**
 * The ready mark: `performance.mark('vigil:ready:<page>')` once every API answer a page
 * asked for (each useApi in it, however deep) has arrived without error and been
 * rendered, read after the commit and the next frame. The benchmark reads it with
 * performance.getEntriesByName('vigil:ready:<page>'), whose startTime counts from the
 * navigation's start. A page marks once per address path (its filters changing do not
 * mark again); a page whose answer failed does not mark.
 */

export const READY_PREFIX = 'vigil:ready:';

class ReadyTracker {
  private readonly pending = new Set<object>();
  private readonly failed = new Set<object>();
  private loaded = false;
  private marked = false;
  private scheduled = false;

  constructor(readonly page: string) {}

  /** Called while a loader renders: whether its answer is still awaited, or came back an error. */
  report(loader: object, loading: boolean, failed: boolean): void {
    if (loading) this.pending.add(loader);
    else {
      this.pending.delete(loader);
      this.loaded = true;
    }
    if (failed) this.failed.add(loader);
    else this.failed.delete(loader);
  }

  forget(loader: object): void {
    this.pending.delete(loader);
    this.failed.delete(loader);
  }

  private settled(): boolean {
    return !this.marked && this.loaded && this.pending.size === 0 && this.failed.size === 0;
  }

  /** After a commit: marks on the next frame if nothing is awaited then either. */
  settle(): void {
    if (!this.settled() || this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      if (!this.settled()) return;
      this.marked = true;
      performance.mark(`${READY_PREFIX}${this.page}`);
    });
  }
}

const Ready = createContext<ReadyTracker | undefined>(undefined);

/** One page's scope: `page` names its mark, a new `view` (the address path) marks again. */
export function ReadyScope({ page, view, children }: { page: string; view: string; children: ComponentChildren }) {
  const tracker = useMemo(() => new ReadyTracker(page), [page, view]);
  return <Ready.Provider value={tracker}>{children}</Ready.Provider>;
}

/** A loader of the page (useApi) tells the page's scope where it stands, at each render. */
export function useReadyReport(loading: boolean, failed: boolean): void {
  const tracker = useContext(Ready);
  const loader = useRef({}).current;
  tracker?.report(loader, loading, failed);
  useEffect(() => tracker?.settle());
  useEffect(
    () => () => {
      tracker?.forget(loader);
      tracker?.settle();
    },
    [tracker],
  );
}
