CREATE TABLE `cost_cube_monthly` (
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
	`line_count` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cost_cube_monthly_key_idx` ON `cost_cube_monthly` (`month`,`provider`,`service_name`,`service_category`,`region`,`charge_category`,`currency`);--> statement-breakpoint
-- Fill the cube from the current snapshots' monthly rollups.
INSERT INTO `cost_cube_monthly` (`month`, `provider`, `service_name`, `service_category`, `region`, `charge_category`, `currency`,
  `billed_units`, `billed_nanos`, `billed_atto`, `billed_ronto`, `effective_units`, `effective_nanos`, `effective_atto`,
  `effective_ronto`, `line_count`)
SELECT r.`month`, r.`provider`, r.`service_name`, r.`service_category`, r.`region`, r.`charge_category`, r.`currency`,
  SUM(r.`billed_units`), SUM(r.`billed_nanos`), SUM(r.`billed_atto`), SUM(r.`billed_ronto`), SUM(r.`effective_units`),
  SUM(r.`effective_nanos`), SUM(r.`effective_atto`), SUM(r.`effective_ronto`), SUM(r.`line_count`)
FROM `cost_rollup_monthly` r
JOIN `cost_snapshot` s ON s.`source_id` = r.`source_id` AND s.`billing_account_id` = r.`billing_account_id`
  AND s.`billing_period` = r.`billing_period` AND s.`import_run_id` = r.`import_run_id`
GROUP BY 1, 2, 3, 4, 5, 6, 7;
