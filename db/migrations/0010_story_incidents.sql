-- Issue 14: the open incident of a story without walking the story's items. Additive only.
-- story_incidents holds (story, incident) for every incident that holds an item of the story (a
-- story is its first item's id: items.story_id, or the item's own id). Filled here from what is
-- stored, then kept by triggers in the same transaction as every change: an item linked to an
-- incident (ingest, merge), and an item deleted (with its feed) that was its story's last in an
-- incident. Deleting an incident deletes its rows (foreign key).
CREATE TABLE `story_incidents` (
	`story_id` integer NOT NULL,
	`incident_id` integer NOT NULL,
	PRIMARY KEY(`story_id`, `incident_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
INSERT OR IGNORE INTO `story_incidents` (`story_id`, `incident_id`)
	SELECT COALESCE(i.`story_id`, i.`id`), ii.`incident_id` FROM `incident_items` AS ii JOIN `items` AS i ON i.`id` = ii.`item_id`;
--> statement-breakpoint
CREATE TRIGGER `incident_items_story_insert` AFTER INSERT ON `incident_items` BEGIN
	INSERT OR IGNORE INTO `story_incidents` (`story_id`, `incident_id`)
		SELECT COALESCE(`story_id`, `id`), NEW.`incident_id` FROM `items` WHERE `id` = NEW.`item_id`;
END;
--> statement-breakpoint
-- Before the item goes (and its links with it, by cascade): its story leaves the incidents where no
-- other item of the story remains.
CREATE TRIGGER `items_story_delete` BEFORE DELETE ON `items` BEGIN
	DELETE FROM `story_incidents`
	WHERE `story_id` = COALESCE(OLD.`story_id`, OLD.`id`)
		AND `incident_id` IN (SELECT `incident_id` FROM `incident_items` WHERE `item_id` = OLD.`id`)
		AND NOT EXISTS (
			SELECT 1 FROM `items` AS i JOIN `incident_items` AS ii ON ii.`item_id` = i.`id` AND ii.`incident_id` = `story_incidents`.`incident_id`
			WHERE i.`story_id` = COALESCE(OLD.`story_id`, OLD.`id`) AND i.`id` <> OLD.`id`)
		AND NOT EXISTS (
			SELECT 1 FROM `incident_items` AS ii
			WHERE ii.`incident_id` = `story_incidents`.`incident_id` AND ii.`item_id` = COALESCE(OLD.`story_id`, OLD.`id`) AND ii.`item_id` <> OLD.`id`);
END;
