ALTER TABLE `cost_line` ADD `billed_units` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cost_line` ADD `effective_units` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cost_line` ADD `list_units` integer;--> statement-breakpoint
ALTER TABLE `cost_rollup_daily` ADD `billed_units` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cost_rollup_daily` ADD `effective_units` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cost_rollup_monthly` ADD `billed_units` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cost_rollup_monthly` ADD `effective_units` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cost_snapshot` ADD `billed_units` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cost_snapshot` ADD `effective_units` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Existing amounts held all their value in *_nanos; move the whole units out (floored, so the
-- fraction stays 0–999,999,999 for negative amounts too).
UPDATE `cost_line` SET `billed_units` = (`billed_nanos` - (((`billed_nanos` % 1000000000) + 1000000000) % 1000000000)) / 1000000000, `billed_nanos` = (((`billed_nanos` % 1000000000) + 1000000000) % 1000000000);
--> statement-breakpoint
UPDATE `cost_line` SET `effective_units` = (`effective_nanos` - (((`effective_nanos` % 1000000000) + 1000000000) % 1000000000)) / 1000000000, `effective_nanos` = (((`effective_nanos` % 1000000000) + 1000000000) % 1000000000);
--> statement-breakpoint
UPDATE `cost_rollup_daily` SET `billed_units` = (`billed_nanos` - (((`billed_nanos` % 1000000000) + 1000000000) % 1000000000)) / 1000000000, `billed_nanos` = (((`billed_nanos` % 1000000000) + 1000000000) % 1000000000);
--> statement-breakpoint
UPDATE `cost_rollup_daily` SET `effective_units` = (`effective_nanos` - (((`effective_nanos` % 1000000000) + 1000000000) % 1000000000)) / 1000000000, `effective_nanos` = (((`effective_nanos` % 1000000000) + 1000000000) % 1000000000);
--> statement-breakpoint
UPDATE `cost_rollup_monthly` SET `billed_units` = (`billed_nanos` - (((`billed_nanos` % 1000000000) + 1000000000) % 1000000000)) / 1000000000, `billed_nanos` = (((`billed_nanos` % 1000000000) + 1000000000) % 1000000000);
--> statement-breakpoint
UPDATE `cost_rollup_monthly` SET `effective_units` = (`effective_nanos` - (((`effective_nanos` % 1000000000) + 1000000000) % 1000000000)) / 1000000000, `effective_nanos` = (((`effective_nanos` % 1000000000) + 1000000000) % 1000000000);
--> statement-breakpoint
UPDATE `cost_snapshot` SET `billed_units` = (`billed_nanos` - (((`billed_nanos` % 1000000000) + 1000000000) % 1000000000)) / 1000000000, `billed_nanos` = (((`billed_nanos` % 1000000000) + 1000000000) % 1000000000);
--> statement-breakpoint
UPDATE `cost_snapshot` SET `effective_units` = (`effective_nanos` - (((`effective_nanos` % 1000000000) + 1000000000) % 1000000000)) / 1000000000, `effective_nanos` = (((`effective_nanos` % 1000000000) + 1000000000) % 1000000000);
--> statement-breakpoint
UPDATE `cost_line` SET `list_units` = (`list_nanos` - (((`list_nanos` % 1000000000) + 1000000000) % 1000000000)) / 1000000000, `list_nanos` = (((`list_nanos` % 1000000000) + 1000000000) % 1000000000) WHERE `list_nanos` IS NOT NULL;
