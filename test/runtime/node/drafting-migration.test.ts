import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openSqlite } from '../../../src/runtime/node/sqlite.js';
import { databaseBefore } from '../../support/migrations.js';

// Migration 0007 (drafting, issue 12) only adds columns: the documents table is never rebuilt,
// because drizzle's migrator runs in one transaction where PRAGMA foreign_keys=OFF does nothing,
// so dropping documents would cascade into every interpretation link, alert and delivery.

let cleanup = () => {};
afterEach(() => cleanup());

const DRAFTING = readdirSync(MIGRATIONS_DIR).find((f) => /^0007_.*\.sql$/.test(f))!;


describe('migration 0007 (drafting)', () => {
  it('adds columns and tables only: no rebuilt or dropped table', () => {
    const sql = readFileSync(join(MIGRATIONS_DIR, DRAFTING), 'utf8');
    expect(DRAFTING).toBe('0007_drafting.sql');
    expect(sql).not.toMatch(/DROP TABLE|__new_|RENAME TO|PRAGMA/i);
    for (const statement of sql.split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean)) {
      expect(statement).toMatch(/^(ALTER TABLE `\w+` ADD `\w+`|CREATE (UNIQUE )?(TABLE|INDEX))/);
    }
  });

  it('when a database of the previous release is migrated, then its documents, links, alerts and deliveries are unchanged, every document published', () => {
    const { old, path, cleanup: remove } = databaseBefore(7);
    cleanup = remove;
    old.exec(`
      INSERT INTO departments (code, name, created_at) VALUES ('fgw', '市发展改革委', 1);
      INSERT INTO documents (doc_number, title, department_code, published_at, requires_interpretation, importance, interpretation_due_date, due_provisional, first_interpretation_at, search_text, created_at, updated_at)
        VALUES ('沪发改规〔2026〕5号', '关于促进民营经济发展的若干措施', 'fgw', 1790733600000, 1, 'major', '2026-10-10', 0, 1791964800000, 'x', 1, 2);
      INSERT INTO interpretations (title, form, published_at, department_code, created_at, updated_at) VALUES ('一图读懂', 'graphic', 1791964800000, 'fgw', 1, 1);
      INSERT INTO interpretation_documents (interpretation_id, document_id, linked_at) VALUES (1, 1, 1);
      INSERT INTO channels (name, kind, url, alert_types, department_codes, escalation, mention_mobiles, enabled, created_at, updated_at)
        VALUES ('发改委群', 'webhook', 'https://hooks.example.gov.cn/x', '[]', '[]', 0, '[]', 1, 1, 1);
      INSERT INTO alerts (type, document_id, dedupe_key, message, created_at) VALUES ('interpretation_overdue', 1, 'interpretation_overdue:1:2026-10-10', '逾期', 1);`);
    const before = {
      document: old.prepare('SELECT * FROM documents').get(),
      links: old.prepare('SELECT * FROM interpretation_documents').all(),
      alerts: old.prepare('SELECT * FROM alerts').all(),
      deliveries: old.prepare('SELECT id, alert_id, channel_id, status FROM deliveries').all(),
    };
    expect(before.deliveries).toHaveLength(1);
    old.close();

    const db = openSqlite(path); // applies 0007 (and whatever follows it)
    const raw = new BetterSqlite3(path, { readonly: true });
    try {
      expect(raw.prepare('SELECT * FROM documents').get()).toEqual({
        ...(before.document as object),
        drafting: 0,
        interpretation_plan: null,
        signed_off_at: null,
        signed_off_by: null,
        plan_at_sign_off: null,
        sign_off_note: null,
        first_leader_led_at: null, // 0009: its only interpretation is a graphic, not leader-led
      });
      expect(raw.prepare('SELECT * FROM interpretation_documents').all()).toEqual(before.links);
      expect(raw.prepare('SELECT * FROM alerts').all()).toEqual(before.alerts);
      expect(raw.prepare('SELECT id, alert_id, channel_id, status FROM deliveries').all()).toEqual(before.deliveries);
      expect(raw.prepare('SELECT channels, leader_led FROM interpretations').get()).toEqual({ channels: '[]', leader_led: 0 });
    } finally {
      raw.close();
      db.close();
    }
  });
});
