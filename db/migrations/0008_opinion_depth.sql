CREATE TABLE `incident_signals` (
	`incident_id` integer NOT NULL,
	`word` text NOT NULL,
	PRIMARY KEY(`incident_id`, `word`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `reprint_keys` (
	`k` integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE `incident_items` ADD `item_at` integer;--> statement-breakpoint
CREATE INDEX `incident_items_heat_idx` ON `incident_items` (`incident_id`,`item_at`);--> statement-breakpoint
ALTER TABLE `incidents` ADD `closed_at` integer;--> statement-breakpoint
ALTER TABLE `items` ADD `story_id` integer;--> statement-breakpoint
ALTER TABLE `items` ADD `simhash` text;--> statement-breakpoint
CREATE INDEX `items_story_idx` ON `items` (`story_id`);--> statement-breakpoint
ALTER TABLE `rules` ADD `min_signal` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Heat counts an incident's items by their time (published, else fetched): filled in for the links made before.
UPDATE `incident_items` SET `item_at` = (
  SELECT CASE WHEN i.`published_at` IS NOT NULL AND i.`published_at` <= i.`fetched_at` THEN i.`published_at` ELSE i.`fetched_at` END
  FROM `items` AS i WHERE i.`id` = `incident_items`.`item_id`
) WHERE `item_at` IS NULL;--> statement-breakpoint
-- Incidents already closed or dismissed: their last change is the best known closing time.
UPDATE `incidents` SET `closed_at` = `updated_at` WHERE `status` <> 'open' AND `closed_at` IS NULL;
