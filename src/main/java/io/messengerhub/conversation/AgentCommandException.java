package io.messengerhub.conversation;

/** A command an agent may not give now (offer expired, not its conversation); reported back to that agent. */
public class AgentCommandException extends RuntimeException {

    public AgentCommandException(String reason) {
        super(reason);
    }
}
