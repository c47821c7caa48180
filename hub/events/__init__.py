"""Domain events: what happened to which record of which region, kept in an outbox and handed to sinks
(live subscriptions, partner webhooks) that the composition root plugs in."""
