CREATE TABLE `import_run_scope` (
	`import_run_id` text NOT NULL,
	`source_id` text NOT NULL,
	`billing_account_id` text NOT NULL,
	`billing_period` text NOT NULL,
	PRIMARY KEY(`import_run_id`, `source_id`, `billing_account_id`, `billing_period`)
);
--> statement-breakpoint
DROP INDEX `cost_line_day_idx`;--> statement-breakpoint
DROP INDEX `cost_line_run_idx`;--> statement-breakpoint
DROP INDEX `cost_line_account_period_idx`;--> statement-breakpoint
CREATE INDEX `cost_line_snapshot_idx` ON `cost_line` (`source_id`,`billing_account_id`,`billing_period`,`import_run_id`,`line_key`);--> statement-breakpoint
INSERT INTO `import_run_scope` (`import_run_id`, `source_id`, `billing_account_id`, `billing_period`)
SELECT DISTINCT `import_run_id`, `source_id`, `billing_account_id`, `billing_period` FROM `cost_line`;
