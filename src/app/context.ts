import type { Database } from '../db/database.js';
import type { CalendarStore } from './calendar-store.js';
import type { UrlGuard } from './security/addresses.js';
import type { PasswordHasher } from './security/passwords.js';
import type { Mailer } from './notifications/mailer.js';
import type { XlsxEncoder } from './exports/table.js';
import type { BriefingDocxEncoder } from './monitoring/briefing.js';
import type { HeatSettings } from '../domain/monitoring/heat.js';
import type { ReprintSettings } from '../domain/monitoring/reprints.js';

export interface AppConfig {
  /** N in interpretationDueDate = addWorkingDays(publishedDate, N); SPEC §3, default 3. */
  interpretationWorkingDays: number;
  /** A rule's new hit joins its open incident started within this many hours (SPEC §5, 72). */
  incidentWindowHours: number;
  feedFetch: {
    timeoutMs: number;
    headersTimeoutMs: number;
    maxBytes: number;
    maxRedirects: number;
  };
  /** Feeds polled at once (never two requests to one host at a time). */
  pollConcurrency: number;
  /** The address people open (PUBLIC_URL), for links in notifications and the calendar feed. */
  publicUrl: string | null;
  delivery: {
    /** Total time for one message to a channel (Standard Webhooks asks for 15–30 s). */
    timeoutMs: number;
    /** Largest answer read from a platform. */
    maxBytes: number;
    /** Channels served at once (each channel's messages go one after another). */
    concurrency: number;
    /** A delivery claimed longer ago than this was interrupted (its sender died). */
    claimLeaseMs: number;
  };
  /** When two feed items are one story (SPEC §14; defaults in DEFAULT_REPRINT_SETTINGS). */
  reprints: ReprintSettings;
  /** When an incident is heating up (SPEC §14; defaults in DEFAULT_HEAT_SETTINGS). */
  heat: HeatSettings;
  /** The negative-signal words (feeds/signals.txt, normalised); none when the runtime loads none. */
  signalWords: string[];
}

/** Hot-word extraction: nodejieba on Node, Intl.Segmenter on Workers. */
export interface KeywordExtractor {
  extract(text: string, topN: number): { word: string; weight: number }[];
}

/** Everything a use case needs, passed explicitly: no globals, no clock or env read inside. */
export interface AppContext {
  db: Database;
  config: AppConfig;
  calendars: CalendarStore;
  /** The current instant in epoch ms; tests pin it. */
  now: () => number;
  keywords?: KeywordExtractor;
  passwords: PasswordHasher;
  /** Refuses feed and channel URLs that must not be fetched (private addresses), before each request. */
  urlGuard?: UrlGuard;
  /** The fetch outbound requests use (on Node: one whose connections refuse private addresses); default the global one. */
  fetch?: typeof fetch;
  /** Sends email channels (SMTP on Node); absent where email cannot be sent (Workers). */
  mailer?: Mailer;
  /** Called after alerts were recorded, so that the runtime can send them right away. */
  afterAlerts?: () => void;
  /**
   * Work a request started and answered before it ends (an import job): the runtime keeps it going
   * (Workers: waitUntil) and lets it finish before shutting down (Node).
   */
  background?: (work: Promise<unknown>) => void;
  /**
   * True once the service has begun to shut down (Node): long background work takes nothing new
   * (the sender claims no further delivery), so that what is in progress can finish in time.
   */
  stopping?: () => boolean;
  /** Writes XLSX exports as a stream (exceljs on Node); absent where no library does it well (Workers: 422). */
  xlsx?: XlsxEncoder;
  /** Writes the daily briefing as DOCX (the docx package on Node); absent on Workers (422). */
  docx?: BriefingDocxEncoder;
}
