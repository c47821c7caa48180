"""Partner webhooks: events within a partner grant's scope, POSTed to the URL an admin set on the grant,
signed, retried with backoff, every attempt logged on its delivery.

Flow: `outbox.drain_events` turns each new `Event` (the outbox, `webhooks_done: False`) into one
`WebhookDelivery` per active grant whose scope covers it (unique per grant and event, so a replay adds
nothing), then marks the event done; `delivery.attempt_due` POSTs the deliveries that are due. Both run in the
periodic `pantau.deliver_webhooks` task; `delivery.redeliver` is an admin's manual attempt.

Threat model of the signing secrets. Each grant's secret is HMAC(webhook key, grant id + a random nonce):
only the nonce is stored, on the grant; the key (`PANTAU_WEBHOOK_SIGNING_KEY`, else the JWT secret) lives in
the environment of the app and the workers. The secret is shown once, in the mutation that sets the webhook,
and no query exposes it or the nonce. So a copy of the database (a leaked backup, a read-only injection)
does not let anyone forge deliveries that partners would accept; someone holding both the database and the
key can, as can anyone holding the key and a grant id and nonce. Changing the key changes every secret: a
delivery whose grant was set under another key fails ("set the webhook again") instead of going out with a
signature the partner cannot check. Signatures cover the timestamp, so partners can refuse replays older
than a few minutes; the delivery id (`X-Pantau-Delivery`) stays the same across attempts, so they can drop
duplicates: delivery is at least once (an attempt that dies after the partner answered is made again).

Outbound requests: only http(s); no credentials in the URL; redirects are not followed; proxies from the
environment are ignored; unless `PANTAU_WEBHOOKS_ALLOW_PRIVATE`, every address a host resolves to must be
public, checked when the URL is set and again at each attempt, and the request goes to the address that was
checked (no second lookup that DNS rebinding could answer differently).
"""
