package io.messengerhub.workspace;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.messengerhub.conversation.AgentCommandException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The two ways an agent moves a chat to the phone. A call button is a Messenger button template whose button
 * dials the number; a callback request asks the customer for their number with Messenger's phone-number quick
 * reply, which fills in the number from their profile so they share it with one tap.
 */
@Component("callOptions")
public class CallOptions {

    /** Facebook's limits: button template text 640 characters, button title 20. */
    static final int MAX_TEXT = 640;
    static final int MAX_TITLE = 20;
    /** International format, as the phone_number button requires: + and the country code. */
    private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9 ]{5,20}");

    private final ObjectMapper json;
    private final String defaultNumber;
    private final String callText;
    private final String callTitle;
    private final String callbackText;

    public CallOptions(ObjectMapper json, @Value("${hub.calls.phone-number:}") String defaultNumber,
                       @Value("${hub.calls.button-text}") String callText, @Value("${hub.calls.button-title}") String callTitle,
                       @Value("${hub.calls.callback-text}") String callbackText) {
        this.json = json;
        this.defaultNumber = defaultNumber;
        this.callText = callText;
        this.callTitle = callTitle;
        this.callbackText = callbackText;
    }

    /** A message to send and how the transcript describes it. */
    public record CallMessage(ObjectNode message, String description) {
    }

    public CallMessage callButton(String phoneNumber, String text, String title) {
        String number = phoneNumber == null || phoneNumber.isBlank() ? defaultNumber : phoneNumber.strip();
        if (number == null || number.isBlank()) {
            throw new AgentCommandException("no phone number: give one, or configure hub.calls.phone-number");
        }
        if (!PHONE.matcher(number).matches()) {
            throw new AgentCommandException("'" + number + "' is not a phone number in international format (+49 30 1234567)");
        }
        String buttonText = text == null || text.isBlank() ? callText : text.strip();
        String buttonTitle = title == null || title.isBlank() ? callTitle : title.strip();
        if (buttonText.length() > MAX_TEXT) {
            throw new AgentCommandException("the text of a call button has at most " + MAX_TEXT + " characters");
        }
        if (buttonTitle.length() > MAX_TITLE) {
            throw new AgentCommandException("a button title has at most " + MAX_TITLE + " characters");
        }
        ObjectNode message = json.createObjectNode();
        ObjectNode payload = message.putObject("attachment").put("type", "template").putObject("payload");
        payload.put("template_type", "button").put("text", buttonText);
        payload.putArray("buttons").addObject().put("type", "phone_number").put("title", buttonTitle).put("payload", number.replace(" ", ""));
        return new CallMessage(message, buttonText + " [" + buttonTitle + ": " + number + "]");
    }

    public CallMessage callbackRequest(String text) {
        String question = text == null || text.isBlank() ? callbackText : text.strip();
        if (question.length() > 2000) {
            throw new AgentCommandException("the callback question has at most 2000 characters");
        }
        ObjectNode message = json.createObjectNode().put("text", question);
        message.putArray("quick_replies").addObject().put("content_type", "user_phone_number");
        return new CallMessage(message, question + " [asks for the customer's phone number]");
    }
}
