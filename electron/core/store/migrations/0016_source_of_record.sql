CREATE TABLE `source_of_record` (
	`billing_account_id` text NOT NULL,
	`billing_period` text NOT NULL,
	`source_id` text NOT NULL,
	`chosen` text NOT NULL,
	`chosen_at` text NOT NULL,
	PRIMARY KEY(`billing_account_id`, `billing_period`),
	FOREIGN KEY (`source_id`) REFERENCES `cost_source`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `cost_snapshot` ADD `counted` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- Each billing account and period some source holds gets a source of record: the source created first
-- (the one imported first), as if it had been published under these rules.
INSERT INTO `source_of_record` (`billing_account_id`, `billing_period`, `source_id`, `chosen`, `chosen_at`)
SELECT s.`billing_account_id`, s.`billing_period`, s.`source_id`, 'first', s.`updated_at`
FROM `cost_snapshot` s JOIN `cost_source` src ON src.`id` = s.`source_id`
WHERE NOT EXISTS (
  SELECT 1 FROM `cost_snapshot` s2 JOIN `cost_source` src2 ON src2.`id` = s2.`source_id`
  WHERE s2.`billing_account_id` = s.`billing_account_id` AND s2.`billing_period` = s.`billing_period`
    AND (src2.`created_at` < src.`created_at` OR (src2.`created_at` = src.`created_at` AND src2.`id` < src.`id`))
);--> statement-breakpoint
UPDATE `cost_snapshot` SET `counted` = (`source_id` = (
  SELECT r.`source_id` FROM `source_of_record` r
  WHERE r.`billing_account_id` = `cost_snapshot`.`billing_account_id` AND r.`billing_period` = `cost_snapshot`.`billing_period`
));--> statement-breakpoint
-- The cube holds counted snapshots only: a second source of the same account and period was added to it.
DELETE FROM `cost_cube_monthly`;--> statement-breakpoint
INSERT INTO `cost_cube_monthly` (`month`, `provider`, `service_name`, `service_category`, `region`, `charge_category`, `currency`,
  `billed_units`, `billed_nanos`, `billed_atto`, `billed_ronto`, `effective_units`, `effective_nanos`, `effective_atto`,
  `effective_ronto`, `line_count`)
SELECT r.`month`, r.`provider`, r.`service_name`, r.`service_category`, r.`region`, r.`charge_category`, r.`currency`,
  SUM(r.`billed_units`), SUM(r.`billed_nanos`), SUM(r.`billed_atto`), SUM(r.`billed_ronto`), SUM(r.`effective_units`),
  SUM(r.`effective_nanos`), SUM(r.`effective_atto`), SUM(r.`effective_ronto`), SUM(r.`line_count`)
FROM `cost_rollup_monthly` r JOIN `cost_snapshot` s ON s.`source_id` = r.`source_id`
  AND s.`billing_account_id` = r.`billing_account_id` AND s.`billing_period` = r.`billing_period`
  AND s.`import_run_id` = r.`import_run_id` AND s.`counted` = 1
GROUP BY 1, 2, 3, 4, 5, 6, 7;
