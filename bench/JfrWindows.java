import java.nio.file.Path;
import java.time.Instant;
import java.util.*;
import jdk.jfr.consumer.*;

/**
 * The execution samples of a JFR recording in a window of time: by thread, by top frame, by chosen frames anywhere in
 * the stack (the hub's, H2's commands, the broker's journal), and the samples inside H2 by their first caller outside
 * H2 and JDBC. Compare two windows of one soak to see what grew.
 *
 * <pre>java bench/JfrWindows.java recording.jfr 2026-12-01T06:53:16Z 2026-12-01T06:57:16Z [top]</pre>
 */
public class JfrWindows {
    public static void main(String[] a) throws Exception {
        Instant from = Instant.parse(a[1]), to = Instant.parse(a[2]);
        int top = a.length > 3 ? Integer.parseInt(a[3]) : 25;
        Map<String, Integer> threads = new HashMap<>(), self = new HashMap<>(), inclusive = new HashMap<>(), h2Callers = new HashMap<>();
        int total = 0, withH2 = 0;
        try (var f = new RecordingFile(Path.of(a[0]))) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
                if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) continue;
                total++;
                String t = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                t = t == null ? "?" : t.replaceAll("[-#]?\\d+", "#").replaceAll("(#)+", "#");
                threads.merge(t, 1, Integer::sum);
                var st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) continue;
                var frames = st.getFrames();
                self.merge(name(frames.get(0)), 1, Integer::sum);
                var seen = new HashSet<String>();
                boolean h2 = false;
                String firstNonH2AfterH2 = null;
                for (int i = 0; i < frames.size(); i++) {
                    String n = name(frames.get(i));
                    if (n.startsWith("org.h2.")) h2 = true;
                    if ((n.startsWith("io.messengerhub") || n.startsWith("org.h2.command") || n.startsWith("org.h2.mvstore.MVStore.")
                            || n.startsWith("org.apache.activemq.artemis.core.journal") || n.startsWith("org.apache.activemq.artemis.core.persistence")
                            || n.startsWith("org.apache.activemq.artemis.core.postoffice") || n.startsWith("org.apache.camel.component.jms")
                            || n.startsWith("org.springframework.jdbc")) && seen.add(n)) {
                        inclusive.merge(n, 1, Integer::sum);
                    }
                    if (h2 && firstNonH2AfterH2 == null && !n.startsWith("org.h2.") && !n.startsWith("com.zaxxer") && !n.startsWith("org.springframework.jdbc")
                            && !n.startsWith("jdk.") && !n.startsWith("java.")) {
                        firstNonH2AfterH2 = n;
                    }
                }
                if (h2) {
                    withH2++;
                    h2Callers.merge(String.valueOf(firstNonH2AfterH2), 1, Integer::sum);
                }
            }
        }
        System.out.printf("samples %d, with an H2 frame %d (%.1f %%)%n", total, withH2, 100.0 * withH2 / Math.max(1, total));
        print("threads", threads, total, top);
        print("self (top frame)", self, total, top);
        print("inclusive (chosen packages)", inclusive, total, top);
        print("H2 samples by the first caller outside H2/JDBC", h2Callers, total, top);
    }

    static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    static void print(String title, Map<String, Integer> m, int total, int top) {
        System.out.println("== " + title);
        m.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("%6d %5.1f %%  %s%n", e.getValue(), 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
    }
}
