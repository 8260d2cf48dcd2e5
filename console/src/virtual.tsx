import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * Windowing for long tables: of `count` rows of a fixed `rowHeight` (px, the one the
 * stylesheet gives `.virtual tbody tr`), only those in the scrolled container's view
 * plus `margin` rows either side are rendered; two spacer rows stand for the others,
 * so the scrollbar stays true. A focused element in the margin scrolls into view and
 * moves the window with it, so Tab and the arrow keys walk every row.
 */

export const ROW_HEIGHT = 36;
const MARGIN = 10;

export interface RowWindow {
  /** The first rendered row and one past the last. */
  start: number;
  end: number;
  /** Heights of the spacers above and below the rendered rows. */
  before: number;
  after: number;
  /** Put on the scrolling container. */
  ref: (el: HTMLDivElement | null) => void;
  /** Scrolls row `i` into view and focuses its first control once rendered. */
  focusRow: (i: number) => void;
}

export function useRowWindow(count: number, rowHeight = ROW_HEIGHT, margin = MARGIN): RowWindow {
  const el = useRef<HTMLDivElement | null>(null);
  // The container as state too, so the scroll listener follows it when a table becomes windowed.
  const [node, setNode] = useState<HTMLDivElement | null>(null);
  const ref = useCallback((e: HTMLDivElement | null) => {
    el.current = e;
    setNode(e);
  }, []);
  const [view, setView] = useState({ top: 0, height: 600 });
  const pendingFocus = useRef<number | undefined>(undefined);
  const read = () => {
    const e = el.current;
    if (e) setView((v) => (v.top === e.scrollTop && v.height === e.clientHeight ? v : { top: e.scrollTop, height: e.clientHeight || 600 }));
  };
  useEffect(() => {
    const e = node;
    if (!e) return;
    read();
    e.addEventListener('scroll', read, { passive: true });
    addEventListener('resize', read);
    return () => {
      e.removeEventListener('scroll', read);
      removeEventListener('resize', read);
    };
  }, [node]);
  // Rows below the header: the header row scrolls with its sticky cells, so it is counted out.
  const header = el.current?.querySelector('thead')?.getBoundingClientRect().height ?? rowHeight;
  const first = Math.floor(Math.max(0, view.top - header) / rowHeight);
  const start = Math.max(0, first - margin);
  const end = Math.min(count, first + Math.ceil(view.height / rowHeight) + margin);
  useLayoutEffect(() => {
    const i = pendingFocus.current;
    if (i === undefined || i < start || i >= end) return;
    pendingFocus.current = undefined;
    el.current?.querySelector<HTMLElement>(`tr[data-index="${i}"]`)?.querySelector<HTMLElement>('input, a, button')?.focus();
  });
  return {
    start,
    end,
    before: start * rowHeight,
    after: Math.max(0, count - end) * rowHeight,
    ref,
    focusRow: (i) => {
      const e = el.current;
      if (!e || i < 0 || i >= count) return;
      pendingFocus.current = i;
      const top = header + i * rowHeight;
      if (top < e.scrollTop + header) e.scrollTop = top - header;
      else if (top + rowHeight > e.scrollTop + e.clientHeight) e.scrollTop = top + rowHeight - e.clientHeight;
      read();
      // Already rendered: focus now.
      if (i >= start && i < end) {
        pendingFocus.current = undefined;
        e.querySelector<HTMLElement>(`tr[data-index="${i}"]`)?.querySelector<HTMLElement>('input, a, button')?.focus();
      }
    },
  };
}
