package io.messengerhub.send;

/** Facebook could not take the message now (rate limit, temporary error): the broker delivers it again later. */
public class RetryableSendException extends RuntimeException {

    public RetryableSendException(String reason) {
        super(reason);
    }
}
