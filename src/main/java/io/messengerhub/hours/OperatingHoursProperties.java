package io.messengerhub.hours;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Operating hours per queue, the automatic answers, and what happens to a conversation that opens while its queue is
 * closed or nobody is there to take it (config/operating-hours.yaml, where every key is explained). A queue not
 * listed is always open and never answered automatically.
 *
 * @param holidayLists named lists of holidays that several queues share (entries as in {@link Queue#holidays})
 * @param answers      the automatic answers by name, each in several languages and per Page
 * @param queues       the queues that have operating hours
 */
@ConfigurationProperties("hub.operating-hours")
public record OperatingHoursProperties(Map<String, List<String>> holidayLists, Map<String, Answer> answers, List<Queue> queues) {

    private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9_-]+");
    /** Facebook's limit for a text message. */
    private static final int MAX_TEXT = 2000;

    public OperatingHoursProperties {
        holidayLists = holidayLists == null ? Map.of() : Map.copyOf(holidayLists);
        answers = answers == null ? Map.of() : Map.copyOf(answers);
        queues = queues == null ? List.of() : List.copyOf(queues);
        Set<String> names = new HashSet<>();
        for (Queue queue : queues) {
            if (!names.add(queue.name())) {
                throw new IllegalArgumentException("config/operating-hours.yaml lists queue '" + queue.name() + "' more than once");
            }
            for (String list : queue.holidayLists()) {
                if (!holidayLists.containsKey(list)) {
                    throw invalid(queue.name(), "holiday list '" + list + "' is not under holiday-lists");
                }
            }
            for (Overflow overflow : new Overflow[] {queue.outsideHours(), queue.nobodyAvailable()}) {
                if (overflow != null && overflow.answer() != null && !answers.containsKey(overflow.answer())) {
                    throw invalid(queue.name(), "answer '" + overflow.answer() + "' is not under answers");
                }
                if (overflow != null && queue.name().equals(overflow.transferTo())) {
                    throw invalid(queue.name(), "transfer-to names the queue itself");
                }
            }
            queue.hours(holidayLists);
        }
    }

    /** The queue's settings, if it has operating hours. */
    public Optional<Queue> queue(String name) {
        return queues.stream().filter(queue -> queue.name().equals(name)).findFirst();
    }

    /**
     * A queue with operating hours.
     *
     * @param timeZone        where its times are meant, e.g. Europe/Berlin (daylight saving included)
     * @param open            weekly opening times: {@code MON-FRI 08:00-18:00}, {@code SAT 09:00-13:00}
     * @param holidays        its own holidays: {@code 2026-12-25} closed all day, {@code 2026-12-24 08:00-12:00} open
     *                        only then that day
     * @param holidayLists    names of shared lists under {@code holiday-lists} that apply too
     * @param outsideHours    what happens to a conversation that opens while the queue is closed; none: it waits,
     *                        unanswered, and is offered when the queue opens
     * @param nobodyAvailable what happens to one that opens while the queue is open but none of its agents is Available
     *                        or Busy; none: it waits as it always did
     */
    public record Queue(String name, String timeZone, List<String> open, List<String> holidays, List<String> holidayLists,
                        Overflow outsideHours, Overflow nobodyAvailable) {

        public Queue {
            if (name == null || !QUEUE.matcher(name).matches()) {
                throw new IllegalArgumentException("a queue in config/operating-hours.yaml has no valid name ('" + name
                        + "'; letters, digits, - and _)");
            }
            open = open == null ? List.of() : List.copyOf(open);
            holidays = holidays == null ? List.of() : List.copyOf(holidays);
            holidayLists = holidayLists == null ? List.of() : List.copyOf(holidayLists);
        }

        /** Its opening times, its own holidays and those of its holiday lists together. */
        public WeeklyHours hours(Map<String, List<String>> lists) {
            List<String> allHolidays = new ArrayList<>(holidays);
            holidayLists.forEach(list -> allHolidays.addAll(lists.getOrDefault(list, List.of())));
            return WeeklyHours.parse(name, timeZone, open, allHolidays);
        }
    }

    /** What the hub does with a conversation it cannot offer right away: wait in its queue, or go to another one. */
    public enum Action { WAIT, TRANSFER }

    /**
     * One overflow rule.
     *
     * @param answer     the name of the automatic answer the customer gets (under {@code answers}); none: no answer
     * @param action     {@code wait} (default) or {@code transfer}
     * @param transferTo for {@code transfer}: the queue the conversation goes to instead
     */
    public record Overflow(String answer, Action action, String transferTo) {

        public Overflow {
            action = action == null ? Action.WAIT : action;
            if (action == Action.TRANSFER && (transferTo == null || !QUEUE.matcher(transferTo).matches())) {
                throw new IllegalArgumentException("an overflow rule in config/operating-hours.yaml says transfer but names no"
                        + " valid transfer-to queue ('" + transferTo + "')");
            }
            if (action == Action.WAIT && transferTo != null) {
                throw new IllegalArgumentException("an overflow rule in config/operating-hours.yaml says wait but names"
                        + " transfer-to '" + transferTo + "'; say action: transfer, or leave transfer-to out");
            }
        }
    }

    /**
     * An automatic answer.
     *
     * @param texts by language: {@code default} (required), and e.g. {@code de}, {@code en}, {@code de-AT}
     * @param pages by Page id, texts of that Page's own, looked at before {@code texts}
     */
    public record Answer(Map<String, String> texts, Map<String, Map<String, String>> pages) {

        public Answer {
            texts = byLanguage(texts);
            Map<String, Map<String, String>> perPage = new LinkedHashMap<>();
            (pages == null ? Map.<String, Map<String, String>>of() : pages).forEach((page, its) -> perPage.put(page, byLanguage(its)));
            pages = Map.copyOf(perPage);
            if (!texts.containsKey("default")) {
                throw new IllegalArgumentException("an answer in config/operating-hours.yaml has no default text (texts: default:),"
                        + " the one for customers whose language it has no text for");
            }
        }

        /**
         * The text for a customer of this Page with this locale (Facebook's {@code de_DE}, or null when unknown): the
         * Page's own texts first, then the general ones; in each, the locale ({@code de-de}), its language ({@code de}),
         * then {@code default}.
         */
        public String textFor(String pageId, String locale) {
            List<String> keys = new ArrayList<>();
            if (locale != null && !locale.isBlank()) {
                String normal = normal(locale);
                keys.add(normal);
                keys.add(normal.split("-")[0]);
            }
            keys.add("default");
            for (Map<String, String> set : List.of(pages.getOrDefault(pageId, Map.of()), texts)) {
                for (String key : keys) {
                    if (set.containsKey(key)) {
                        return set.get(key);
                    }
                }
            }
            return texts.get("default");
        }

        private static Map<String, String> byLanguage(Map<String, String> texts) {
            Map<String, String> normalised = new LinkedHashMap<>();
            (texts == null ? Map.<String, String>of() : texts).forEach((language, text) -> {
                if (text == null || text.isBlank() || text.strip().length() > MAX_TEXT) {
                    throw new IllegalArgumentException("the '" + language + "' text of an answer in config/operating-hours.yaml"
                            + " is empty or longer than Facebook's " + MAX_TEXT + " characters");
                }
                normalised.put(normal(language), text.strip());
            });
            return Map.copyOf(normalised);
        }

        private static String normal(String language) {
            return language.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static IllegalArgumentException invalid(String queue, String problem) {
        return new IllegalArgumentException("queue '" + queue + "' in config/operating-hours.yaml: " + problem);
    }
}
