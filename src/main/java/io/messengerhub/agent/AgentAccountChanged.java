package io.messengerhub.agent;

/**
 * An agent account of the admin API changed ({@link AgentAdministration}); published inside the transaction that
 * changed it. The broker's side (the agent's inbox and who may read it, its open connections) follows after commit.
 */
public record AgentAccountChanged(String agentId, Change change) {

    public enum Change { ADDED, ENABLED, DISABLED, PASSWORD_RESET, CHANGED, REMOVED }

    /** Whether the agent may log in and work after this change. */
    public boolean mayWork() {
        return change != Change.DISABLED && change != Change.REMOVED;
    }
}
