CREATE TABLE `cost_restatement` (
	`id` integer PRIMARY KEY NOT NULL,
	`import_run_id` text NOT NULL,
	`previous_run_id` text NOT NULL,
	`source_id` text NOT NULL,
	`billing_account_id` text NOT NULL,
	`billing_period` text NOT NULL,
	`kind` text NOT NULL,
	`old_line_id` integer,
	`new_line_id` integer,
	`charge_day` text NOT NULL,
	`service_name` text NOT NULL,
	`resource_id` text,
	`charge_category` text NOT NULL,
	`currency` text NOT NULL,
	`old_billed` text,
	`new_billed` text,
	`old_effective` text,
	`new_effective` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`import_run_id`) REFERENCES `import_run`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cost_restatement_run_idx` ON `cost_restatement` (`import_run_id`);--> statement-breakpoint
CREATE TABLE `cost_rollup_daily` (
	`day` text NOT NULL,
	`import_run_id` text NOT NULL,
	`source_id` text NOT NULL,
	`billing_period` text NOT NULL,
	`provider` text NOT NULL,
	`billing_account_id` text NOT NULL,
	`sub_account_id` text NOT NULL,
	`service_name` text NOT NULL,
	`service_category` text NOT NULL,
	`region` text NOT NULL,
	`charge_category` text NOT NULL,
	`currency` text NOT NULL,
	`billed_nanos` integer NOT NULL,
	`billed_atto` integer NOT NULL,
	`billed_ronto` integer NOT NULL,
	`effective_nanos` integer NOT NULL,
	`effective_atto` integer NOT NULL,
	`effective_ronto` integer NOT NULL,
	`line_count` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `cost_rollup_daily_snapshot_idx` ON `cost_rollup_daily` (`import_run_id`,`source_id`,`billing_account_id`,`billing_period`);--> statement-breakpoint
CREATE INDEX `cost_rollup_daily_day_idx` ON `cost_rollup_daily` (`day`);--> statement-breakpoint
CREATE TABLE `cost_rollup_monthly` (
	`month` text NOT NULL,
	`import_run_id` text NOT NULL,
	`source_id` text NOT NULL,
	`billing_period` text NOT NULL,
	`provider` text NOT NULL,
	`billing_account_id` text NOT NULL,
	`sub_account_id` text NOT NULL,
	`service_name` text NOT NULL,
	`service_category` text NOT NULL,
	`region` text NOT NULL,
	`charge_category` text NOT NULL,
	`currency` text NOT NULL,
	`billed_nanos` integer NOT NULL,
	`billed_atto` integer NOT NULL,
	`billed_ronto` integer NOT NULL,
	`effective_nanos` integer NOT NULL,
	`effective_atto` integer NOT NULL,
	`effective_ronto` integer NOT NULL,
	`line_count` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `cost_rollup_monthly_snapshot_idx` ON `cost_rollup_monthly` (`import_run_id`,`source_id`,`billing_account_id`,`billing_period`);--> statement-breakpoint
CREATE TABLE `cost_snapshot` (
	`source_id` text NOT NULL,
	`billing_account_id` text NOT NULL,
	`billing_period` text NOT NULL,
	`import_run_id` text NOT NULL,
	`digest` text NOT NULL,
	`line_count` integer NOT NULL,
	`currency` text NOT NULL,
	`billed_nanos` integer NOT NULL,
	`billed_atto` integer NOT NULL,
	`billed_ronto` integer NOT NULL,
	`effective_nanos` integer NOT NULL,
	`effective_atto` integer NOT NULL,
	`effective_ronto` integer NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`source_id`, `billing_account_id`, `billing_period`),
	FOREIGN KEY (`source_id`) REFERENCES `cost_source`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`import_run_id`) REFERENCES `import_run`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cost_snapshot_run_idx` ON `cost_snapshot` (`import_run_id`);--> statement-breakpoint
ALTER TABLE `cost_line` ADD `billed_atto` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cost_line` ADD `billed_ronto` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cost_line` ADD `effective_atto` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cost_line` ADD `effective_ronto` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cost_line` ADD `list_atto` integer;--> statement-breakpoint
ALTER TABLE `cost_line` ADD `list_ronto` integer;--> statement-breakpoint
ALTER TABLE `cost_line` ADD `resource_name` text;--> statement-breakpoint
ALTER TABLE `cost_line` ADD `charge_description` text;--> statement-breakpoint
ALTER TABLE `cost_line` ADD `commitment_discount_id` text;--> statement-breakpoint
ALTER TABLE `cost_line` ADD `commitment_discount_type` text;--> statement-breakpoint
ALTER TABLE `cost_line` ADD `commitment_discount_status` text;--> statement-breakpoint
ALTER TABLE `cost_line` ADD `line_key` integer;--> statement-breakpoint
ALTER TABLE `cost_line` ADD `line_hash` integer;--> statement-breakpoint
-- Workspaces made before snapshots existed (the demo) get one snapshot per (source, account, period)
-- pointing at the run that wrote its lines, and rollups rebuilt in the new shape.
INSERT INTO `cost_snapshot` (`source_id`, `billing_account_id`, `billing_period`, `import_run_id`, `digest`, `line_count`, `currency`,
  `billed_nanos`, `billed_atto`, `billed_ronto`, `effective_nanos`, `effective_atto`, `effective_ronto`, `updated_at`)
SELECT `source_id`, `billing_account_id`, `billing_period`, MAX(`import_run_id`), '', COUNT(*), MIN(`currency`),
  SUM(`billed_nanos`), 0, 0, SUM(`effective_nanos`), 0, 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM `cost_line` GROUP BY `source_id`, `billing_account_id`, `billing_period`;
--> statement-breakpoint
INSERT INTO `cost_rollup_daily` (`day`, `import_run_id`, `source_id`, `billing_period`, `provider`, `billing_account_id`, `sub_account_id`,
  `service_name`, `service_category`, `region`, `charge_category`, `currency`, `billed_nanos`, `billed_atto`, `billed_ronto`,
  `effective_nanos`, `effective_atto`, `effective_ronto`, `line_count`)
SELECT `charge_day`, `import_run_id`, `source_id`, `billing_period`, `provider`, `billing_account_id`, COALESCE(`sub_account_id`, ''),
  `service_name`, COALESCE(`service_category`, ''), COALESCE(`region`, ''), `charge_category`, `currency`, SUM(`billed_nanos`), 0, 0,
  SUM(`effective_nanos`), 0, 0, COUNT(*)
FROM `cost_line` GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12;
--> statement-breakpoint
INSERT INTO `cost_rollup_monthly` (`month`, `import_run_id`, `source_id`, `billing_period`, `provider`, `billing_account_id`, `sub_account_id`,
  `service_name`, `service_category`, `region`, `charge_category`, `currency`, `billed_nanos`, `billed_atto`, `billed_ronto`,
  `effective_nanos`, `effective_atto`, `effective_ronto`, `line_count`)
SELECT substr(`day`, 1, 7), `import_run_id`, `source_id`, `billing_period`, `provider`, `billing_account_id`, `sub_account_id`,
  `service_name`, `service_category`, `region`, `charge_category`, `currency`, SUM(`billed_nanos`), 0, 0,
  SUM(`effective_nanos`), 0, 0, SUM(`line_count`)
FROM `cost_rollup_daily` GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12;
