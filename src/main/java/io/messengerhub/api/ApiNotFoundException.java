package io.messengerhub.api;

/** A read-API request for something that does not exist; answered 404. */
public class ApiNotFoundException extends ApiException {

    public ApiNotFoundException(String what) {
        super(404, "not_found", what);
    }

    /** The API's answer for a conversation id it does not know. */
    public static ApiNotFoundException conversation(String conversationId) {
        return new ApiNotFoundException("conversation " + conversationId + " not found");
    }
}
