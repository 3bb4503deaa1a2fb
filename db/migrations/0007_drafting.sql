ALTER TABLE `documents` ADD `drafting` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `documents` ADD `interpretation_plan` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `signed_off_at` integer;--> statement-breakpoint
ALTER TABLE `documents` ADD `signed_off_by` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `plan_at_sign_off` integer;--> statement-breakpoint
ALTER TABLE `documents` ADD `sign_off_note` text;--> statement-breakpoint
ALTER TABLE `interpretations` ADD `channels` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `interpretations` ADD `leader_led` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `can_sign_off` integer DEFAULT false NOT NULL;