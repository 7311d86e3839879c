-- Receipts mark the Page's messages up to a watermark as delivered or read (ConversationRepository.MARK_OUTBOUND).
-- Without this index such an update read every message of the conversation (on H2 through the foreign key's index on
-- conversation_id), so each receipt cost more the longer the conversation: in the benchmark's 20-minute soak, a
-- quarter of the hub's CPU by the end. With it a receipt visits only the messages still SENT, or DELIVERED.
create index ix_message_status on message (conversation_id, status, sent_at);
