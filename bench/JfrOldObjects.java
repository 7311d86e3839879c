import java.nio.file.Path;
import java.time.Instant;
import java.util.*;
import jdk.jfr.consumer.*;

/**
 * The old-object samples of a JFR recording (objects still alive when it ended, jdk.OldObjectSample) allocated after
 * an instant, by type and by allocation site (the first three frames outside the JDK): what a soak kept of what it
 * allocated late. Record with settings=profile (or jdk.OldObjectSample#enabled=true).
 *
 * <pre>java bench/JfrOldObjects.java recording.jfr 2026-12-01T07:54:07Z</pre>
 */
public class JfrOldObjects {
    public static void main(String[] a) throws Exception {
        Instant after = Instant.parse(a[1]);
        Map<String, Integer> byType = new HashMap<>(), bySite = new HashMap<>();
        Map<Long, RecordedEvent> last = new HashMap<>();
        int total = 0;
        try (var f = new RecordingFile(Path.of(a[0]))) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (!e.getEventType().getName().equals("jdk.OldObjectSample")) continue;
                Instant allocated = e.getInstant("allocationTime");
                if (allocated.isBefore(after)) continue;
                RecordedObject object = e.getValue("object");
                long address = object == null ? -1 : object.getLong("address");
                last.put(address, e); // the same object may be reported in several chunks
            }
        }
        for (RecordedEvent e : last.values()) {
            total++;
            RecordedObject object = e.getValue("object");
            RecordedClass type = object == null ? null : object.getValue("type");
            String typeName = type == null ? "?" : type.getName();
            byType.merge(typeName, 1, Integer::sum);
            var st = e.getStackTrace();
            String site = "?";
            if (st != null) {
                var sites = new ArrayList<String>();
                for (var frame : st.getFrames()) {
                    String n = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
                    if (n.startsWith("java.") || n.startsWith("jdk.") || n.startsWith("sun.")) continue;
                    sites.add(n.replaceAll("^org\\.apache\\.activemq\\.artemis\\.", "artemis.").replaceAll("^org\\.h2\\.", "h2."));
                    if (sites.size() == 3) break;
                }
                site = String.join(" < ", sites);
            }
            bySite.merge(typeName + " @ " + site, 1, Integer::sum);
        }
        System.out.println("samples allocated after " + after + ": " + total);
        print("by type", byType);
        print("by type and allocation site", bySite);
    }

    static void print(String title, Map<String, Integer> m) {
        System.out.println("== " + title);
        m.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(40)
                .forEach(e -> System.out.printf("%5d  %s%n", e.getValue(), e.getKey()));
    }
}
