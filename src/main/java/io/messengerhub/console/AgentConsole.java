package io.messengerhub.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.attachment.FileInspector;
import io.messengerhub.client.AgentClient;
import jakarta.jms.JMSException;

/**
 * The terminal agent console: notifications with customer information and the countdown, accept/reject,
 * several sessions and switching between them, the chat of the current conversation with message status,
 * presence, and end / wait / close / release / transfer. Plain lines in and out, so it works in any terminal,
 * under tmux, and in tests. Lines starting with {@code /} are commands; any other line is sent to the customer of
 * the current conversation.
 */
public final class AgentConsole implements AutoCloseable {

    private static final String HELP = """
            Commands (anything else you type is sent to the current customer):
              /offers                 offers waiting for you, with the seconds left
              /accept N | /reject N   take or decline offer N
              /list                   your conversations
              /switch N               make conversation N current and show its chat
              /typing                 show the customer you are typing
              /file PATH              send a file to the current customer
              /note TEXT              add a note to the current conversation (never sent to the customer)
              /quick                  list quick replies; /quick ID sends one
              /download ID            save a customer's file (ID as shown with it) in the current directory
              /kb WORDS               search knowledge articles; /share ID sends one to the current customer
              /search WORDS [psid:X contact:X agent:X page:X queue:X status:X from:DAY to:DAY]
                                      search archived transcripts; /transcript ID shows one
              /case new TITLE | /case find WORDS | /case link ID | /case resolve TEXT | /case unlink
                                      CRM cases of the current customer
              /contact search WORDS | /contact link ID | /contact unlink | /contact create
                                      the current customer's CRM contact (create: from the Facebook profile)
              /call [+NUMBER]         send a call button; /callback asks for the customer's number
              /view                   the current conversation: customer, case, sentiment, other conversations
              /view ID                another conversation of the current customer, read only (ID as /view lists it)
              /presence available|busy|dnd|away|offline
              /end | /wait | /close | /release | /transfer QUEUE   for the current conversation
              /help | /quit""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final Supplier<Instant> clock;
    private final Map<Integer, JsonNode> offers = new LinkedHashMap<>();
    private final Map<Integer, JsonNode> sessions = new LinkedHashMap<>();
    private final Map<String, String> statusByMid = new LinkedHashMap<>();
    private final Map<String, Integer> unread = new LinkedHashMap<>();
    private int nextOffer = 1;
    private int nextSession = 1;
    private String current;
    private AgentClient client;
    private String agentId;
    private String password;
    private String hubUrl = "http://127.0.0.1:8080";
    private Path downloads = Path.of(".");

    public AgentConsole(PrintWriter out, Supplier<Instant> clock) {
        this.out = out;
        this.clock = clock;
    }

    /** Logs in; from then on inbox messages are printed as they arrive. */
    public void connect(String brokerUrl, String agentId, String password) throws JMSException {
        this.agentId = agentId;
        this.password = password;
        client = AgentClient.connect(brokerUrl, agentId, password, this::onInbox);
        print("Connected as " + agentId + ". Type /help for commands. Set /presence available to get offers.");
        client.send("conversation.list", Map.of());
        client.send("presence.get", Map.of());
    }

    /** Where customers' files are fetched from (the hub's HTTP address) and saved to. */
    public AgentConsole downloadsFrom(String hubUrl, Path into) {
        this.hubUrl = hubUrl;
        this.downloads = into;
        return this;
    }

    /** Reads commands and messages until /quit or the end of input. */
    public void run(BufferedReader in) throws IOException, JMSException {
        String line;
        while ((line = in.readLine()) != null) {
            if (!handle(line.strip())) {
                return;
            }
        }
    }

    boolean handle(String line) throws JMSException {
        if (line.isEmpty()) {
            return true;
        }
        if (!line.startsWith("/")) {
            withCurrent(id -> client.sendText(id, line));
            return true;
        }
        String[] words = line.substring(1).split("\\s+", 2);
        String argument = words.length > 1 ? words[1].strip() : "";
        switch (words[0].toLowerCase(Locale.ROOT)) {
            case "help" -> print(HELP);
            case "quit", "exit" -> {
                return false;
            }
            case "offers" -> showOffers();
            case "accept" -> withOffer(argument, offer -> client.accept(offer.path("offerId").asText()));
            case "reject" -> withOffer(argument, offer -> client.reject(offer.path("offerId").asText()));
            case "list" -> client.send("conversation.list", Map.of());
            case "switch" -> switchTo(argument);
            case "typing" -> withCurrent(id -> client.send("typing", Map.of("conversationId", id, "on", true)));
            case "download" -> download(argument);
            case "note" -> withCurrent(id -> client.addNote(id, argument));
            case "quick" -> {
                if (argument.isEmpty()) {
                    client.send("quickreply.list", Map.of());
                } else {
                    withCurrent(id -> client.send("quickreply.send", Map.of("conversationId", id, "templateId", argument)));
                }
            }
            case "file" -> withCurrent(id -> {
                Path file = Path.of(argument);
                if (!Files.isReadable(file)) {
                    print("Cannot read " + argument);
                    return;
                }
                try {
                    client.sendFile(id, file);
                    print("Sending " + file.getFileName() + " ...");
                } catch (IOException e) {
                    print("Cannot read " + argument + ": " + e.getMessage());
                }
            });
            case "case" -> withCurrent(id -> caseCommand(id, argument));
            case "call" -> withCurrent(id -> client.sendCallButton(id, argument.isBlank() ? null : argument.strip()));
            case "callback" -> withCurrent(client::requestCallback);
            case "view" -> {
                if (argument.isEmpty()) {
                    withCurrent(client::openConversation);
                } else {
                    client.openConversation(argument);
                }
            }
            case "contact" -> contactCommand(argument);
            case "kb" -> client.searchKnowledge(argument);
            case "share" -> withCurrent(id -> client.shareArticle(id, argument.strip()));
            case "search" -> client.send("transcript.search", transcriptSearch(argument));
            case "transcript" -> transcript(argument);
            case "presence" -> client.setPresence(presence(argument));
            case "end", "wait", "close", "release" -> withCurrent(id -> client.conversation(words[0].toLowerCase(Locale.ROOT), id));
            case "transfer" -> withCurrent(id -> client.transfer(id, argument));
            default -> print("Unknown command " + words[0] + ". /help lists them.");
        }
        return true;
    }

    private synchronized void onInbox(JsonNode message) {
        switch (message.path("type").asText()) {
            case "conversation.offered" -> {
                int number = nextOffer++;
                offers.put(number, message);
                print("\n*** Offer " + number + " (" + message.path("queue").asText() + "): " + customer(message.path("customer"))
                        + "\n    \"" + message.path("firstMessage").path("text").asText("") + "\""
                        + "\n    /accept " + number + " or /reject " + number + " within " + secondsLeft(message) + " s");
                printOthers(message.path("otherConversations"), false);
            }
            case "offer.withdrawn" -> {
                offers.values().removeIf(offer -> offer.path("offerId").asText().equals(message.path("offerId").asText()));
                print("Offer withdrawn (" + message.path("reason").asText() + ").");
            }
            case "conversation.assigned" -> {
                JsonNode conversation = message.path("conversation");
                offers.values().removeIf(offer -> offer.path("conversationId").asText().equals(conversation.path("id").asText()));
                int number = remember(conversation);
                current = conversation.path("id").asText();
                print("\n=== Conversation " + number + " with " + customer(conversation.path("customer")) + " is yours.");
                message.path("transcript").forEach(this::printMessage);
            }
            case "message.received" -> {
                String conversationId = message.path("conversationId").asText();
                if (conversationId.equals(current)) {
                    printMessage(message.path("message"));
                } else {
                    unread.merge(conversationId, 1, Integer::sum);
                    print("(new message in conversation " + numberOf(conversationId) + ": /switch " + numberOf(conversationId) + ")");
                }
            }
            case "message.sent" -> {
                statusByMid.put(message.path("mid").asText(), "SENT");
                if (message.path("conversationId").asText().equals(current)) {
                    print("  ✓ sent");
                }
            }
            case "message.status" -> {
                if (message.path("conversationId").asText().equals(current)) {
                    print("  " + ("READ".equals(message.path("status").asText()) ? "✓✓ read" : "✓✓ delivered"));
                }
            }
            case "message.failed" -> print("  ✗ not sent: " + message.path("reason").asText());
            case "attachment.stored" -> print("  [file " + message.path("name").asText("") + ", "
                    + message.path("contentType").asText() + ", " + message.path("size").asLong() + " bytes: /download "
                    + message.path("attachmentId").asText() + "]");
            case "conversation.state-changed" -> print("Conversation " + numberOf(message.path("conversationId").asText())
                    + " is now " + message.path("state").asText() + ".");
            case "conversation.customer-updated" -> print("Customer details of conversation "
                    + numberOf(message.path("conversationId").asText()) + ": " + customer(message.path("customer")));
            case "command.result" -> onResult(message);
            default -> { }
        }
    }

    private void onResult(JsonNode result) {
        if (!result.path("ok").asBoolean()) {
            print("! " + result.path("command").asText() + ": " + result.path("reason").asText());
            return;
        }
        switch (result.path("command").asText()) {
            case "presence.set", "presence.get" -> print("Presence: " + result.path("presence").asText()
                    + " (" + result.path("used").asInt() + " of " + result.path("capacity").asInt() + " in use)");
            case "conversation.list" -> {
                // Numbers stay stable while a conversation is listed; finished ones drop out.
                var listed = new HashSet<String>();
                result.path("conversations").forEach(c -> listed.add(c.path("id").asText()));
                sessions.values().removeIf(c -> !listed.contains(c.path("id").asText()));
                if (result.path("conversations").isEmpty()) {
                    print("No conversations.");
                }
                for (JsonNode conversation : result.path("conversations")) {
                    int number = remember(conversation);
                    String id = conversation.path("id").asText();
                    print((id.equals(current) ? "> " : "  ") + number + ". " + customer(conversation.path("customer"))
                            + " [" + conversation.path("state").asText() + "]"
                            + (unread.getOrDefault(id, 0) > 0 ? " " + unread.get(id) + " new" : ""));
                }
            }
            case "conversation.open" -> {
                JsonNode conversation = result.path("conversation");
                print("=== " + (result.path("readOnly").asBoolean() ? "(read only) " : "") + customer(conversation.path("customer")) + " [" + conversation.path("state").asText() + "] queue "
                        + conversation.path("queue").asText() + ", opened " + conversation.path("openedAt").asText()
                        + (result.path("caseId").isTextual() ? ", case " + result.path("caseId").asText() : "")
                        + (result.path("sentiment").path("level").isTextual() ? ", mood " + result.path("sentiment").path("level").asText() : ""));
                printOthers(result.path("otherConversations"), !result.path("readOnly").asBoolean());
                result.path("transcript").forEach(this::printMessage);
                result.path("notes").forEach(n -> print("  [note " + n.path("agentId").asText() + "] " + n.path("text").asText()));
            }
            case "case.create", "case.link" -> print("Case " + result.path("caseId").asText() + ": "
                    + result.path("case").path("title").asText() + " [" + result.path("case").path("status").asText() + "]");
            case "case.resolve" -> print("Case " + result.path("caseId").asText() + " resolved.");
            case "case.unlink" -> print("Case " + result.path("unlinkedCaseId").asText() + " is no longer linked to this conversation.");
            case "contact.search" -> {
                if (result.path("contacts").isEmpty()) {
                    print("No contacts found.");
                }
                result.path("contacts").forEach(c -> print("  " + c.path("contactId").asText() + ": " + customer(c)
                        + (c.path("email").isTextual() ? ", " + c.path("email").asText() : "")
                        + (c.path("phone").isTextual() ? ", " + c.path("phone").asText() : "")));
            }
            case "contact.link", "contact.create" -> print("Linked to CRM contact " + result.path("contactId").asText() + ": "
                    + customer(result.path("customer")));
            case "contact.unlink" -> print("Unlinked from CRM contact " + result.path("unlinkedContactId").asText() + ": "
                    + customer(result.path("customer")));
            case "case.search" -> {
                if (result.path("cases").isEmpty()) {
                    print("No cases found.");
                }
                result.path("cases").forEach(c -> print("  " + c.path("caseId").asText() + ": " + c.path("title").asText()
                        + " [" + c.path("status").asText() + "]"));
            }
            case "call.button", "call.callback" -> print("You: " + result.path("text").asText());
            case "note.add" -> print("Note saved (" + result.path("notes").size() + " on this conversation).");
            case "quickreply.list" -> result.path("quickReplies").forEach(q -> print("  " + q.path("id").asText() + ": "
                    + q.path("title").asText() + " - " + q.path("text").asText()));
            case "quickreply.send", "knowledge.share" -> print("You: " + result.path("text").asText());
            case "knowledge.search" -> {
                if (result.path("articles").isEmpty()) {
                    print("No articles found.");
                }
                result.path("articles").forEach(a -> print("  " + a.path("id").asText() + ": " + a.path("title").asText()
                        + (a.path("summary").asText("").isEmpty() ? "" : " - " + a.path("summary").asText())));
            }
            case "transcript.search" -> {
                if (result.path("transcripts").isEmpty()) {
                    print("No transcripts found.");
                }
                result.path("transcripts").forEach(t -> print("  " + t.path("closedAt").asText() + " "
                        + (t.path("customerName").asText("").isEmpty() ? t.path("customerPsid").asText() : t.path("customerName").asText())
                        + " / " + t.path("agentId").asText("-") + " / " + t.path("queue").asText() + ": " + t.path("snippet").asText()
                        + "\n    /transcript " + t.path("conversationId").asText()));
            }
            case "conversation.end" -> print("Ended: wrap-up. /close when you are done.");
            case "conversation.wait" -> print("Session closed; the conversation waits for the customer.");
            case "conversation.close" -> print("Closed.");
            case "conversation.release", "conversation.transfer" -> print("Back in the queue.");
            default -> { }
        }
    }

    private void caseCommand(String conversationId, String argument) throws JMSException {
        String[] parts = argument.strip().split("\\s+", 2);
        String rest = parts.length > 1 ? parts[1] : "";
        switch (parts[0].toLowerCase(Locale.ROOT)) {
            case "new" -> client.createCase(conversationId, rest, null);
            case "find" -> client.searchCases(conversationId, rest);
            case "link" -> client.linkCase(conversationId, rest.strip());
            case "resolve" -> client.resolveCase(conversationId, rest);
            case "unlink" -> client.unlinkCase(conversationId);
            default -> print("Use /case new TITLE, /case find WORDS, /case link ID, /case resolve TEXT or /case unlink.");
        }
    }

    private void contactCommand(String argument) throws JMSException {
        String[] parts = argument.strip().split("\\s+", 2);
        String rest = parts.length > 1 ? parts[1].strip() : "";
        switch (parts[0].toLowerCase(Locale.ROOT)) {
            // Searching needs no conversation: the agent may look a contact up before linking.
            case "search" -> client.searchContacts(rest);
            case "link" -> withCurrent(id -> client.linkContact(id, rest));
            case "unlink" -> withCurrent(client::unlinkContact);
            case "create" -> withCurrent(client::createContact);
            default -> print("Use /contact search WORDS, /contact link ID, /contact unlink or /contact create.");
        }
    }

    /** @param viewable the agent holds the conversation these are the others of, so /view opens them */
    private void printOthers(JsonNode others, boolean viewable) {
        if (others == null || others.isEmpty()) {
            return;
        }
        print("  Other conversations of this customer:");
        others.forEach(o -> print("    " + o.path("openedAt").asText() + " [" + o.path("state").asText() + "] queue "
                + o.path("queue").asText() + (o.path("agentId").isTextual() ? ", " + o.path("agentId").asText() : "")
                + (o.path("caseId").isTextual() ? ", case " + o.path("caseId").asText() : "")
                + (viewable ? ": /view " + o.path("id").asText() : "")));
    }

    /** {@code words psid:X agent:Y ...}: filters are key:value words, the rest is the text to find. */
    static Map<String, Object> transcriptSearch(String argument) {
        var fields = new LinkedHashMap<String, Object>();
        var words = new StringBuilder();
        Map<String, String> keys = Map.of("psid", "psid", "contact", "contactId", "agent", "agent", "page", "page",
                "queue", "queue", "status", "status", "from", "from", "to", "to");
        for (String word : argument.strip().split("\\s+")) {
            int colon = word.indexOf(':');
            String key = colon > 0 ? keys.get(word.substring(0, colon).toLowerCase(Locale.ROOT)) : null;
            if (key != null && colon < word.length() - 1) {
                fields.put(key, word.substring(colon + 1));
            } else if (!word.isEmpty()) {
                words.append(words.length() == 0 ? "" : " ").append(word);
            }
        }
        fields.put("query", words.toString());
        return fields;
    }

    private int remember(JsonNode conversation) {
        String id = conversation.path("id").asText();
        for (var entry : sessions.entrySet()) {
            if (entry.getValue().path("id").asText().equals(id)) {
                entry.setValue(conversation);
                return entry.getKey();
            }
        }
        int number = nextSession++;
        sessions.put(number, conversation);
        return number;
    }

    private int numberOf(String conversationId) {
        return sessions.entrySet().stream().filter(e -> e.getValue().path("id").asText().equals(conversationId))
                .map(Map.Entry::getKey).findFirst().orElse(0);
    }

    private void switchTo(String argument) throws JMSException {
        JsonNode conversation = sessions.get(parse(argument));
        if (conversation == null) {
            print("No conversation " + argument + ": /list shows them.");
            return;
        }
        current = conversation.path("id").asText();
        unread.remove(current);
        client.openConversation(current);
        client.send("conversation.seen", Map.of("conversationId", current));
    }

    /** GET on the hub's API with the agent's own login (HTTP Basic), as the hub lets agents fetch files and transcripts. */
    private HttpResponse<byte[]> getFromHub(String path) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString((agentId + ":" + password).getBytes(StandardCharsets.UTF_8));
        var request = HttpRequest.newBuilder(URI.create(hubUrl + path))
                .header("Authorization", "Basic " + credentials).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Shows an archived transcript, as a search result links it. */
    private void transcript(String conversationId) {
        if (conversationId.isBlank()) {
            print("/transcript needs the conversation's ID (as /search shows it).");
            return;
        }
        try {
            var response = getFromHub("/api/transcripts/" + URLEncoder.encode(conversationId.strip(), StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                print("! transcript: the hub answered " + response.statusCode() + (response.statusCode() == 404 ? " (no archived transcript)" : ""));
                return;
            }
            JsonNode document = JSON.readTree(response.body());
            JsonNode conversation = document.path("conversation");
            print("=== Transcript " + conversation.path("id").asText() + ": " + customer(conversation.path("customer")) + ", queue "
                    + conversation.path("queue").asText() + ", agent " + conversation.path("agentId").asText("-") + ", "
                    + conversation.path("openedAt").asText() + " .. " + conversation.path("closedAt").asText());
            document.path("transcript").forEach(this::printMessage);
            document.path("notes").forEach(n -> print("  [note " + n.path("agentId").asText() + "] " + n.path("text").asText()));
        } catch (IOException e) {
            print("! transcript failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fetches a customer's file from the hub with this agent's login and saves it under its cleaned name. */
    private void download(String attachmentId) {
        if (attachmentId.isBlank()) {
            print("/download needs the file's ID.");
            return;
        }
        try {
            var response = getFromHub("/api/attachments/" + URLEncoder.encode(attachmentId, StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                print("! download: the hub answered " + response.statusCode() + (response.statusCode() == 404 ? " (not found or not yours)" : ""));
                return;
            }
            String name = response.headers().firstValue("Content-Disposition")
                    .map(v -> URLDecoder.decode(v.replaceFirst(".*filename\\*=UTF-8''", ""), StandardCharsets.UTF_8))
                    .map(FileInspector::displayName).orElse(attachmentId);
            Path target = downloads.resolve(name);
            for (int n = 1; Files.exists(target); n++) {
                target = downloads.resolve(n + "-" + name);
            }
            Files.write(target, response.body());
            print("Saved " + target.toAbsolutePath().normalize() + " (" + response.body().length + " bytes)");
        } catch (IOException e) {
            print("! download failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void showOffers() {
        if (offers.isEmpty()) {
            print("No offers.");
        }
        offers.forEach((number, offer) -> print(number + ". " + customer(offer.path("customer")) + " ("
                + offer.path("queue").asText() + "), " + secondsLeft(offer) + " s left"));
    }

    private void printMessage(JsonNode message) {
        String who = "IN".equals(message.path("direction").asText()) ? "Customer" : "You";
        String text = message.path("text").asText("");
        List<String> files = new ArrayList<>();
        message.path("attachments").forEach(a -> files.add("[" + a.path("type").asText() + "]"));
        print(who + ": " + text + (files.isEmpty() ? "" : " " + String.join(" ", files)));
    }

    private long secondsLeft(JsonNode offer) {
        Instant expires = Instant.parse(offer.path("expiresAt").asText(clock.get().toString()));
        return Math.max(0, Duration.between(clock.get(), expires).toSeconds());
    }

    private static String customer(JsonNode customer) {
        String name = (customer.path("firstName").asText("") + " " + customer.path("lastName").asText("")).strip();
        var details = new ArrayList<String>();
        if (!customer.path("tier").asText("").isEmpty()) {
            details.add(customer.path("tier").asText());
        }
        if (customer.path("vip").asBoolean(false)) {
            details.add("VIP");
        }
        if (customer.path("openCases").size() > 0) {
            details.add(customer.path("openCases").size() + " open case(s)");
        }
        return (name.isEmpty() ? "Unknown customer" : name) + (details.isEmpty() ? "" : " (" + String.join(", ", details) + ")");
    }

    private void withOffer(String argument, JmsAction<JsonNode> action) throws JMSException {
        JsonNode offer = offers.get(parse(argument));
        if (offer == null) {
            print("No offer " + argument + ": /offers shows them.");
            return;
        }
        action.run(offer);
    }

    private void withCurrent(JmsAction<String> action) throws JMSException {
        if (current == null) {
            print("No current conversation: /list, then /switch N.");
            return;
        }
        action.run(current);
    }

    private static String presence(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "dnd" -> "DO_NOT_DISTURB";
            default -> word.toUpperCase(Locale.ROOT).replace(' ', '_');
        };
    }

    private static int parse(String number) {
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private synchronized void print(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public void close() throws JMSException {
        if (client != null) {
            client.close();
        }
    }

    @FunctionalInterface
    private interface JmsAction<T> {
        void run(T value) throws JMSException;
    }

    /** {@code AgentConsole <agent id> [broker url]}; the password comes from HUB_AGENT_PASSWORD or is asked for. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: bin/agent-console <agent id> [broker url, default tcp://127.0.0.1:61616]");
            System.exit(2);
        }
        String broker = args.length > 1 ? args[1] : "tcp://127.0.0.1:61616";
        String hub = System.getenv().getOrDefault("HUB_URL", "http://127.0.0.1:8080");
        String password = System.getenv("HUB_AGENT_PASSWORD");
        if (password == null && System.console() != null) {
            password = new String(System.console().readPassword("Password for %s: ", args[0]));
        }
        var out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        try (var console = new AgentConsole(out, Instant::now).downloadsFrom(hub, Path.of("."))) {
            try {
                console.connect(broker, args[0], password);
            } catch (JMSException e) {
                System.err.println("Could not log in to " + broker + " as " + args[0] + ": " + e.getMessage());
                System.exit(1);
            }
            console.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        }
    }
}
