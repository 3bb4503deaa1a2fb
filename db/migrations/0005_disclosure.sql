CREATE TABLE `annual_report_inputs` (
	`year` integer PRIMARY KEY NOT NULL,
	`inputs` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `disclosure_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`type` text NOT NULL,
	`date` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`details` text NOT NULL,
	`note` text,
	`recorded_by` text NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `disclosure_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `disclosure_events_request_idx` ON `disclosure_events` (`request_id`,`date`,`id`);--> statement-breakpoint
CREATE TABLE `disclosure_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`year` integer NOT NULL,
	`seq` integer NOT NULL,
	`number` text NOT NULL,
	`received_date` text NOT NULL,
	`channel` text NOT NULL,
	`applicant_type` text NOT NULL,
	`applicant_name` text NOT NULL,
	`contact` text,
	`description` text NOT NULL,
	`department_code` text NOT NULL,
	`due_date` text,
	`due_provisional` integer DEFAULT false NOT NULL,
	`closed_at` integer,
	`closed_by` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `disclosure_requests_number_unique` ON `disclosure_requests` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `disclosure_requests_year_seq_idx` ON `disclosure_requests` (`year`,`seq`);--> statement-breakpoint
CREATE INDEX `disclosure_requests_department_idx` ON `disclosure_requests` (`department_code`,`year`);--> statement-breakpoint
CREATE INDEX `disclosure_requests_running_idx` ON `disclosure_requests` (`due_date`) WHERE "disclosure_requests"."closed_at" IS NULL;--> statement-breakpoint
CREATE INDEX `disclosure_requests_closed_idx` ON `disclosure_requests` (`closed_at`);--> statement-breakpoint
ALTER TABLE `alerts` ADD `disclosure_request_id` integer;--> statement-breakpoint
ALTER TABLE `documents` ADD `doc_type` text;