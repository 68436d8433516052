ALTER TABLE debt_help_trajectories DROP COLUMN ruling_date;
