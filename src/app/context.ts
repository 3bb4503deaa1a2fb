import type { Database } from '../db/database.js';
import type { CalendarStore } from './calendar-store.js';

export interface AppConfig {
  /** N in interpretationDueDate = addWorkingDays(publishedDate, N); SPEC §3, default 3. */
  interpretationWorkingDays: number;
}

/** Everything a use case needs, passed explicitly: no globals, no clock or env read inside. */
export interface AppContext {
  db: Database;
  config: AppConfig;
  calendars: CalendarStore;
  /** The current instant in epoch ms; tests pin it. */
  now: () => number;
}
