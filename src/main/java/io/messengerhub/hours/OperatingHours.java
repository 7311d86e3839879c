package io.messengerhub.hours;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.messengerhub.hours.OperatingHoursProperties.Answer;
import io.messengerhub.hours.OperatingHoursProperties.Queue;
import org.springframework.stereotype.Component;

/** Whether a queue is open at a moment, and its overflow settings; a queue without operating hours is always open. */
@Component
public class OperatingHours {

    private final OperatingHoursProperties settings;
    private final Map<String, WeeklyHours> hours;

    public OperatingHours(OperatingHoursProperties settings) {
        this.settings = settings;
        this.hours = settings.queues().stream()
                .collect(Collectors.toUnmodifiableMap(Queue::name, queue -> queue.hours(settings.holidayLists())));
    }

    public boolean isOpen(String queue, Instant at) {
        WeeklyHours its = hours.get(queue);
        return its == null || its.openAt(at);
    }

    /** The queue's settings, when it has operating hours. */
    public Optional<Queue> queue(String name) {
        return settings.queue(name);
    }

    /** An answer the settings name; they are checked to exist at start-up. */
    public Answer answer(String name) {
        return settings.answers().get(name);
    }
}
