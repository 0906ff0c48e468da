-- Lines and daily rollup rows name their run by its number in the workspace (import_run.seq) instead of
-- carrying the run's and the source's 26-character ids (schema.ts says what that cost). Runs are numbered
-- in id order (ids are ULIDs: creation order), then lines and rollup rows are copied with their run's number.
ALTER TABLE `import_run` ADD `seq` integer;--> statement-breakpoint
UPDATE `import_run` SET `seq` = numbered.`seq`
FROM (SELECT `id`, ROW_NUMBER() OVER (ORDER BY `id`) AS `seq` FROM `import_run`) AS numbered
WHERE numbered.`id` = `import_run`.`id`;--> statement-breakpoint
CREATE UNIQUE INDEX `import_run_seq_unique` ON `import_run` (`seq`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_cost_line` (
	`id` integer PRIMARY KEY NOT NULL,
	`run_seq` integer NOT NULL,
	`provider` text NOT NULL,
	`billing_account_id` text NOT NULL,
	`billing_account_name` text,
	`sub_account_id` text,
	`sub_account_name` text,
	`service_name` text NOT NULL,
	`service_category` text,
	`region` text,
	`resource_id` text,
	`sku_id` text,
	`charge_category` text NOT NULL,
	`charge_class` text,
	`charge_day` text NOT NULL,
	`charge_period_start` text NOT NULL,
	`charge_period_end` text NOT NULL,
	`billing_period` text NOT NULL,
	`invoice_id` text,
	`currency` text NOT NULL,
	`billed_nanos` integer NOT NULL,
	`effective_nanos` integer NOT NULL,
	`list_nanos` integer,
	`pricing_quantity` text,
	`pricing_unit` text,
	`tags` text DEFAULT '{}' NOT NULL,
	`file_name` text,
	`line_number` integer,
	`ingested_at` text NOT NULL,
	`billed_atto` integer DEFAULT 0 NOT NULL,
	`billed_ronto` integer DEFAULT 0 NOT NULL,
	`effective_atto` integer DEFAULT 0 NOT NULL,
	`effective_ronto` integer DEFAULT 0 NOT NULL,
	`list_atto` integer,
	`list_ronto` integer,
	`resource_name` text,
	`charge_description` text,
	`commitment_discount_id` text,
	`commitment_discount_type` text,
	`commitment_discount_status` text,
	`line_key` integer,
	`line_hash` integer,
	`billed_units` integer DEFAULT 0 NOT NULL,
	`effective_units` integer DEFAULT 0 NOT NULL,
	`list_units` integer,
	FOREIGN KEY (`run_seq`) REFERENCES `import_run`(`seq`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_cost_line`("id", "run_seq", "provider", "billing_account_id", "billing_account_name", "sub_account_id", "sub_account_name", "service_name", "service_category", "region", "resource_id", "sku_id", "charge_category", "charge_class", "charge_day", "charge_period_start", "charge_period_end", "billing_period", "invoice_id", "currency", "billed_nanos", "effective_nanos", "list_nanos", "pricing_quantity", "pricing_unit", "tags", "file_name", "line_number", "ingested_at", "billed_atto", "billed_ronto", "effective_atto", "effective_ronto", "list_atto", "list_ronto", "resource_name", "charge_description", "commitment_discount_id", "commitment_discount_type", "commitment_discount_status", "line_key", "line_hash", "billed_units", "effective_units", "list_units") SELECT "id", (SELECT `seq` FROM `import_run` WHERE `import_run`.`id` = `cost_line`.`import_run_id`), "provider", "billing_account_id", "billing_account_name", "sub_account_id", "sub_account_name", "service_name", "service_category", "region", "resource_id", "sku_id", "charge_category", "charge_class", "charge_day", "charge_period_start", "charge_period_end", "billing_period", "invoice_id", "currency", "billed_nanos", "effective_nanos", "list_nanos", "pricing_quantity", "pricing_unit", "tags", "file_name", "line_number", "ingested_at", "billed_atto", "billed_ronto", "effective_atto", "effective_ronto", "list_atto", "list_ronto", "resource_name", "charge_description", "commitment_discount_id", "commitment_discount_type", "commitment_discount_status", "line_key", "line_hash", "billed_units", "effective_units", "list_units" FROM `cost_line`;--> statement-breakpoint
DROP TABLE `cost_line`;--> statement-breakpoint
ALTER TABLE `__new_cost_line` RENAME TO `cost_line`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `cost_line_run_period_idx` ON `cost_line` (`run_seq`,`billing_period`,`charge_day`);--> statement-breakpoint
CREATE TABLE `__new_cost_rollup_daily` (
	`day` text NOT NULL,
	`run_seq` integer NOT NULL,
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
	`line_count` integer NOT NULL,
	`billed_units` integer DEFAULT 0 NOT NULL,
	`effective_units` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`run_seq`, `billing_period`, `day`, `billing_account_id`, `provider`, `sub_account_id`, `service_name`, `service_category`, `region`, `charge_category`, `currency`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_cost_rollup_daily`("day", "run_seq", "billing_period", "provider", "billing_account_id", "sub_account_id", "service_name", "service_category", "region", "charge_category", "currency", "billed_nanos", "billed_atto", "billed_ronto", "effective_nanos", "effective_atto", "effective_ronto", "line_count", "billed_units", "effective_units") SELECT "day", (SELECT `seq` FROM `import_run` WHERE `import_run`.`id` = `cost_rollup_daily`.`import_run_id`), "billing_period", "provider", "billing_account_id", "sub_account_id", "service_name", "service_category", "region", "charge_category", "currency", "billed_nanos", "billed_atto", "billed_ronto", "effective_nanos", "effective_atto", "effective_ronto", "line_count", "billed_units", "effective_units" FROM `cost_rollup_daily`;--> statement-breakpoint
DROP TABLE `cost_rollup_daily`;--> statement-breakpoint
ALTER TABLE `__new_cost_rollup_daily` RENAME TO `cost_rollup_daily`;
