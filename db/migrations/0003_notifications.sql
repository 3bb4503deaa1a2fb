CREATE TABLE `calendar_feeds` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_fetched_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_secret_hash_unique` ON `calendar_feeds` (`secret_hash`);--> statement-breakpoint
CREATE TABLE `channel_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel_id` integer NOT NULL,
	`kind` text NOT NULL,
	`sent_at` integer NOT NULL,
	`ok` integer NOT NULL,
	`delivery_count` integer NOT NULL,
	`requests` integer NOT NULL,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `channel_messages_window_idx` ON `channel_messages` (`channel_id`,`sent_at`);--> statement-breakpoint
CREATE TABLE `channels` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`url` text NOT NULL,
	`secret` text,
	`keyword` text,
	`alert_types` text NOT NULL,
	`department_codes` text NOT NULL,
	`min_severity` text,
	`escalation` integer NOT NULL,
	`mention_mobiles` text NOT NULL,
	`enabled` integer NOT NULL,
	`misconfigured_at` integer,
	`last_error` text,
	`last_error_at` integer,
	`last_success_at` integer,
	`paused_until` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `channels_name_unique` ON `channels` (`name`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alert_id` integer NOT NULL,
	`channel_id` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`claimed_at` integer,
	`last_error` text,
	`response` text,
	`sent_at` integer,
	`digest_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_alert_channel_idx` ON `deliveries` (`alert_id`,`channel_id`);--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `deliveries` (`channel_id`,`next_attempt_at`) WHERE "deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `deliveries_sending_idx` ON `deliveries` (`claimed_at`) WHERE "deliveries"."status" = 'sending';--> statement-breakpoint
CREATE INDEX `deliveries_channel_idx` ON `deliveries` (`channel_id`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_status_idx` ON `deliveries` (`status`,`id`);--> statement-breakpoint
ALTER TABLE `alerts` ADD `department_code` text;--> statement-breakpoint
ALTER TABLE `alerts` ADD `severity` text;--> statement-breakpoint
ALTER TABLE `alerts` ADD `subject` text;--> statement-breakpoint
ALTER TABLE `alerts` ADD `deadline_at` integer;--> statement-breakpoint
ALTER TABLE `commitments` ADD `due_revision` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `documents` ADD `due_revision` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE TRIGGER `alerts_fan_out` AFTER INSERT ON `alerts` BEGIN
  INSERT INTO `deliveries` (`alert_id`, `channel_id`, `status`, `attempts`, `next_attempt_at`, `created_at`, `updated_at`)
  SELECT NEW.`id`, c.`id`, 'pending', 0, NEW.`created_at`, NEW.`created_at`, NEW.`created_at`
  FROM `channels` AS c
  WHERE c.`enabled` = 1
    AND (
      (c.`escalation` = 1 AND NEW.`type` IN ('commitment_missed', 'interpretation_overdue'))
      OR (
        (c.`alert_types` = '[]' OR EXISTS (SELECT 1 FROM json_each(c.`alert_types`) WHERE value = NEW.`type`))
        AND (c.`department_codes` = '[]' OR EXISTS (SELECT 1 FROM json_each(c.`department_codes`) WHERE value = NEW.`department_code`))
      )
    )
    AND (
      c.`min_severity` IS NULL OR NEW.`severity` IS NULL
      OR (CASE NEW.`severity` WHEN 'especially_major' THEN 4 WHEN 'major' THEN 3 WHEN 'large' THEN 2 ELSE 1 END)
        >= (CASE c.`min_severity` WHEN 'especially_major' THEN 4 WHEN 'major' THEN 3 WHEN 'large' THEN 2 ELSE 1 END)
    );
END;
--> statement-breakpoint
CREATE TRIGGER `documents_due_revision` AFTER UPDATE OF `interpretation_due_date` ON `documents`
WHEN OLD.`interpretation_due_date` IS NOT NEW.`interpretation_due_date`
BEGIN UPDATE `documents` SET `due_revision` = `due_revision` + 1 WHERE `id` = NEW.`id`; END;
--> statement-breakpoint
CREATE TRIGGER `commitments_due_revision` AFTER UPDATE OF `due_at` ON `commitments`
WHEN OLD.`due_at` IS NOT NEW.`due_at`
BEGIN UPDATE `commitments` SET `due_revision` = `due_revision` + 1 WHERE `id` = NEW.`id`; END;
