// One source per figure: every screen, the API and the closed loop read Kiln's numbers through
// these functions (docs/FIGURES.md says what each counts). Statements are prepared once per database.
import type BetterSqlite3 from 'better-sqlite3';
import { dayFigures } from './days';
import { mailFigures } from './mail';

export { filledDay, type RampDay } from './days';
export { inboxShareOf, placementsRead, noOutcomes, noPlacements, dayWindow, type OutcomeCounts, type PlacementCounts } from './select';

function build(sqlite: BetterSqlite3.Database) {
  return { mail: mailFigures(sqlite), days: dayFigures(sqlite) };
}
export type Figures = ReturnType<typeof build>;

const built = new WeakMap<BetterSqlite3.Database, Figures>();

export function figuresOf(sqlite: BetterSqlite3.Database): Figures {
  let f = built.get(sqlite);
  if (!f) built.set(sqlite, (f = build(sqlite)));
  return f;
}
