ALTER TABLE webhook_subscriptions DROP COLUMN stopped_at;
