PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_cost_cube_monthly` (
	`month` text NOT NULL,
	`provider` text NOT NULL,
	`service_name` text NOT NULL,
	`service_category` text NOT NULL,
	`region` text NOT NULL,
	`charge_category` text NOT NULL,
	`currency` text NOT NULL,
	`billed_units` integer NOT NULL,
	`billed_nanos` integer NOT NULL,
	`billed_atto` integer NOT NULL,
	`billed_ronto` integer NOT NULL,
	`effective_units` integer NOT NULL,
	`effective_nanos` integer NOT NULL,
	`effective_atto` integer NOT NULL,
	`effective_ronto` integer NOT NULL,
	`line_count` integer NOT NULL,
	PRIMARY KEY(`service_name`, `month`, `currency`, `provider`, `service_category`, `region`, `charge_category`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_cost_cube_monthly`("month", "provider", "service_name", "service_category", "region", "charge_category", "currency", "billed_units", "billed_nanos", "billed_atto", "billed_ronto", "effective_units", "effective_nanos", "effective_atto", "effective_ronto", "line_count") SELECT "month", "provider", "service_name", "service_category", "region", "charge_category", "currency", "billed_units", "billed_nanos", "billed_atto", "billed_ronto", "effective_units", "effective_nanos", "effective_atto", "effective_ronto", "line_count" FROM `cost_cube_monthly`;--> statement-breakpoint
DROP TABLE `cost_cube_monthly`;--> statement-breakpoint
ALTER TABLE `__new_cost_cube_monthly` RENAME TO `cost_cube_monthly`;--> statement-breakpoint
PRAGMA foreign_keys=ON;