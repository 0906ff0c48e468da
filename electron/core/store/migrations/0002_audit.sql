CREATE TABLE `audit_event` (
	`seq` integer PRIMARY KEY NOT NULL,
	`ts` text NOT NULL,
	`actor_os` text NOT NULL,
	`actor_user` text,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text,
	`before` text NOT NULL,
	`after` text NOT NULL,
	`details` text NOT NULL,
	`run_id` text,
	`app_version` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_event_ts_idx` ON `audit_event` (`ts`);--> statement-breakpoint
CREATE INDEX `audit_event_action_idx` ON `audit_event` (`action`);--> statement-breakpoint
CREATE INDEX `audit_event_entity_idx` ON `audit_event` (`entity_type`,`entity_id`);