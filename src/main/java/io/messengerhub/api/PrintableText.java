package io.messengerhub.api;

/** Text a caller typed, made safe for a log line or a record: control characters (line breaks, NUL) become '?'. */
public final class PrintableText {

    private PrintableText() {
    }

    /** The text with every control character as '?'; empty for null. */
    public static String of(String text) {
        return text == null ? "" : text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
