package io.messengerhub.hours;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.messengerhub.hours.OperatingHoursProperties.Answer;
import io.messengerhub.hours.OperatingHoursProperties.Queue;
import org.springframework.stereotype.Component;

/**
 * Whether a queue is open at a moment, and its overflow settings; a queue without operating hours is always open.
 * The settings of config/operating-hours.yaml at start-up, replaced when the file changes and passes its checks
 * (operations.ConfigReload): each question reads one version of them.
 */
@Component
public class OperatingHours {

    private record InForce(OperatingHoursProperties settings, Map<String, WeeklyHours> hours) {

        static InForce of(OperatingHoursProperties settings) {
            return new InForce(settings, settings.queues().stream()
                    .collect(Collectors.toUnmodifiableMap(Queue::name, queue -> queue.hours(settings.holidayLists()))));
        }
    }

    private volatile InForce inForce;

    public OperatingHours(OperatingHoursProperties settings) {
        this.inForce = InForce.of(settings);
    }

    public boolean isOpen(String queue, Instant at) {
        WeeklyHours its = inForce.hours().get(queue);
        return its == null || its.openAt(at);
    }

    /** The queue's settings, when it has operating hours. */
    public Optional<Queue> queue(String name) {
        return inForce.settings().queue(name);
    }

    /** An answer the settings name; they are checked to exist when they are read. */
    public Answer answer(String name) {
        return inForce.settings().answers().get(name);
    }

    public OperatingHoursProperties current() {
        return inForce.settings();
    }

    /** Puts {@code next} in force for the next question and answers the settings it replaced. */
    public synchronized OperatingHoursProperties replace(OperatingHoursProperties next) {
        OperatingHoursProperties before = inForce.settings();
        inForce = InForce.of(next);
        return before;
    }
}
