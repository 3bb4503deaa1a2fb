import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { CHANNEL_KINDS } from '../domain/notifications/platforms.js';

// Instants are epoch milliseconds (UTC); business dates are 'YYYY-MM-DD' text in Asia/Shanghai.

export const departments = sqliteTable('departments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const documents = sqliteTable(
  'documents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    docNumber: text('doc_number').unique(),
    title: text('title').notNull(),
    departmentCode: text('department_code')
      .notNull()
      .references(() => departments.code),
    publishedAt: integer('published_at').notNull(),
    url: text('url'),
    requiresInterpretation: integer('requires_interpretation', { mode: 'boolean' }).notNull(),
    exemptReason: text('exempt_reason'),
    importance: text('importance', { enum: ['normal', 'major'] }).notNull(),
    /** 规章 or 行政规范性文件 (SPEC §13: table 二 of the annual report counts them); null for others. */
    docType: text('doc_type', { enum: ['regulation', 'normative'] }),
    interpretationDueDate: text('interpretation_due_date').notNull(),
    dueProvisional: integer('due_provisional', { mode: 'boolean' }).notNull(),
    // Earliest publishedAt among linked interpretations, kept in step with the links so that
    // status filters are index range scans rather than joins over every document.
    firstInterpretationAt: integer('first_interpretation_at'),
    /** Raised by a trigger whenever the due date moves: the calendar feed's SEQUENCE. */
    dueRevision: integer('due_revision').notNull().default(0),
    /** 文号 and title as search (`q`) compares them: normalised as rule text is (NFKC, case-folded). */
    searchText: text('search_text').notNull().default(''),
    // SPEC §12. A draft (registered before publication) keeps placeholder values in published_at
    // and interpretation_due_date, which stay NOT NULL because the table cannot be rebuilt without
    // cascading into its links and alerts: DRAFT_PUBLISHED_AT and DRAFT_DUE_DATE in app/documents.ts,
    // never due, never overdue, and every read of documents excludes drafts explicitly.
    drafting: integer('drafting', { mode: 'boolean' }).notNull().default(false),
    /** The interpretation plan (解读方案) as JSON, or null when none was written. */
    interpretationPlan: text('interpretation_plan'),
    /** 审签: when and by whom (username), and whether a plan existed at that moment. */
    signedOffAt: integer('signed_off_at'),
    signedOffBy: text('signed_off_by'),
    planAtSignOff: integer('plan_at_sign_off', { mode: 'boolean' }),
    signOffNote: text('sign_off_note'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /**
     * The earliest publication among its leader-led interpretations (marked so, or a press
     * conference or an interview); kept by triggers on the links and interpretations (0009).
     */
    firstLeaderLedAt: integer('first_leader_led_at'),
  },
  (t) => [
    // Documents still waiting for an interpretation, by due date: the overdue listing and the
    // sweep read only this index.
    index('documents_waiting_due_idx')
      .on(t.interpretationDueDate)
      .where(sql`${t.requiresInterpretation} = 1 AND ${t.firstInterpretationAt} IS NULL`),
    index('documents_first_interpretation_idx').on(t.firstInterpretationAt),
    index('documents_due_idx').on(t.interpretationDueDate),
    index('documents_department_idx').on(t.departmentCode),
    // The leaders' board for a past asOf reads what happened after it through these (0009).
    // Covering: every column the board classifies by, so a past asOf reads only this index.
    index('documents_published_idx')
      .on(t.publishedAt, t.departmentCode, t.requiresInterpretation, t.firstInterpretationAt, t.interpretationDueDate, t.importance, t.planAtSignOff, t.signedOffAt, t.firstLeaderLedAt)
      .where(sql`${t.drafting} = 0`),
    index('documents_first_leader_led_idx').on(t.firstLeaderLedAt).where(sql`${t.firstLeaderLedAt} IS NOT NULL`),
    index('documents_drafting_idx').on(t.drafting).where(sql`${t.drafting} = 1`),
    // Documents without a 文号 by title: an import finds the ones its unnumbered rows name (by
    // department, title and time) with one lookup per row rather than a scan of them all (0011).
    index('documents_unnumbered_title_idx').on(t.title).where(sql`${t.docNumber} IS NULL`),
  ],
);

/**
 * Per department, its published documents (never drafts) by their final state, i.e. as of a
 * moment after every stored time: kept by triggers on documents in the same transaction as each
 * change (migration 0009). The board subtracts what happened after a past asOf (app/dashboard.ts).
 */
export const departmentDocumentCounts = sqliteTable('department_document_counts', {
  departmentCode: text('department_code').primaryKey(),
  published: integer('published').notNull().default(0),
  exempt: integer('exempt').notNull().default(0),
  required: integer('required').notNull().default(0),
  /** Requiring an interpretation and without one. */
  waiting: integer('waiting').notNull().default(0),
  onTime: integer('on_time').notNull().default(0),
  late: integer('late').notNull().default(0),
  plannedAndSigned: integer('planned_and_signed').notNull().default(0),
  major: integer('major').notNull().default(0),
  leaderLedMajor: integer('leader_led_major').notNull().default(0),
});

/** Published documents requiring an interpretation and without one, by due date and department (0009). */
export const waitingDueCounts = sqliteTable(
  'waiting_due_counts',
  {
    dueDate: text('due_date').notNull(),
    departmentCode: text('department_code').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.dueDate, t.departmentCode] })],
);

export const interpretations = sqliteTable('interpretations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  title: text('title').notNull(),
  form: text('form', {
    enum: ['text', 'qa', 'graphic', 'video', 'expert', 'media', 'interview', 'press_conference'],
  }).notNull(),
  url: text('url'),
  publishedAt: integer('published_at').notNull(),
  departmentCode: text('department_code').references(() => departments.code),
  /** JSON array of the channels it was published on (SPEC §12: gov_website, wechat, …). */
  channels: text('channels').notNull().default('[]'),
  /** Given by the principal leader in person (主要负责人解读). */
  leaderLed: integer('leader_led', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const interpretationDocuments = sqliteTable(
  'interpretation_documents',
  {
    interpretationId: integer('interpretation_id')
      .notNull()
      .references(() => interpretations.id, { onDelete: 'cascade' }),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    linkedAt: integer('linked_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.interpretationId, t.documentId] }),
    index('interpretation_documents_document_idx').on(t.documentId),
  ],
);

export const alerts = sqliteTable(
  'alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    type: text('type').notNull(),
    documentId: integer('document_id').references(() => documents.id, { onDelete: 'cascade' }),
    incidentId: integer('incident_id'),
    commitmentId: integer('commitment_id'),
    feedId: integer('feed_id'),
    /** The request for disclosure a disclosure_* alert is about (SPEC §13). */
    disclosureRequestId: integer('disclosure_request_id'),
    // What makes an alert unique (e.g. type + document + due date): inserting the same key twice
    // is a no-op, which keeps overlapping or restarted sweeps from duplicating alerts.
    dedupeKey: text('dedupe_key').notNull(),
    message: text('message').notNull(),
    // What notification channels filter on (SPEC §10) and what their messages say: the
    // responsible department, the incident's severity, the subject's name and the deadline.
    departmentCode: text('department_code'),
    severity: text('severity', { enum: ['especially_major', 'major', 'large', 'general'] }),
    subject: text('subject'),
    /** The deadline the alert is about (epoch ms; for a due date, the midnight that ends it). */
    deadlineAt: integer('deadline_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('alerts_dedupe_key_idx').on(t.dedupeKey), index('alerts_type_idx').on(t.type, t.id)],
);

/** Years imported in the holiday-cn format; they replace the built-in schedule of that year. */
export const calendarYears = sqliteTable('calendar_years', {
  year: integer('year').primaryKey(),
  notice: text('notice').notNull(),
  importedAt: integer('imported_at').notNull(),
});

export const calendarYearDays = sqliteTable(
  'calendar_year_days',
  {
    year: integer('year')
      .notNull()
      .references(() => calendarYears.year, { onDelete: 'cascade' }),
    date: text('date').notNull(),
    kind: text('kind', { enum: ['holiday', 'makeup_workday'] }).notNull(),
    name: text('name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.year, t.date] })],
);

/** Single days set by hand; they win over every schedule. */
export const calendarOverrides = sqliteTable('calendar_overrides', {
  date: text('date').primaryKey(),
  kind: text('kind', { enum: ['holiday', 'makeup_workday'] }).notNull(),
  name: text('name'),
  updatedAt: integer('updated_at').notNull(),
});

/** Small key/value facts: calendar version, the interpretation rule in force, the admin token hash. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

// --- Monitoring: feeds, items, rules, incidents, commitments (SPEC §4, §5) -------------------

export const feeds = sqliteTable('feeds', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  url: text('url').notNull().unique(),
  intervalMinutes: integer('interval_minutes').notNull(),
  /** 'config' for sources declared under feeds/, 'api' for those added through the API. */
  source: text('source', { enum: ['config', 'api'] }).notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  // The poll cursor: conditional-GET validators and error state survive restarts.
  etag: text('etag'),
  lastModified: text('last_modified'),
  lastPolledAt: integer('last_polled_at'),
  lastSuccessAt: integer('last_success_at'),
  lastError: text('last_error'),
  consecutiveErrors: integer('consecutive_errors').notNull(),
  nextPollAt: integer('next_poll_at').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const items = sqliteTable(
  'items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    feedId: integer('feed_id')
      .notNull()
      .references(() => feeds.id, { onDelete: 'cascade' }),
    /** guid, else link, else a hash of title and date (SPEC §5). */
    identity: text('identity').notNull(),
    title: text('title').notNull(),
    /** The title as matched (normalised): the same story in several feeds shares it. */
    normalizedTitle: text('normalized_title').notNull(),
    link: text('link'),
    summary: text('summary').notNull(),
    publishedAt: integer('published_at'),
    fetchedAt: integer('fetched_at').notNull(),
    /** The story (SPEC §14): the id of its first item (this item's own id when it started one); null before reprints were tracked. */
    storyId: integer('story_id'),
    /** The body's 64-bit SimHash as 16 hex digits; null for a body under the minimum length. */
    simhash: text('simhash'),
    /** 1 once the item is in an incident (set by a trigger on incident_items, migration 0012); never back to 0. */
    inIncident: integer('in_incident').notNull().default(0),
  },
  (t) => [
    uniqueIndex('items_feed_identity_idx').on(t.feedId, t.identity),
    // Only the items in incidents by link and normalised title: ingest looks up the open incidents
    // holding an item's link or title (see openIncidentsWithStories), and the nine items in ten
    // that join none stay out of both indexes: each random key of them cost an index insert.
    index('items_incident_link_idx')
      .on(t.link)
      .where(sql`${t.inIncident} = 1`),
    index('items_incident_title_idx')
      .on(t.normalizedTitle)
      .where(sql`${t.inIncident} = 1`),
    index('items_fetched_idx').on(t.fetchedAt),
    index('items_story_idx').on(t.storyId),
  ],
);

export const rules = sqliteTable('rules', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  query: text('query').notNull(),
  severity: text('severity', { enum: ['especially_major', 'major', 'large', 'general'] }).notNull(),
  departmentCode: text('department_code').references(() => departments.code),
  source: text('source', { enum: ['config', 'api'] }).notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  /** Items with fewer distinct negative-signal words than this neither open nor join its incidents (SPEC §14). */
  minSignal: integer('min_signal').notNull().default(0),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const itemRuleHits = sqliteTable(
  'item_rule_hits',
  {
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    ruleId: integer('rule_id')
      .notNull()
      .references(() => rules.id, { onDelete: 'cascade' }),
    /** JSON array of the matched terms. */
    terms: text('terms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.ruleId] }), index('item_rule_hits_rule_idx').on(t.ruleId, t.itemId)],
);

export const incidents = sqliteTable(
  'incidents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    summary: text('summary'),
    severity: text('severity', { enum: ['especially_major', 'major', 'large', 'general'] }).notNull(),
    departmentCode: text('department_code').references(() => departments.code),
    status: text('status', { enum: ['open', 'closed', 'dismissed'] }).notNull(),
    startedAt: integer('started_at').notNull(),
    /** The rule that opened it, if a rule did. */
    ruleId: integer('rule_id').references(() => rules.id, { onDelete: 'set null' }),
    /** Names the incident a poll opened (rule + item), so one batch can refer to it by key. */
    originKey: text('origin_key').unique(),
    mergedIntoId: integer('merged_into_id'),
    /** The title as search (`q`) compares it, normalised as rule text is. */
    searchText: text('search_text').notNull().default(''),
    /** When it was last closed, dismissed or merged (null while open): the daily briefing asks what was open at a day's end. */
    closedAt: integer('closed_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('incidents_rule_open_idx').on(t.ruleId, t.status, t.startedAt),
    index('incidents_status_idx').on(t.status),
    // The list, newest first, with or without a status (0009).
    index('incidents_started_idx').on(t.startedAt),
    index('incidents_status_started_idx').on(t.status, t.startedAt),
  ],
);

export const incidentItems = sqliteTable(
  'incident_items',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    linkedAt: integer('linked_at').notNull(),
    /** The item's time as heat counts it: published, or fetched when missing or in the future (SPEC §14). */
    itemAt: integer('item_at'),
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.itemId] }),
    index('incident_items_item_idx').on(t.itemId),
    // An incident's items by time: its heat reads the last 25 hours only.
    index('incident_items_heat_idx').on(t.incidentId, t.itemAt),
  ],
);

/**
 * Which incidents hold an item of which story (SPEC §14): kept by triggers as items join incidents
 * (migration 0010), so that finding the open incident of a story reprinted thousands of times reads
 * one row per incident rather than every item of the story.
 */
export const storyIncidents = sqliteTable(
  'story_incidents',
  {
    storyId: integer('story_id').notNull(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.storyId, t.incidentId] })],
);

/** Every version of the response policy; commitments name the version they were made under. */
export const responsePolicies = sqliteTable('response_policies', {
  version: integer('version').primaryKey(),
  /** JSON: severity → [{kind, hours}]. */
  rules: text('rules').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const commitments = sqliteTable(
  'commitments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    dueAt: integer('due_at').notNull(),
    policyVersion: integer('policy_version').notNull(),
    fulfilledAt: integer('fulfilled_at'),
    url: text('url'),
    note: text('note'),
    /** Set when a lower severity or a merge no longer requires it (and it was unfulfilled). */
    cancelledAt: integer('cancelled_at'),
    /** Raised by a trigger whenever dueAt moves: the calendar feed's SEQUENCE. */
    dueRevision: integer('due_revision').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('commitments_incident_kind_idx').on(t.incidentId, t.kind),
    // Unfulfilled commitments by due time: the timers and the commitment sweep read only this.
    index('commitments_running_idx')
      .on(t.dueAt)
      .where(sql`${t.fulfilledAt} IS NULL AND ${t.cancelledAt} IS NULL`),
  ],
);

// --- Accounts, sessions, tokens, audit (SPEC §6 "Accounts, roles, audit") --------------------

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: ['admin', 'drafter', 'press', 'leader'] }).notNull(),
  passwordHash: text('password_hash').notNull(),
  disabled: integer('disabled', { mode: 'boolean' }).notNull(),
  /** A drafter allowed to sign off (审签) its departments' documents (SPEC §12), set by an admin. */
  canSignOff: integer('can_sign_off', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const userDepartments = sqliteTable(
  'user_departments',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    departmentCode: text('department_code')
      .notNull()
      .references(() => departments.code),
  },
  (t) => [primaryKey({ columns: [t.userId, t.departmentCode] })],
);

/** Sessions and personal tokens are stored by the SHA-256 of the secret, never the secret. */
export const sessions = sqliteTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

/** Append-only: nothing updates or deletes these rows. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    actor: text('actor').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    action: text('action').notNull(),
    before: text('before'),
    after: text('after'),
  },
  (t) => [
    index('audit_entity_idx').on(t.entity, t.entityId, t.id),
    index('audit_actor_idx').on(t.actor, t.id),
  ],
);

/** Failed sign-ins per user and per address, for throttling. */
export const loginFailures = sqliteTable('login_failures', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStart: integer('window_start').notNull(),
  lockedUntil: integer('locked_until'),
});

// --- Notifications (SPEC §10) ------------------------------------------------------------------

/** Where alerts are sent: a group robot, a webhook or a mail list. */
export const channels = sqliteTable('channels', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  kind: text('kind', { enum: CHANNEL_KINDS }).notNull(),
  url: text('url').notNull(),
  /** Signing secret (加签, Feishu signature, whsec_…). Never returned by the API. */
  secret: text('secret'),
  keyword: text('keyword'),
  /** JSON arrays; empty = every alert type / every department. */
  alertTypes: text('alert_types').notNull(),
  departmentCodes: text('department_codes').notNull(),
  minSeverity: text('min_severity', { enum: ['especially_major', 'major', 'large', 'general'] }),
  escalation: integer('escalation', { mode: 'boolean' }).notNull(),
  mentionMobiles: text('mention_mobiles').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  /** Set when the platform said the channel is misconfigured; its deliveries wait until it is fixed. */
  misconfiguredAt: integer('misconfigured_at'),
  lastError: text('last_error'),
  lastErrorAt: integer('last_error_at'),
  lastSuccessAt: integer('last_success_at'),
  /** The platform asked us to slow down (DingTalk 130101): nothing is sent before this. */
  pausedUntil: integer('paused_until'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * The outbox: one row per (alert, channel), written by a trigger in the same transaction as the
 * alert. A sender claims due rows (status 'sending'), sends, and records the platform's answer.
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    alertId: integer('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'merged', 'dead'] }).notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    claimedAt: integer('claimed_at'),
    lastError: text('last_error'),
    /** The platform's answer to the last attempt (status and body, cut short). */
    response: text('response'),
    sentAt: integer('sent_at'),
    /** The digest message this delivery went out in (status 'merged'). */
    digestId: integer('digest_id'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('deliveries_alert_channel_idx').on(t.alertId, t.channelId),
    // What the sender reads: due rows, per channel.
    index('deliveries_due_idx').on(t.channelId, t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('deliveries_sending_idx').on(t.claimedAt).where(sql`${t.status} = 'sending'`),
    index('deliveries_channel_idx').on(t.channelId, t.id),
    index('deliveries_status_idx').on(t.status, t.id),
  ],
);

/** Every message sent to a channel (alert, digest or test): the 20-a-minute window counts these. */
export const channelMessages = sqliteTable(
  'channel_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['alert', 'digest', 'test'] }).notNull(),
    sentAt: integer('sent_at').notNull(),
    ok: integer('ok', { mode: 'boolean' }).notNull(),
    /** For a digest, how many deliveries it carried. */
    deliveryCount: integer('delivery_count').notNull(),
    /** HTTP requests it took (a WeCom message with mentions takes two): what the minute's limit counts. */
    requests: integer('requests').notNull(),
  },
  (t) => [index('channel_messages_window_idx').on(t.channelId, t.sentAt)],
);

/** A user's secret calendar-feed address, by the SHA-256 of its secret (SPEC §10). */
export const calendarFeeds = sqliteTable('calendar_feeds', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretHash: text('secret_hash').notNull().unique(),
  createdAt: integer('created_at').notNull(),
  lastFetchedAt: integer('last_fetched_at'),
});

// --- Data in and out (SPEC §11) ------------------------------------------------------------------

/** A spreadsheet import: a dry run or a real run, with its progress and every error by row. */
export const importJobs = sqliteTable('import_jobs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  kind: text('kind', { enum: ['documents', 'interpretations'] }).notNull(),
  dryRun: integer('dry_run', { mode: 'boolean' }).notNull(),
  status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
  fileName: text('file_name'),
  rowsTotal: integer('rows_total').notNull(),
  rowsDone: integer('rows_done').notNull(),
  created: integer('created').notNull(),
  updated: integer('updated').notNull(),
  skipped: integer('skipped').notNull(),
  /** JSON array of {row, field, message}. */
  errors: text('errors').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  finishedAt: integer('finished_at'),
});

// --- Requests for disclosure (依申请公开) and the annual report (SPEC §13) ----------------------

/** A request for government information; its clock is computed from its events. */
export const disclosureRequests = sqliteTable(
  'disclosure_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Year of receipt and the request's place in it: the number counts per year. */
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    number: text('number').notNull().unique(),
    receivedDate: text('received_date').notNull(),
    channel: text('channel', { enum: ['in_person', 'post', 'letter', 'online', 'fax', 'email'] }).notNull(),
    applicantType: text('applicant_type', {
      enum: ['natural_person', 'commercial', 'research', 'public_interest', 'legal_service', 'other_org'],
    }).notNull(),
    applicantName: text('applicant_name').notNull(),
    contact: text('contact'),
    description: text('description').notNull(),
    departmentCode: text('department_code')
      .notNull()
      .references(() => departments.code),
    /** The due date with every event counted (null while the clock stands still); recomputed on calendar changes. */
    dueDate: text('due_date'),
    dueProvisional: integer('due_provisional', { mode: 'boolean' }).notNull().default(false),
    /** The instant of the event that answered or closed it, and which it was. */
    closedAt: integer('closed_at'),
    closedBy: text('closed_by', { enum: ['answered', 'withdrawn', 'abandoned'] }),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('disclosure_requests_year_seq_idx').on(t.year, t.seq),
    index('disclosure_requests_department_idx').on(t.departmentCode, t.year),
    // Requests still running: the sweep and the status filters read only these.
    index('disclosure_requests_running_idx').on(t.dueDate).where(sql`${t.closedAt} IS NULL`),
    index('disclosure_requests_closed_idx').on(t.closedAt),
  ],
);

/** What happened to a request, in the order it was recorded (SPEC §13 events). */
export const disclosureEvents = sqliteTable(
  'disclosure_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id')
      .notNull()
      .references(() => disclosureRequests.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    /** The Shanghai date it happened, and the instant (00:00 for a bare date). */
    date: text('date').notNull(),
    occurredAt: integer('occurred_at').notNull(),
    /** JSON of the type's own fields: party, days and approvedBy, amount, outcome and reason, kind and result. */
    details: text('details').notNull(),
    note: text('note'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: integer('recorded_at').notNull(),
  },
  (t) => [index('disclosure_events_request_idx').on(t.requestId, t.date, t.id)],
);

/** The rows of the annual report entered by hand, per year (JSON). */
export const annualReportInputs = sqliteTable('annual_report_inputs', {
  year: integer('year').primaryKey(),
  inputs: text('inputs').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

// --- Administration on the web (SPEC §15) -------------------------------------------------------

/** A wall screen's read-only link to the board, by the SHA-256 of the secret in its address. */
export const displayLinks = sqliteTable('display_links', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  secretHash: text('secret_hash').notNull().unique(),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  /** When a screen last loaded the board (noted at most once a minute), or null. */
  lastSeenAt: integer('last_seen_at'),
  revokedAt: integer('revoked_at'),
});

// --- Public-opinion depth (SPEC §14) -------------------------------------------------------------

/**
 * The reprint index: each item in an incident under its fingerprint keys (title MinHash bands,
 * body SimHash blocks, link; see domain/monitoring/reprints.ts), one integer per entry:
 * key × 2^32 + item id, keys below 2^31. A key's items are one range of the primary key.
 */
export const reprintKeys = sqliteTable('reprint_keys', {
  k: integer('k').primaryKey(),
});

/** The distinct negative-signal words over an incident's items. */
export const incidentSignals = sqliteTable(
  'incident_signals',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    word: text('word').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.word] })],
);
