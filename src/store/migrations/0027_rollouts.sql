-- 0027: phased rollouts (src/update/rollout.c, issue 19 item 3).
--
-- A rollout offers one published release to the devices of its product
-- (optionally of one channel) in stages of growing percentages; a device
-- is in stage k when its cohort (devices.cohort, 0..9999) is below
-- stages[k] * 100. state: draft, running, paused, halted, done, rolled_back.
-- stage is the index of the current stage; stage_started_at when it began
-- (the soak clock "rollout.soak" of the deadline engine runs from there).
-- stage_window counts the starts of a stage (advance, resume after a halt):
-- the auto-halt weighs only the reports of the current window.
CREATE TABLE rollouts (
	id @ID@,
	release_id BIGINT NOT NULL REFERENCES releases (id),
	product_id BIGINT NOT NULL,
	stages TEXT NOT NULL,
	nstages BIGINT NOT NULL,
	soak BIGINT NOT NULL,
	success_min BIGINT NOT NULL,
	max_failure BIGINT NOT NULL,
	min_sample BIGINT NOT NULL,
	filter_channel TEXT,
	state TEXT NOT NULL,
	stage BIGINT NOT NULL DEFAULT 0,
	stage_started_at BIGINT NOT NULL DEFAULT 0,
	stage_window BIGINT NOT NULL DEFAULT 0,
	previous_release_id BIGINT,
	reason TEXT,
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	updated_at BIGINT NOT NULL,
	updated_by TEXT NOT NULL
);
CREATE INDEX rollouts_product ON rollouts (product_id, state);

-- One row per stage: when it started and was soaked (the deadline engine's
-- record), and when it ended.
CREATE TABLE rollout_stages (
	id @ID@,
	rollout_id BIGINT NOT NULL REFERENCES rollouts (id),
	idx BIGINT NOT NULL,
	percent BIGINT NOT NULL,
	started_at BIGINT NOT NULL DEFAULT 0,
	due_at BIGINT NOT NULL DEFAULT 0,
	soaked_at BIGINT NOT NULL DEFAULT 0,
	ended_at BIGINT NOT NULL DEFAULT 0,
	UNIQUE (rollout_id, idx)
);

-- What each device reported in a rollout: the last state, the stage it
-- was in, and the error code of a failure. Written by status reports only.
CREATE TABLE rollout_devices (
	rollout_id BIGINT NOT NULL REFERENCES rollouts (id),
	device_id TEXT NOT NULL,
	stage BIGINT NOT NULL,
	state TEXT NOT NULL,
	error_code TEXT,
	stage_window BIGINT NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (rollout_id, device_id)
);
CREATE INDEX rollout_devices_stage ON rollout_devices (rollout_id, stage, state);

-- One row: bumped by every change of a rollout's state, so every server
-- on one database sees a halt at its next look (at most every 0.5 s).
CREATE TABLE rollout_epoch (
	id BIGINT PRIMARY KEY,
	epoch BIGINT NOT NULL
);
INSERT INTO rollout_epoch (id, epoch) VALUES (1, 0);
