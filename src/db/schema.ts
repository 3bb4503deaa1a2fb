import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
    interpretationDueDate: text('interpretation_due_date').notNull(),
    dueProvisional: integer('due_provisional', { mode: 'boolean' }).notNull(),
    // Earliest publishedAt among linked interpretations, kept in step with the links so that
    // status filters are index range scans rather than joins over every document.
    firstInterpretationAt: integer('first_interpretation_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
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
  ],
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
    // What makes an alert unique (e.g. type + document + due date): inserting the same key twice
    // is a no-op, which keeps overlapping or restarted sweeps from duplicating alerts.
    dedupeKey: text('dedupe_key').notNull(),
    message: text('message').notNull(),
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
