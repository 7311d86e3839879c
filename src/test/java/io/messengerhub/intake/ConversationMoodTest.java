package io.messengerhub.intake;

/** {@link ConversationMoodContract} on the embedded H2 database. */
class ConversationMoodTest extends ConversationMoodContract {

    @Override
    boolean aSessionWaitsForALock() {
        return jdbc.sql("select count(*) from information_schema.sessions where blocker_id is not null")
                .query(Integer.class).single() > 0;
    }
}
