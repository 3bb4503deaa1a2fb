-- Ingest's lookup of the open incidents that hold an item's link or normalised title needs only
-- the items in incidents indexed by those: the nine items in ten that join none no longer pay
-- two index inserts of random keys each. items.in_incident says which: backfilled here, then set
-- by a trigger in the same transaction as every link of an item to an incident (ingest, merge).
-- It never goes back to 0 (an item merged away stays in the incident it came from too), and the
-- lookup joins incident_items anyway.
ALTER TABLE `items` ADD `in_incident` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `items` SET `in_incident` = 1 WHERE `id` IN (SELECT `item_id` FROM `incident_items`);--> statement-breakpoint
DROP INDEX `items_link_idx`;--> statement-breakpoint
DROP INDEX `items_normalized_title_idx`;--> statement-breakpoint
CREATE INDEX `items_incident_link_idx` ON `items` (`link`) WHERE "items"."in_incident" = 1;--> statement-breakpoint
CREATE INDEX `items_incident_title_idx` ON `items` (`normalized_title`) WHERE "items"."in_incident" = 1;--> statement-breakpoint
CREATE TRIGGER `incident_items_in_incident` AFTER INSERT ON `incident_items` BEGIN
	UPDATE `items` SET `in_incident` = 1 WHERE `id` = NEW.`item_id` AND `in_incident` = 0;
END;
