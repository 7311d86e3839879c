package io.messengerhub.intake;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.messengerhub.attachment.CustomerAttachments;
import io.messengerhub.channel.Channels;
import io.messengerhub.conversation.ConversationRepository.NewMessage;
import io.messengerhub.conversation.TranscriptMessage.Direction;
import io.messengerhub.customer.CustomerSnapshot;
import io.messengerhub.customer.EnrichmentRetries;
import io.messengerhub.customer.LookedUpCustomer;
import io.messengerhub.event.Attachment;
import io.messengerhub.event.EventJournal;
import io.messengerhub.event.FacebookEvent.Delivery;
import io.messengerhub.event.FacebookEvent.MessageEcho;
import io.messengerhub.event.FacebookEvent.MessageReceived;
import io.messengerhub.event.FacebookEvent.Postback;
import io.messengerhub.event.FacebookEvent.Reaction;
import io.messengerhub.event.FacebookEvent.Read;
import io.messengerhub.event.FacebookEvent;
import io.messengerhub.event.FacebookEventParser;
import io.messengerhub.outbox.DomainEvents;
import io.messengerhub.overflow.Overflow;
import io.messengerhub.privacy.Consents;
import io.messengerhub.privacy.Disclosures;
import io.messengerhub.routing.QueueRouter;
import io.messengerhub.sentiment.ConversationSentiment;
import io.messengerhub.sentiment.MessageSentiment;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationState;
import io.messengerhub.conversation.ConversationTransition;
import io.messengerhub.conversation.MessageStatusChanged;
import io.messengerhub.conversation.ConversationOffer;
import io.messengerhub.conversation.ConversationOpened;
import io.messengerhub.conversation.PageMessage;
import io.messengerhub.conversation.StoredMood;
import io.messengerhub.conversation.CustomerMessage;
import io.messengerhub.conversation.CustomersConversation;

/**
 * Records the typed events of a webhook in one database transaction: de-duplicates each, keeps it in the event
 * journal, opens the customer's conversation on the first message, appends the transcript and applies receipts. What
 * follows from them is recorded as domain events in the same transaction (routes/events.camel.yaml says where each
 * goes), so a webhook costs one commit and one outbox send. What is not part of the database (counters, log lines)
 * happens once the transaction has committed.
 */
@Component("conversationRecorder")
public class ConversationRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationRecorder.class);

    private final EventJournal journal;
    private final ConversationRepository conversations;
    private final QueueRouter router;
    private final Channels channels;
    private final DomainEvents events;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock;
    private final EnrichmentRetries enrichmentRetries;
    private final CustomerAttachments customerAttachments;
    private final Disclosures disclosures;
    private final ConversationSentiment sentiment;
    private final FacebookEventParser parser;
    private final Overflow overflow;
    private final Consents consents;

    public ConversationRecorder(EventJournal journal, ConversationRepository conversations, QueueRouter router,
                                Channels channels, DomainEvents events, TransactionTemplate transaction,
                                ObjectMapper json, MeterRegistry meters, Clock clock, EnrichmentRetries enrichmentRetries,
                                CustomerAttachments customerAttachments, Disclosures disclosures,
                                ConversationSentiment sentiment, FacebookEventParser parser, Overflow overflow,
                                Consents consents) {
        this.journal = journal;
        this.conversations = conversations;
        this.router = router;
        this.channels = channels;
        this.events = events;
        this.transaction = transaction;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
        this.enrichmentRetries = enrichmentRetries;
        this.customerAttachments = customerAttachments;
        this.disclosures = disclosures;
        this.sentiment = sentiment;
        this.parser = parser;
        this.overflow = overflow;
        this.consents = consents;
    }

    /**
     * The customers of a webhook who would open a conversation (they write, and have none open with the Page), one
     * event each, however many they wrote: they are looked up before the webhook is recorded, once.
     */
    public List<FacebookEvent> customersToLookUp(List<FacebookEvent> events) {
        return customersToLookUp(events, null);
    }

    /**
     * As {@link #customersToLookUp(List)}, without the customers {@code lookedUpBefore} already has (and without
     * asking the database whether they have a conversation open): a webhook recorded on its own after its batch
     * failed reuses what the batch's lookup found (null: nothing was looked up before).
     */
    public List<FacebookEvent> customersToLookUp(List<FacebookEvent> events, List<LookedUpCustomer> lookedUpBefore) {
        var seen = new HashSet<String>();
        var toLookUp = new ArrayList<FacebookEvent>();
        for (FacebookEvent event : events) {
            var context = event.context();
            boolean customerWrites = event instanceof MessageReceived || event instanceof Postback;
            if (customerWrites && seen.add(customerKey(context))
                    && (lookedUpBefore == null || lookedUpFor(event, lookedUpBefore).isEmpty())
                    && !conversations.hasOpen(context.pageId(), context.customerPsid())) {
                toLookUp.add(event);
            }
        }
        return toLookUp;
    }

    /** As {@link #recordAll(List, List)}, with what was found now and what was found before for these events. */
    public void recordAll(List<FacebookEvent> events, List<LookedUpCustomer> lookedUp, List<LookedUpCustomer> lookedUpBefore) {
        if (lookedUpBefore == null || lookedUpBefore.isEmpty()) {
            recordAll(events, lookedUp);
            return;
        }
        var all = new ArrayList<>(lookedUp);
        all.addAll(lookedUpBefore);
        recordAll(events, all);
    }

    /**
     * Records the events of one webhook in one transaction; {@code lookedUp} is what enrichment found for the
     * customers who open a conversation. When that transaction fails, the events are recorded again one by one, each
     * in a transaction of its own, as {@link #record} does: an event that cannot be recorded then costs only itself,
     * the events before it are kept and its failure is thrown.
     */
    public void recordAll(List<FacebookEvent> events, List<LookedUpCustomer> lookedUp) {
        if (events.size() > 1) {
            try {
                recordInOneTransaction(events, lookedUp);
                return;
            } catch (RuntimeException failed) {
                LOG.debug("The {} events of a webhook are recorded one by one after: {}", events.size(), failed.toString());
            }
        }
        for (FacebookEvent event : events) {
            record(event, customerOf(event, lookedUp));
        }
    }

    /**
     * Records the events of several stored webhooks in one transaction, as {@link #recordAll} records one webhook's:
     * one commit for all of them. Returns whether it did. When that transaction fails (a webhook that cannot be read
     * or recorded, a re-sent event, a database error) nothing of it is kept, and the caller records the webhooks
     * again one by one, each with its own attempts and dead-letter.
     */
    public boolean recordTogether(WebhookBatch batch, List<LookedUpCustomer> lookedUp) {
        if (!batch.readable()) {
            return false;
        }
        try {
            recordInOneTransaction(batch.events(), lookedUp);
            return true;
        } catch (RuntimeException failed) {
            LOG.debug("The {} webhooks of a batch are recorded one by one after: {}", batch.webhooks().size(), failed.toString());
            return false;
        }
    }

    /** Records these events in one transaction, or nothing of them when it fails. */
    private void recordInOneTransaction(List<FacebookEvent> events, List<LookedUpCustomer> lookedUp) {
        transaction.executeWithoutResult(status -> {
            var found = new OpenConversations();
            events.forEach(event -> recordOnce(event, customerOf(event, lookedUp), found));
        });
    }

    private static CustomerSnapshot customerOf(FacebookEvent event, List<LookedUpCustomer> lookedUp) {
        return lookedUpFor(event, lookedUp).map(LookedUpCustomer::snapshot).orElse(null);
    }

    /** What the lookups found for the event's customer, if they looked them up. */
    private static Optional<LookedUpCustomer> lookedUpFor(FacebookEvent event, List<LookedUpCustomer> lookedUp) {
        var context = event.context();
        return lookedUp.stream().filter(customer -> customer.isOf(context.pageId(), context.customerPsid())).findFirst();
    }

    /**
     * Records the event in a transaction of its own; {@code customer} is what enrichment found, used if the event
     * opens a conversation (null when it was not looked up).
     */
    public void record(FacebookEvent event, CustomerSnapshot customer) {
        try {
            recordInTransaction(event, customer);
        } catch (DuplicateKeyException recordedBefore) {
            // The event was recorded before (Facebook sent it again, or another consumer committed it a moment
            // earlier), or another consumer opened this customer's conversation a moment earlier. The first is a
            // duplicate; after the second, this event belongs to that conversation.
            if (journal.contains(event)) {
                duplicate(event);
                return;
            }
            recordInTransaction(event, customer);
        }
    }

    private void recordInTransaction(FacebookEvent event, CustomerSnapshot customer) {
        transaction.executeWithoutResult(status -> recordOnce(event, customer, new OpenConversations()));
    }

    /**
     * The customers' open conversations as the events of one transaction found or opened them, for the receipts
     * among those events: a webhook carrying a customer's message and its delivery and read receipts reads the
     * conversation once. A receipt takes only its id and holder, which none of the webhook's events changes.
     */
    private final class OpenConversations {

        private final Map<String, Optional<Conversation>> byCustomer = new HashMap<>();

        Optional<Conversation> of(FacebookEvent.Context context) {
            return byCustomer.computeIfAbsent(customerKey(context), key -> conversations.findOpen(context.pageId(), context.customerPsid()));
        }

        void found(FacebookEvent.Context context, Conversation conversation) {
            byCustomer.put(customerKey(context), Optional.of(conversation));
        }
    }

    /** The customer of an event as one key: a customer is a PSID of one Page. */
    private static String customerKey(FacebookEvent.Context context) {
        return context.pageId() + " " + context.customerPsid();
    }

    private void recordOnce(FacebookEvent event, CustomerSnapshot customer, OpenConversations found) {
        if (event instanceof FacebookEvent.Refused refused) {
            keepAside(refused);
            return;
        }
        if (isReSentReceipt(event)) {
            afterCommit(() -> duplicate(event));
            return;
        }
        afterCommit(() -> meters.counter("hub.events.processed", "kind", event.kind()).increment());
        // Java 17 has no pattern matching in switch yet; the chain reads the same way.
        if (event instanceof MessageReceived message) {
            customerWrote(message, customer, message.mid(), message.text(), message.quickReplyPayload(),
                    message.replyToMid(), message.attachments(), found);
        } else if (event instanceof Postback postback) {
            customerWrote(postback, customer, postback.mid(), postback.title(), postback.payload(), null, List.of(), found);
        } else if (event instanceof MessageEcho echo) {
            pageWrote(echo);
        } else if (event instanceof Reaction reaction) {
            customerReacted(reaction);
        } else if (event instanceof Delivery delivery) {
            receipt(delivery, delivery.watermark(), "DELIVERED", found);
        } else if (event instanceof Read read) {
            receipt(read, read.watermark(), "READ", found);
        } else {
            keepOnly(event);
        }
    }

    /**
     * Keeps an event that cannot be recorded aside: on the webhook dead-letter queue, as a webhook holding just this
     * item, with its reason. It goes through the outbox, never inside the broker transaction of the webhook being
     * processed, and with a duplicate id made from the item, so it is kept once however often Facebook sends it.
     */
    private void keepAside(FacebookEvent.Refused event) {
        String webhook = parser.asWebhook(event);
        events.record(new WebhookItemRefused(parser.refusalId(event), webhook, "event refused: " + event.reason()));
        afterCommit(() -> {
            meters.counter("hub.events.refused").increment();
            LOG.warn("Refused a webhook event of page {} ({}), kept on the dead-letter queue; the webhook's other events are recorded: {}",
                    event.context().pageId(), event.reason(), abbreviate(event.context().raw()));
        });
    }

    /** Counters and log lines tell what was recorded: a transaction rolled back (and tried again) recorded nothing. */
    private static void afterCommit(Runnable action) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }

    private void duplicate(FacebookEvent event) {
        meters.counter("hub.events.duplicates", "kind", event.kind()).increment();
        LOG.debug("Dropped a re-sent {} event of page {}", event.kind(), event.context().pageId());
    }

    /**
     * Whether the event is a receipt recorded before: a receipt is new when its watermark rises, and the check raises
     * it, in the event's transaction, so a rollback undoes both. Every other event is taken as new: if it is not, the
     * journal's unique identity refuses it ({@link EventJournal#record}), its transaction rolls back with whatever it
     * wrote, and {@link #record} tells the duplicate from a race on a new conversation. Re-sent events are rare
     * (Facebook's retries, a redelivery after a crash); asking the journal first cost every event a query.
     */
    private boolean isReSentReceipt(FacebookEvent event) {
        if (event instanceof Delivery delivery) {
            return !watermarkRises(delivery, delivery.watermark());
        }
        if (event instanceof Read read) {
            return !watermarkRises(read, read.watermark());
        }
        return false;
    }

    /** Raises the customer's watermark of this kind when the receipt's is higher: the receipt's first statement. */
    private boolean watermarkRises(FacebookEvent receipt, long watermark) {
        var context = receipt.context();
        return journal.raiseWatermark(context.pageId(), context.customerPsid(), receipt.kind(), watermark);
    }

    private void customerWrote(FacebookEvent event, CustomerSnapshot customer, String mid, String text, String quickReplyPayload,
                               String replyToMid, List<Attachment> attachments, OpenConversations found) {
        var context = event.context();
        // Read afresh, not taken from the events before: their messages may have moved it (Waiting to Active).
        Optional<CustomersConversation> open = conversations.findOpenWithMood(context.pageId(), context.customerPsid());
        Conversation conversation = open.map(CustomersConversation::conversation).orElseGet(() -> openConversation(context, text,
                customer != null ? customer : CustomerSnapshot.unknown("customer not looked up before the conversation opened")));
        StoredMood before = open.map(CustomersConversation::mood).orElse(null);
        found.found(context, conversation);
        long eventId = journal.record(event, conversation.id());
        var scored = sentiment.score(conversation, text);
        // Files are queued for download first: the transcript names them by attachment id, never by their CDN link,
        // so nobody gets a link to a file the hub has not checked.
        List<String> fileIds = customerAttachments.queue(conversation, mid, attachments);
        var entry = new NewMessage(conversation.id(), eventId, Direction.IN, event.kind(), mid, text, quickReplyPayload,
                replyToMid, attachmentsJson(attachments, fileIds), context.occurredAt(), clock.instant(), "RECEIVED",
                scored.map(MessageSentiment::compound).orElse(null));
        long sequence = conversations.append(entry);
        // Scored in the statements the message needs anyway: the insert above and this update, which keeps the last
        // scores in the conversation's row. Written meanwhile by another transaction (not in the order of one
        // customer's message group), the mood is built again from the transcript.
        var mood = scored.map(message -> sentiment.mood(conversation, message, sequence, context.occurredAt(), before));
        boolean written = conversations.customerWrote(conversation.id(), context.occurredAt(),
                mood.map(ConversationSentiment.Mood::stored).orElse(null), before);
        if (!written && scored.isPresent()) {
            mood = Optional.of(sentiment.moodFromTranscript(conversation, scored.get()));
            conversations.customerWrote(conversation.id(), context.occurredAt(), mood.get().stored(), null);
        }
        if (open.isPresent()) {
            customerWroteAgain(conversation, entry, sequence);
        }
        mood.ifPresent(m -> sentiment.notices(conversation, sequence, m));
        if (open.isEmpty()) {
            disclosures.forNewConversation(conversation);
        }
        // The customer's answer to the recording disclosure, when this is one (a quick reply's payload).
        consents.answered(conversation, quickReplyPayload, context.occurredAt());
        if (open.isEmpty()) {
            // Outside its queue's hours or with nobody there: the automatic answer, and maybe another queue.
            Conversation queued = overflow.atOpening(conversation);
            Instant now = clock.instant();
            var offer = ConversationOffer.forQueue(queued, channels, now, conversations.transcriptMessage(entry, sequence),
                    conversations.consent(conversation.id()));
            events.record(new ConversationOpened(queued, offer, now));
        }
    }

    private Conversation openConversation(FacebookEvent.Context context, String firstText, CustomerSnapshot customer) {
        String queue = router.queueFor(new QueueRouter.Subject(context.pageId(), firstText, customer.customer().locale()));
        Instant now = clock.instant();
        var conversation = new Conversation(UUID.randomUUID().toString(), context.pageId(), context.customerPsid(),
                ConversationState.OPEN, queue, now, context.occurredAt(), context.occurredAt(), null,
                customer.customer().contactId(), customer.customer(), !customer.complete(), null);
        conversations.insertOpen(conversation);
        if (!customer.complete()) {
            enrichmentRetries.schedule(conversation.id(), String.join("; ", customer.gaps()));
        }
        afterCommit(() -> LOG.info("Opened conversation {} of page {} in queue '{}'", conversation.id(), context.pageId(), queue));
        return conversation;
    }

    private void pageWrote(MessageEcho echo) {
        var context = echo.context();
        Optional<Conversation> open = conversations.findOpen(context.pageId(), context.customerPsid());
        long eventId = journal.record(echo, open.map(Conversation::id).orElse(null));
        if (open.isEmpty()) {
            LOG.info("Kept an echo for customer {} of page {} who has no open conversation", context.customerPsid(), context.pageId());
            return;
        }
        Conversation conversation = open.get();
        if (echo.mid() != null && conversations.hasMessage(conversation.id(), echo.mid())) {
            // The echo of a message this hub sent: already in the transcript.
            return;
        }
        var entry = new NewMessage(conversation.id(), eventId, Direction.OUT, "message", echo.mid(), echo.text(),
                null, null, attachmentsJson(echo.attachments()), context.occurredAt(), clock.instant(), "SENT");
        long sequence = conversations.append(entry);
        conversations.pageWrote(conversation.id(), context.occurredAt());
        events.record(new PageMessage(conversation, conversations.transcriptMessage(entry, sequence), clock.instant()));
    }

    private void customerReacted(Reaction reaction) {
        var context = reaction.context();
        Optional<Conversation> open = conversations.findOpen(context.pageId(), context.customerPsid());
        long eventId = journal.record(reaction, open.map(Conversation::id).orElse(null));
        open.ifPresent(conversation -> conversations.append(new NewMessage(conversation.id(), eventId, Direction.IN,
                "reaction", null, reaction.emoji() != null ? reaction.emoji() : reaction.reaction(), null,
                reaction.mid(), null, context.occurredAt(), clock.instant(), "RECEIVED")));
    }

    private void receipt(FacebookEvent receipt, long watermark, String status, OpenConversations found) {
        var context = receipt.context();
        Optional<Conversation> open = found.of(context);
        journal.record(receipt, open.map(Conversation::id).orElse(null));
        if (open.isPresent() && conversations.markOutbound(open.get().id(), Instant.ofEpochMilli(watermark), status) > 0) {
            events.record(new MessageStatusChanged(open.get().id(), open.get().agentId(), status, Instant.ofEpochMilli(watermark),
                    clock.instant()));
        }
    }

    private void keepOnly(FacebookEvent event) {
        var context = event.context();
        Optional<Conversation> open = context.customerPsid() == null ? Optional.empty()
                : conversations.findOpen(context.pageId(), context.customerPsid());
        journal.record(event, open.map(Conversation::id).orElse(null));
        if (event instanceof FacebookEvent.Unknown unknown) {
            LOG.warn("Kept an unknown webhook event '{}' of page {}: {}", unknown.type(), context.pageId(), abbreviate(context.raw()));
        }
    }

    /** A customer writing to a Waiting conversation brings it back to Active. */
    private void customerWroteAgain(Conversation conversation, NewMessage entry, long sequence) {
        if (conversation.agentId() != null && conversation.state() == ConversationState.WAITING) {
            conversations.move(conversation.id(), ConversationTransition.CUSTOMER_WRITES,
                    conversation.agentId(), null, clock.instant());
        }
        events.record(new CustomerMessage(conversation, conversations.transcriptMessage(entry, sequence), clock.instant()));
    }

    private String attachmentsJson(List<Attachment> attachments) {
        return attachmentsJson(attachments, List.of());
    }

    /**
     * The attachments as the transcript keeps them. A customer's file ({@code fileIds} has its id at its position)
     * is named by its attachment id, without the CDN link; everything else (locations, shared links, the Page's own
     * files in echoes) as Facebook sent it.
     */
    private String attachmentsJson(List<Attachment> attachments, List<String> fileIds) {
        if (attachments.isEmpty()) {
            return null;
        }
        ArrayNode array = json.createArrayNode();
        for (int i = 0; i < attachments.size(); i++) {
            Attachment attachment = attachments.get(i);
            String fileId = i < fileIds.size() ? fileIds.get(i) : null;
            var node = array.addObject();
            node.put("type", attachment.type());
            JsonNode payload = attachment.payload() == null ? json.nullNode() : parse(attachment.payload());
            if (fileId != null) {
                node.put("attachmentId", fileId);
                if (payload instanceof ObjectNode object) {
                    object.remove("url");
                }
            } else {
                node.put("url", attachment.url());
            }
            node.put("title", attachment.title());
            node.set("payload", payload);
        }
        return array.toString();
    }

    private JsonNode parse(String storedJson) {
        try {
            return storedJson == null ? json.createArrayNode() : json.readTree(storedJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("attachment JSON written by this hub does not parse", e);
        }
    }

    private static String abbreviate(String raw) {
        return raw.length() > 500 ? raw.substring(0, 500) + "..." : raw;
    }
}
