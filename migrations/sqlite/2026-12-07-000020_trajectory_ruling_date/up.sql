-- The day the court declared the wettelijke schuldsanering (Wsnp) applicable, as the counsellor
-- recorded it: the attachments laid before it lapsed on that day (art. 301 lid 3
-- Faillissementswet). Empty for other phases and when the counsellor did not give it.
ALTER TABLE debt_help_trajectories ADD COLUMN ruling_date DATE;
