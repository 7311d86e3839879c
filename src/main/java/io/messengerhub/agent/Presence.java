package io.messengerhub.agent;

/**
 * Agent presence as Dynamics 365 shows it. Agents choose Available, Busy, Do not disturb, Away or Offline; while
 * they choose Available or Busy, the hub shows what their capacity says: none used Available, some Busy, all
 * Do not disturb. Only Available and Busy agents with capacity left get offers.
 */
public enum Presence {
    AVAILABLE, BUSY, DO_NOT_DISTURB, AWAY, OFFLINE;

    public boolean acceptsWork() {
        return this == AVAILABLE || this == BUSY;
    }

    /** What others see, given how much of the agent's capacity is in use. */
    public Presence shown(int used, int capacity) {
        if (!acceptsWork()) {
            return this;
        }
        return used <= 0 ? AVAILABLE : used < capacity ? BUSY : DO_NOT_DISTURB;
    }
}
