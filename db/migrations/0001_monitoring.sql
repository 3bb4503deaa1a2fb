CREATE TABLE `commitments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`kind` text NOT NULL,
	`due_at` integer NOT NULL,
	`policy_version` integer NOT NULL,
	`fulfilled_at` integer,
	`url` text,
	`note` text,
	`cancelled_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commitments_incident_kind_idx` ON `commitments` (`incident_id`,`kind`);--> statement-breakpoint
CREATE INDEX `commitments_running_idx` ON `commitments` (`due_at`) WHERE "commitments"."fulfilled_at" IS NULL AND "commitments"."cancelled_at" IS NULL;--> statement-breakpoint
CREATE TABLE `feeds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`interval_minutes` integer NOT NULL,
	`source` text NOT NULL,
	`enabled` integer NOT NULL,
	`etag` text,
	`last_modified` text,
	`last_polled_at` integer,
	`last_success_at` integer,
	`last_error` text,
	`consecutive_errors` integer NOT NULL,
	`next_poll_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feeds_url_unique` ON `feeds` (`url`);--> statement-breakpoint
CREATE TABLE `incident_items` (
	`incident_id` integer NOT NULL,
	`item_id` integer NOT NULL,
	`linked_at` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `item_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `incident_items_item_idx` ON `incident_items` (`item_id`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`summary` text,
	`severity` text NOT NULL,
	`department_code` text,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`rule_id` integer,
	`origin_key` text,
	`merged_into_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rule_id`) REFERENCES `rules`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_origin_key_unique` ON `incidents` (`origin_key`);--> statement-breakpoint
CREATE INDEX `incidents_rule_open_idx` ON `incidents` (`rule_id`,`status`,`started_at`);--> statement-breakpoint
CREATE INDEX `incidents_status_idx` ON `incidents` (`status`);--> statement-breakpoint
CREATE TABLE `item_rule_hits` (
	`item_id` integer NOT NULL,
	`rule_id` integer NOT NULL,
	`terms` text NOT NULL,
	PRIMARY KEY(`item_id`, `rule_id`),
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`rule_id`) REFERENCES `rules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `item_rule_hits_rule_idx` ON `item_rule_hits` (`rule_id`,`item_id`);--> statement-breakpoint
CREATE TABLE `items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`feed_id` integer NOT NULL,
	`identity` text NOT NULL,
	`title` text NOT NULL,
	`normalized_title` text NOT NULL,
	`link` text,
	`summary` text NOT NULL,
	`published_at` integer,
	`fetched_at` integer NOT NULL,
	FOREIGN KEY (`feed_id`) REFERENCES `feeds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `items_feed_identity_idx` ON `items` (`feed_id`,`identity`);--> statement-breakpoint
CREATE INDEX `items_link_idx` ON `items` (`link`);--> statement-breakpoint
CREATE INDEX `items_normalized_title_idx` ON `items` (`normalized_title`);--> statement-breakpoint
CREATE INDEX `items_fetched_idx` ON `items` (`fetched_at`);--> statement-breakpoint
CREATE TABLE `response_policies` (
	`version` integer PRIMARY KEY NOT NULL,
	`rules` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`query` text NOT NULL,
	`severity` text NOT NULL,
	`department_code` text,
	`source` text NOT NULL,
	`enabled` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rules_name_unique` ON `rules` (`name`);