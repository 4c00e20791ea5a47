// Renders only the rows of a long table that are near the viewport: a thousand rows cost ~40 in the
// DOM, so layout stays cheap. The page (window) is the scroller; rows share one height, measured
// from the first rendered row, and spacer heights stand in for the rest so the scrollbar is true.
import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** Rows rendered beyond each edge of the viewport, so Tab and fast scrolls rarely see a gap. */
const OVERSCAN = 15;

export interface RowWindow {
  start: number;
  end: number;
  /** Height in px of the rows above `start` and below `end`. */
  before: number;
  after: number;
}

export function windowOf(count: number, rowHeight: number, top: number, viewport: number): RowWindow {
  const first = Math.floor(Math.max(0, -top) / rowHeight);
  const start = Math.max(0, Math.min(count, first - OVERSCAN));
  const end = Math.min(count, first + Math.ceil(viewport / rowHeight) + OVERSCAN);
  return { start, end: Math.max(start, end), before: start * rowHeight, after: Math.max(0, count - Math.max(start, end)) * rowHeight };
}

export function useWindowedRows(count: number, body: RefObject<HTMLTableSectionElement | null>, estimate = 44): RowWindow {
  const height = useRef(estimate);
  const compute = useCallback((): RowWindow => {
    const top = body.current?.getBoundingClientRect().top ?? 0;
    return windowOf(count, height.current, top, typeof window === 'undefined' ? 900 : window.innerHeight);
  }, [body, count]);
  const [win, setWin] = useState<RowWindow>(() => windowOf(count, estimate, 0, typeof window === 'undefined' ? 900 : window.innerHeight));

  useLayoutEffect(() => {
    // Measure the real row height once rows exist (a theme or font change can alter it).
    const row = body.current?.querySelector<HTMLTableRowElement>('tr[data-row]');
    if (row && row.offsetHeight > 0) height.current = row.offsetHeight;
    const update = () =>
      setWin((old) => {
        const next = compute();
        return next.start === old.start && next.end === old.end && next.before === old.before && next.after === old.after ? old : next;
      });
    update();
    let frame = 0;
    const onScroll = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => ((frame = 0), update()));
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    return () => {
      window.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
      cancelAnimationFrame(frame);
    };
  }, [body, compute]);

  return win;
}
