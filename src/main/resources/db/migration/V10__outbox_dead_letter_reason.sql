-- A message the outbox sends to a dead-letter queue carries its reason as the hubDeadLetterReason property
-- (a webhook event refused on its own, kept aside once however often Facebook sends it again).
alter table outbox add column dead_letter_reason varchar(2000);
