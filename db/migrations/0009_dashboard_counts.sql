-- Issue 15: the leaders' board without a scan of every document. Additive only (no table is
-- rebuilt: the migrator runs in one transaction, where turning foreign keys off has no effect).
-- department_document_counts holds, per department, the final-state classification of its
-- published documents (drafts never count); waiting_due_counts the documents still waiting for an
-- interpretation by due date. Triggers keep both in the same transaction as every change; the
-- board corrects them for a past asOf from indexed reads of what happened after it (app/dashboard.ts).
ALTER TABLE `documents` ADD `first_leader_led_at` integer;
--> statement-breakpoint
CREATE TABLE `department_document_counts` (
	`department_code` text PRIMARY KEY NOT NULL,
	`published` integer DEFAULT 0 NOT NULL,
	`exempt` integer DEFAULT 0 NOT NULL,
	`required` integer DEFAULT 0 NOT NULL,
	`waiting` integer DEFAULT 0 NOT NULL,
	`on_time` integer DEFAULT 0 NOT NULL,
	`late` integer DEFAULT 0 NOT NULL,
	`planned_and_signed` integer DEFAULT 0 NOT NULL,
	`major` integer DEFAULT 0 NOT NULL,
	`leader_led_major` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `waiting_due_counts` (
	`due_date` text NOT NULL,
	`department_code` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`due_date`, `department_code`)
);
--> statement-breakpoint
-- By publication time, with every column the board classifies by: a past asOf reads this index only.
CREATE INDEX `documents_published_idx` ON `documents` (`published_at`,`department_code`,`requires_interpretation`,`first_interpretation_at`,`interpretation_due_date`,`importance`,`plan_at_sign_off`,`signed_off_at`,`first_leader_led_at`) WHERE `drafting` = 0;
--> statement-breakpoint
CREATE INDEX `documents_first_leader_led_idx` ON `documents` (`first_leader_led_at`) WHERE `first_leader_led_at` IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `documents_drafting_idx` ON `documents` (`drafting`) WHERE `drafting` = 1;
--> statement-breakpoint
-- The incident list, newest first (with or without a status), without sorting every incident.
CREATE INDEX `incidents_started_idx` ON `incidents` (`started_at`);
--> statement-breakpoint
CREATE INDEX `incidents_status_started_idx` ON `incidents` (`status`,`started_at`);
--> statement-breakpoint
-- Backfill: the earliest leader-led interpretation of each document, then the counts.
UPDATE `documents` SET `first_leader_led_at` = (SELECT MIN(i.`published_at`) FROM `interpretation_documents` AS l JOIN `interpretations` AS i ON i.`id` = l.`interpretation_id`
    WHERE l.`document_id` = `documents`.`id` AND (i.`leader_led` = 1 OR i.`form` IN ('press_conference', 'interview')))
WHERE `id` IN (SELECT l.`document_id` FROM `interpretation_documents` AS l JOIN `interpretations` AS i ON i.`id` = l.`interpretation_id` WHERE (i.`leader_led` = 1 OR i.`form` IN ('press_conference', 'interview')));
--> statement-breakpoint
INSERT INTO `department_document_counts` (`department_code`, `published`, `exempt`, `required`, `waiting`, `on_time`, `late`, `planned_and_signed`, `major`, `leader_led_major`)
SELECT d.`department_code`, SUM(CASE WHEN 1 THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.requires_interpretation = 0 THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.requires_interpretation = 1 THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.requires_interpretation = 1 AND d.first_interpretation_at IS NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.requires_interpretation = 1 AND d.first_interpretation_at IS NOT NULL AND strftime('%Y-%m-%d', d.first_interpretation_at / 1000, 'unixepoch', '+8 hours') <= d.interpretation_due_date THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.requires_interpretation = 1 AND d.first_interpretation_at IS NOT NULL AND strftime('%Y-%m-%d', d.first_interpretation_at / 1000, 'unixepoch', '+8 hours') > d.interpretation_due_date THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.requires_interpretation = 1 AND d.plan_at_sign_off = 1 AND d.signed_off_at <= d.published_at THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.requires_interpretation = 1 AND d.importance = 'major' THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.requires_interpretation = 1 AND d.importance = 'major' AND d.first_leader_led_at IS NOT NULL THEN 1 ELSE 0 END)
FROM `documents` AS d WHERE d.`drafting` = 0 GROUP BY d.`department_code`;
--> statement-breakpoint
INSERT INTO `waiting_due_counts` (`due_date`, `department_code`, `n`)
SELECT d.`interpretation_due_date`, d.`department_code`, COUNT(*) FROM `documents` AS d
WHERE d.`drafting` = 0 AND d.`requires_interpretation` = 1 AND d.`first_interpretation_at` IS NULL
GROUP BY d.`interpretation_due_date`, d.`department_code`;
--> statement-breakpoint
CREATE TRIGGER `documents_counts_insert` AFTER INSERT ON `documents` BEGIN
  INSERT INTO `department_document_counts` (`department_code`, `published`, `exempt`, `required`, `waiting`, `on_time`, `late`, `planned_and_signed`, `major`, `leader_led_major`)
  SELECT NEW.`department_code`, CASE WHEN 1 THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 0 THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 1 THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 1 AND NEW.first_interpretation_at IS NULL THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 1 AND NEW.first_interpretation_at IS NOT NULL AND strftime('%Y-%m-%d', NEW.first_interpretation_at / 1000, 'unixepoch', '+8 hours') <= NEW.interpretation_due_date THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 1 AND NEW.first_interpretation_at IS NOT NULL AND strftime('%Y-%m-%d', NEW.first_interpretation_at / 1000, 'unixepoch', '+8 hours') > NEW.interpretation_due_date THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 1 AND NEW.plan_at_sign_off = 1 AND NEW.signed_off_at <= NEW.published_at THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 1 AND NEW.importance = 'major' THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 1 AND NEW.importance = 'major' AND NEW.first_leader_led_at IS NOT NULL THEN 1 ELSE 0 END
  WHERE NEW.`drafting` = 0
  ON CONFLICT (`department_code`) DO UPDATE SET `published` = `published` + excluded.`published`, `exempt` = `exempt` + excluded.`exempt`, `required` = `required` + excluded.`required`, `waiting` = `waiting` + excluded.`waiting`, `on_time` = `on_time` + excluded.`on_time`, `late` = `late` + excluded.`late`, `planned_and_signed` = `planned_and_signed` + excluded.`planned_and_signed`, `major` = `major` + excluded.`major`, `leader_led_major` = `leader_led_major` + excluded.`leader_led_major`;
  INSERT INTO `waiting_due_counts` (`due_date`, `department_code`, `n`)
  SELECT NEW.`interpretation_due_date`, NEW.`department_code`, 1
  WHERE NEW.`drafting` = 0 AND NEW.`requires_interpretation` = 1 AND NEW.`first_interpretation_at` IS NULL
  ON CONFLICT (`due_date`, `department_code`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_counts_delete` AFTER DELETE ON `documents` BEGIN
  INSERT INTO `department_document_counts` (`department_code`, `published`, `exempt`, `required`, `waiting`, `on_time`, `late`, `planned_and_signed`, `major`, `leader_led_major`)
  SELECT OLD.`department_code`, -CASE WHEN 1 THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 0 THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 1 THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 1 AND OLD.first_interpretation_at IS NULL THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 1 AND OLD.first_interpretation_at IS NOT NULL AND strftime('%Y-%m-%d', OLD.first_interpretation_at / 1000, 'unixepoch', '+8 hours') <= OLD.interpretation_due_date THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 1 AND OLD.first_interpretation_at IS NOT NULL AND strftime('%Y-%m-%d', OLD.first_interpretation_at / 1000, 'unixepoch', '+8 hours') > OLD.interpretation_due_date THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 1 AND OLD.plan_at_sign_off = 1 AND OLD.signed_off_at <= OLD.published_at THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 1 AND OLD.importance = 'major' THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 1 AND OLD.importance = 'major' AND OLD.first_leader_led_at IS NOT NULL THEN 1 ELSE 0 END
  WHERE OLD.`drafting` = 0
  ON CONFLICT (`department_code`) DO UPDATE SET `published` = `published` + excluded.`published`, `exempt` = `exempt` + excluded.`exempt`, `required` = `required` + excluded.`required`, `waiting` = `waiting` + excluded.`waiting`, `on_time` = `on_time` + excluded.`on_time`, `late` = `late` + excluded.`late`, `planned_and_signed` = `planned_and_signed` + excluded.`planned_and_signed`, `major` = `major` + excluded.`major`, `leader_led_major` = `leader_led_major` + excluded.`leader_led_major`;
  INSERT INTO `waiting_due_counts` (`due_date`, `department_code`, `n`)
  SELECT OLD.`interpretation_due_date`, OLD.`department_code`, -1
  WHERE OLD.`drafting` = 0 AND OLD.`requires_interpretation` = 1 AND OLD.`first_interpretation_at` IS NULL
  ON CONFLICT (`due_date`, `department_code`) DO UPDATE SET `n` = `n` + excluded.`n`;
  DELETE FROM `waiting_due_counts` WHERE `due_date` = OLD.`interpretation_due_date` AND `department_code` = OLD.`department_code` AND `n` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_counts_update` AFTER UPDATE OF `department_code`, `published_at`, `requires_interpretation`, `importance`, `interpretation_due_date`, `first_interpretation_at`, `drafting`, `signed_off_at`, `plan_at_sign_off`, `first_leader_led_at` ON `documents` BEGIN
  INSERT INTO `department_document_counts` (`department_code`, `published`, `exempt`, `required`, `waiting`, `on_time`, `late`, `planned_and_signed`, `major`, `leader_led_major`)
  SELECT OLD.`department_code`, -CASE WHEN 1 THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 0 THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 1 THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 1 AND OLD.first_interpretation_at IS NULL THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 1 AND OLD.first_interpretation_at IS NOT NULL AND strftime('%Y-%m-%d', OLD.first_interpretation_at / 1000, 'unixepoch', '+8 hours') <= OLD.interpretation_due_date THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 1 AND OLD.first_interpretation_at IS NOT NULL AND strftime('%Y-%m-%d', OLD.first_interpretation_at / 1000, 'unixepoch', '+8 hours') > OLD.interpretation_due_date THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 1 AND OLD.plan_at_sign_off = 1 AND OLD.signed_off_at <= OLD.published_at THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 1 AND OLD.importance = 'major' THEN 1 ELSE 0 END,
    -CASE WHEN OLD.requires_interpretation = 1 AND OLD.importance = 'major' AND OLD.first_leader_led_at IS NOT NULL THEN 1 ELSE 0 END
  WHERE OLD.`drafting` = 0
  ON CONFLICT (`department_code`) DO UPDATE SET `published` = `published` + excluded.`published`, `exempt` = `exempt` + excluded.`exempt`, `required` = `required` + excluded.`required`, `waiting` = `waiting` + excluded.`waiting`, `on_time` = `on_time` + excluded.`on_time`, `late` = `late` + excluded.`late`, `planned_and_signed` = `planned_and_signed` + excluded.`planned_and_signed`, `major` = `major` + excluded.`major`, `leader_led_major` = `leader_led_major` + excluded.`leader_led_major`;
  INSERT INTO `waiting_due_counts` (`due_date`, `department_code`, `n`)
  SELECT OLD.`interpretation_due_date`, OLD.`department_code`, -1
  WHERE OLD.`drafting` = 0 AND OLD.`requires_interpretation` = 1 AND OLD.`first_interpretation_at` IS NULL
  ON CONFLICT (`due_date`, `department_code`) DO UPDATE SET `n` = `n` + excluded.`n`;
  INSERT INTO `department_document_counts` (`department_code`, `published`, `exempt`, `required`, `waiting`, `on_time`, `late`, `planned_and_signed`, `major`, `leader_led_major`)
  SELECT NEW.`department_code`, CASE WHEN 1 THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 0 THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 1 THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 1 AND NEW.first_interpretation_at IS NULL THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 1 AND NEW.first_interpretation_at IS NOT NULL AND strftime('%Y-%m-%d', NEW.first_interpretation_at / 1000, 'unixepoch', '+8 hours') <= NEW.interpretation_due_date THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 1 AND NEW.first_interpretation_at IS NOT NULL AND strftime('%Y-%m-%d', NEW.first_interpretation_at / 1000, 'unixepoch', '+8 hours') > NEW.interpretation_due_date THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 1 AND NEW.plan_at_sign_off = 1 AND NEW.signed_off_at <= NEW.published_at THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 1 AND NEW.importance = 'major' THEN 1 ELSE 0 END,
    CASE WHEN NEW.requires_interpretation = 1 AND NEW.importance = 'major' AND NEW.first_leader_led_at IS NOT NULL THEN 1 ELSE 0 END
  WHERE NEW.`drafting` = 0
  ON CONFLICT (`department_code`) DO UPDATE SET `published` = `published` + excluded.`published`, `exempt` = `exempt` + excluded.`exempt`, `required` = `required` + excluded.`required`, `waiting` = `waiting` + excluded.`waiting`, `on_time` = `on_time` + excluded.`on_time`, `late` = `late` + excluded.`late`, `planned_and_signed` = `planned_and_signed` + excluded.`planned_and_signed`, `major` = `major` + excluded.`major`, `leader_led_major` = `leader_led_major` + excluded.`leader_led_major`;
  INSERT INTO `waiting_due_counts` (`due_date`, `department_code`, `n`)
  SELECT NEW.`interpretation_due_date`, NEW.`department_code`, 1
  WHERE NEW.`drafting` = 0 AND NEW.`requires_interpretation` = 1 AND NEW.`first_interpretation_at` IS NULL
  ON CONFLICT (`due_date`, `department_code`) DO UPDATE SET `n` = `n` + excluded.`n`;
  DELETE FROM `waiting_due_counts` WHERE `due_date` = OLD.`interpretation_due_date` AND `department_code` = OLD.`department_code` AND `n` = 0;
END;
--> statement-breakpoint
-- The earliest leader-led interpretation, kept in step with links and interpretations.
CREATE TRIGGER `interpretation_documents_leader_insert` AFTER INSERT ON `interpretation_documents` BEGIN
  UPDATE `documents` SET `first_leader_led_at` = (SELECT MIN(i.`published_at`) FROM `interpretation_documents` AS l JOIN `interpretations` AS i ON i.`id` = l.`interpretation_id`
    WHERE l.`document_id` = `documents`.`id` AND (i.`leader_led` = 1 OR i.`form` IN ('press_conference', 'interview')))
  WHERE `id` = NEW.`document_id` AND `first_leader_led_at` IS NOT (SELECT MIN(i.`published_at`) FROM `interpretation_documents` AS l JOIN `interpretations` AS i ON i.`id` = l.`interpretation_id`
    WHERE l.`document_id` = `documents`.`id` AND (i.`leader_led` = 1 OR i.`form` IN ('press_conference', 'interview')));
END;
--> statement-breakpoint
CREATE TRIGGER `interpretation_documents_leader_delete` AFTER DELETE ON `interpretation_documents` BEGIN
  UPDATE `documents` SET `first_leader_led_at` = (SELECT MIN(i.`published_at`) FROM `interpretation_documents` AS l JOIN `interpretations` AS i ON i.`id` = l.`interpretation_id`
    WHERE l.`document_id` = `documents`.`id` AND (i.`leader_led` = 1 OR i.`form` IN ('press_conference', 'interview')))
  WHERE `id` = OLD.`document_id` AND `first_leader_led_at` IS NOT (SELECT MIN(i.`published_at`) FROM `interpretation_documents` AS l JOIN `interpretations` AS i ON i.`id` = l.`interpretation_id`
    WHERE l.`document_id` = `documents`.`id` AND (i.`leader_led` = 1 OR i.`form` IN ('press_conference', 'interview')));
END;
--> statement-breakpoint
CREATE TRIGGER `interpretation_documents_leader_update` AFTER UPDATE ON `interpretation_documents` BEGIN
  UPDATE `documents` SET `first_leader_led_at` = (SELECT MIN(i.`published_at`) FROM `interpretation_documents` AS l JOIN `interpretations` AS i ON i.`id` = l.`interpretation_id`
    WHERE l.`document_id` = `documents`.`id` AND (i.`leader_led` = 1 OR i.`form` IN ('press_conference', 'interview')))
  WHERE `id` IN (OLD.`document_id`, NEW.`document_id`) AND `first_leader_led_at` IS NOT (SELECT MIN(i.`published_at`) FROM `interpretation_documents` AS l JOIN `interpretations` AS i ON i.`id` = l.`interpretation_id`
    WHERE l.`document_id` = `documents`.`id` AND (i.`leader_led` = 1 OR i.`form` IN ('press_conference', 'interview')));
END;
--> statement-breakpoint
CREATE TRIGGER `interpretations_leader_update` AFTER UPDATE OF `published_at`, `leader_led`, `form` ON `interpretations` BEGIN
  UPDATE `documents` SET `first_leader_led_at` = (SELECT MIN(i.`published_at`) FROM `interpretation_documents` AS l JOIN `interpretations` AS i ON i.`id` = l.`interpretation_id`
    WHERE l.`document_id` = `documents`.`id` AND (i.`leader_led` = 1 OR i.`form` IN ('press_conference', 'interview')))
  WHERE `id` IN (SELECT `document_id` FROM `interpretation_documents` WHERE `interpretation_id` = NEW.`id`) AND `first_leader_led_at` IS NOT (SELECT MIN(i.`published_at`) FROM `interpretation_documents` AS l JOIN `interpretations` AS i ON i.`id` = l.`interpretation_id`
    WHERE l.`document_id` = `documents`.`id` AND (i.`leader_led` = 1 OR i.`form` IN ('press_conference', 'interview')));
END;
--> statement-breakpoint
CREATE TRIGGER `interpretations_leader_delete` AFTER DELETE ON `interpretations` BEGIN
  UPDATE `documents` SET `first_leader_led_at` = (SELECT MIN(i.`published_at`) FROM `interpretation_documents` AS l JOIN `interpretations` AS i ON i.`id` = l.`interpretation_id`
    WHERE l.`document_id` = `documents`.`id` AND (i.`leader_led` = 1 OR i.`form` IN ('press_conference', 'interview')))
  WHERE `id` IN (SELECT `document_id` FROM `interpretation_documents` WHERE `interpretation_id` = OLD.`id`) AND `first_leader_led_at` IS NOT (SELECT MIN(i.`published_at`) FROM `interpretation_documents` AS l JOIN `interpretations` AS i ON i.`id` = l.`interpretation_id`
    WHERE l.`document_id` = `documents`.`id` AND (i.`leader_led` = 1 OR i.`form` IN ('press_conference', 'interview')));
END;
