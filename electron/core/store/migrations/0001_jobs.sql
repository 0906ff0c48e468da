CREATE TABLE `alert` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` text NOT NULL,
	`kind` text NOT NULL,
	`severity` text NOT NULL,
	`title` text NOT NULL,
	`message` text NOT NULL,
	`details` text DEFAULT '{}' NOT NULL,
	`entity_type` text,
	`entity_id` text,
	`created_at` text NOT NULL,
	`acknowledged_at` text
);
--> statement-breakpoint
CREATE INDEX `alert_kind_created_idx` ON `alert` (`kind`,`created_at`);--> statement-breakpoint
CREATE TABLE `job_attempt` (
	`id` integer PRIMARY KEY NOT NULL,
	`job_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`runner` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`outcome` text,
	`error` text,
	FOREIGN KEY (`job_id`) REFERENCES `job`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `job_attempt_job_idx` ON `job_attempt` (`job_id`);--> statement-breakpoint
CREATE INDEX `job_attempt_finished_idx` ON `job_attempt` (`finished_at`);--> statement-breakpoint
CREATE TABLE `job_schedule` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`spec` text NOT NULL,
	`enabled` integer DEFAULT 1 NOT NULL,
	`next_run_at` integer NOT NULL,
	`last_enqueued_at` integer,
	`last_job_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_schedule_name_unique` ON `job_schedule` (`name`);--> statement-breakpoint
CREATE TABLE `job` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`dedup_key` text,
	`status` text NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer NOT NULL,
	`next_run_at` integer NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`heartbeat_at` integer,
	`cancel_requested` integer DEFAULT 0 NOT NULL,
	`progress_done` integer,
	`progress_total` integer,
	`progress_unit` text,
	`progress_message` text,
	`result` text,
	`error` text,
	`schedule_id` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_dedup_active_idx` ON `job` (`dedup_key`) WHERE "job"."dedup_key" IS NOT NULL AND "job"."status" IN ('queued', 'running', 'failed');--> statement-breakpoint
CREATE INDEX `job_claim_idx` ON `job` ("priority" DESC,`next_run_at`,`id`) WHERE "job"."status" IN ('queued', 'failed');--> statement-breakpoint
CREATE INDEX `job_running_idx` ON `job` (`status`,`lease_expires_at`);--> statement-breakpoint
CREATE INDEX `job_type_status_idx` ON `job` (`type`,`status`);--> statement-breakpoint
CREATE INDEX `job_updated_idx` ON `job` (`updated_at`);