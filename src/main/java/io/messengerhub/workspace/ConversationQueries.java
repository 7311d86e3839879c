package io.messengerhub.workspace;

import java.util.List;

import io.messengerhub.api.ApiBadRequestException;
import io.messengerhub.api.ApiNotFoundException;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.conversation.TranscriptMessage;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** What the read API answers: a customer's conversations, and a conversation's transcript. */
@Component("conversationQueries")
public class ConversationQueries {

    private final ConversationRepository conversations;
    private final io.messengerhub.workspace.Notes notes;

    public ConversationQueries(ConversationRepository conversations, io.messengerhub.workspace.Notes notes) {
        this.conversations = conversations;
        this.notes = notes;
    }

    public List<java.util.Map<String, Object>> notes(@Header("id") String conversationId) {
        conversations.findById(conversationId).orElseThrow(() -> ApiNotFoundException.conversation(conversationId));
        return notes.of(conversationId);
    }

    public List<Conversation> byCustomer(@Header("psid") String psid) {
        if (psid == null || psid.isBlank()) {
            throw new ApiBadRequestException("query parameter psid is required");
        }
        return conversations.findByPsid(psid);
    }

    public List<TranscriptMessage> transcript(@Header("id") String conversationId) {
        conversations.findById(conversationId).orElseThrow(() -> ApiNotFoundException.conversation(conversationId));
        return conversations.transcript(conversationId);
    }
}
