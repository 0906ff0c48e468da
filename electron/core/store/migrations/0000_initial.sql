CREATE TABLE `cost_daily` (
	`day` text NOT NULL,
	`provider` text NOT NULL,
	`billing_account_id` text NOT NULL,
	`sub_account_id` text DEFAULT '' NOT NULL,
	`service_name` text NOT NULL,
	`region` text DEFAULT '' NOT NULL,
	`charge_category` text NOT NULL,
	`currency` text NOT NULL,
	`billed_nanos` integer NOT NULL,
	`effective_nanos` integer NOT NULL,
	`line_count` integer NOT NULL,
	PRIMARY KEY(`day`, `provider`, `billing_account_id`, `sub_account_id`, `service_name`, `region`, `charge_category`, `currency`)
);
--> statement-breakpoint
CREATE INDEX `cost_daily_service_day_idx` ON `cost_daily` (`service_name`,`day`);--> statement-breakpoint
CREATE TABLE `cost_line` (
	`id` integer PRIMARY KEY NOT NULL,
	`import_run_id` text NOT NULL,
	`source_id` text NOT NULL,
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
	FOREIGN KEY (`import_run_id`) REFERENCES `import_run`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`source_id`) REFERENCES `cost_source`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cost_line_day_idx` ON `cost_line` (`charge_day`);--> statement-breakpoint
CREATE INDEX `cost_line_run_idx` ON `cost_line` (`import_run_id`);--> statement-breakpoint
CREATE INDEX `cost_line_account_period_idx` ON `cost_line` (`source_id`,`billing_account_id`,`billing_period`);--> statement-breakpoint
CREATE TABLE `cost_source` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cost_source_name_unique` ON `cost_source` (`name`);--> statement-breakpoint
CREATE TABLE `import_run` (
	`id` text PRIMARY KEY NOT NULL,
	`source_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`rows_read` integer DEFAULT 0 NOT NULL,
	`summary` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `cost_source`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `import_run_source_idx` ON `import_run` (`source_id`);--> statement-breakpoint
CREATE TABLE `setting` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `setting_key_unique` ON `setting` (`key`);--> statement-breakpoint
CREATE TABLE `workspace_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
