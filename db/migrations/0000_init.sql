CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`document_id` integer,
	`incident_id` integer,
	`commitment_id` integer,
	`feed_id` integer,
	`dedupe_key` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_dedupe_key_idx` ON `alerts` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `alerts_type_idx` ON `alerts` (`type`,`id`);--> statement-breakpoint
CREATE TABLE `calendar_overrides` (
	`date` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `calendar_year_days` (
	`year` integer NOT NULL,
	`date` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	PRIMARY KEY(`year`, `date`),
	FOREIGN KEY (`year`) REFERENCES `calendar_years`(`year`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `calendar_years` (
	`year` integer PRIMARY KEY NOT NULL,
	`notice` text NOT NULL,
	`imported_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `departments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `departments_code_unique` ON `departments` (`code`);--> statement-breakpoint
CREATE TABLE `documents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`doc_number` text,
	`title` text NOT NULL,
	`department_code` text NOT NULL,
	`published_at` integer NOT NULL,
	`url` text,
	`requires_interpretation` integer NOT NULL,
	`exempt_reason` text,
	`importance` text NOT NULL,
	`interpretation_due_date` text NOT NULL,
	`due_provisional` integer NOT NULL,
	`first_interpretation_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `documents_doc_number_unique` ON `documents` (`doc_number`);--> statement-breakpoint
CREATE INDEX `documents_waiting_due_idx` ON `documents` (`interpretation_due_date`) WHERE "documents"."requires_interpretation" = 1 AND "documents"."first_interpretation_at" IS NULL;--> statement-breakpoint
CREATE INDEX `documents_first_interpretation_idx` ON `documents` (`first_interpretation_at`);--> statement-breakpoint
CREATE INDEX `documents_due_idx` ON `documents` (`interpretation_due_date`);--> statement-breakpoint
CREATE INDEX `documents_department_idx` ON `documents` (`department_code`);--> statement-breakpoint
CREATE TABLE `interpretation_documents` (
	`interpretation_id` integer NOT NULL,
	`document_id` integer NOT NULL,
	`linked_at` integer NOT NULL,
	PRIMARY KEY(`interpretation_id`, `document_id`),
	FOREIGN KEY (`interpretation_id`) REFERENCES `interpretations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `interpretation_documents_document_idx` ON `interpretation_documents` (`document_id`);--> statement-breakpoint
CREATE TABLE `interpretations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`form` text NOT NULL,
	`url` text,
	`published_at` integer NOT NULL,
	`department_code` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
