-- Receipts mark the Page's messages up to a watermark as delivered or read (ConversationRepository.MARK_OUTBOUND).
-- Through ix_message_transcript such an update read every message of the conversation before the watermark, so each
-- receipt cost more the longer the conversation (the benchmark's soak: a quarter of the hub's CPU after 20 minutes);
-- through this index it visits only the messages still SENT, or DELIVERED.
create index ix_message_status on message (conversation_id, status, sent_at);
