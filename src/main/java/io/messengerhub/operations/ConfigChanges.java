package io.messengerhub.operations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.messengerhub.channel.ChannelProperties;
import io.messengerhub.hours.OperatingHoursProperties;
import io.messengerhub.workspace.QuickReplies;

/** What changed between two versions of an operator's file, for the log line that puts the new one in force. */
final class ConfigChanges {

    private ConfigChanges() {
    }

    static String pages(ChannelProperties before, ChannelProperties after) {
        return byKey("Page", before.pages(), after.pages(), ChannelProperties.Page::id);
    }

    static String quickReplies(QuickReplies before, QuickReplies after) {
        return byKey("quick reply", before.quickReplies(), after.quickReplies(), QuickReplies.Template::id);
    }

    static String operatingHours(OperatingHoursProperties before, OperatingHoursProperties after) {
        var changes = new ArrayList<String>();
        String queues = byKey("queue", before.queues(), after.queues(), OperatingHoursProperties.Queue::name);
        if (!queues.isEmpty()) {
            changes.add(queues);
        }
        String answers = byKey("answer", List.copyOf(before.answers().entrySet()), List.copyOf(after.answers().entrySet()),
                Map.Entry::getKey);
        if (!answers.isEmpty()) {
            changes.add(answers);
        }
        if (!Objects.equals(before.holidayLists(), after.holidayLists())) {
            changes.add("holiday lists changed");
        }
        return String.join("; ", changes);
    }

    /** Entries added, removed and changed, by their key, in the order of the new version. */
    private static <T> String byKey(String what, List<T> before, List<T> after, Function<T, String> key) {
        Map<String, T> old = index(before, key);
        Map<String, T> now = index(after, key);
        var changes = new ArrayList<String>();
        now.forEach((name, entry) -> {
            if (!old.containsKey(name)) {
                changes.add("added " + what + " '" + name + "'");
            } else if (!old.get(name).equals(entry)) {
                changes.add("changed " + what + " '" + name + "'");
            }
        });
        old.keySet().stream().filter(name -> !now.containsKey(name)).forEach(name -> changes.add("removed " + what + " '" + name + "'"));
        return String.join("; ", changes);
    }

    private static <T> Map<String, T> index(List<T> entries, Function<T, String> key) {
        Map<String, T> indexed = new LinkedHashMap<>();
        entries.forEach(entry -> indexed.put(key.apply(entry), entry));
        return indexed;
    }
}
