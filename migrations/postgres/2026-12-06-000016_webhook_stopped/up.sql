-- When a subscription's endpoint answered 410 Gone (Standard Webhooks: stop sending to it);
-- the relay skips stopped subscriptions.
ALTER TABLE webhook_subscriptions ADD COLUMN stopped_at TIMESTAMP;
