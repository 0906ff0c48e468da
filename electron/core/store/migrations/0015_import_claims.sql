CREATE TABLE `import_claim` (
	`source_id` text NOT NULL,
	`billing_account_id` text NOT NULL,
	`billing_period` text NOT NULL,
	`import_run_id` text NOT NULL,
	`claimed_at` text NOT NULL,
	PRIMARY KEY(`source_id`, `billing_account_id`, `billing_period`),
	FOREIGN KEY (`import_run_id`) REFERENCES `import_run`(`id`) ON UPDATE no action ON DELETE no action
);
