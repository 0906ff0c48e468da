-- Lines and the daily rollup keyed in the order exports are written (by run, period and day), so a bulk
-- import appends instead of inserting in one place per billing account (schema.ts says what it cost).
DROP INDEX `cost_line_scope_idx`;--> statement-breakpoint
CREATE INDEX `cost_line_run_period_idx` ON `cost_line` (`import_run_id`,`source_id`,`billing_period`,`charge_day`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_cost_rollup_daily` (
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
	`line_count` integer NOT NULL,
	`billed_units` integer DEFAULT 0 NOT NULL,
	`effective_units` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`import_run_id`, `source_id`, `billing_period`, `day`, `billing_account_id`, `provider`, `sub_account_id`, `service_name`, `service_category`, `region`, `charge_category`, `currency`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Same rows in the order a bulk import writes them: by run and period, then day (see schema.ts).
INSERT INTO `__new_cost_rollup_daily`("day", "import_run_id", "source_id", "billing_period", "provider", "billing_account_id", "sub_account_id", "service_name", "service_category", "region", "charge_category", "currency", "billed_nanos", "billed_atto", "billed_ronto", "effective_nanos", "effective_atto", "effective_ronto", "line_count", "billed_units", "effective_units") SELECT "day", "import_run_id", "source_id", "billing_period", "provider", "billing_account_id", "sub_account_id", "service_name", "service_category", "region", "charge_category", "currency", "billed_nanos", "billed_atto", "billed_ronto", "effective_nanos", "effective_atto", "effective_ronto", "line_count", "billed_units", "effective_units" FROM `cost_rollup_daily`;--> statement-breakpoint
DROP TABLE `cost_rollup_daily`;--> statement-breakpoint
ALTER TABLE `__new_cost_rollup_daily` RENAME TO `cost_rollup_daily`;--> statement-breakpoint
PRAGMA foreign_keys=ON;