package io.messengerhub.sentiment;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits a chat message into the tokens VADER scores: words without their surrounding punctuation, emoticons such as
 * ":)" kept whole, and every emoji as a token of its own even when typed without a space ("danke👍").
 */
final class MessageTokens {

    /** One token: as typed, as looked up (lowercase, apostrophes straightened) and what VADER needs to know about it. */
    record Token(String typed, String word, boolean emoji, boolean endsClause, boolean shouted) {

        /** Only punctuation, like "!!!" or ":)"; an emoticon when a lexicon knows it. */
        boolean punctuationOnly() {
            return !emoji && word.isEmpty();
        }
    }

    /** "super,danke" and "Hallo.Mein" are two words: chat messages often leave out the space after punctuation. */
    private static final Pattern GLUED_PUNCTUATION = Pattern.compile("(?<=\\p{L})([,;!?.]+)(?=\\p{L})");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** Punctuation after a word that closes a clause; negation and boosters do not reach across it. */
    private static final String CLAUSE_MARKS = ",.;:!?…-–—";

    private MessageTokens() {
    }

    static List<Token> of(String text) {
        String prepared = Normalizer.normalize(text, Normalizer.Form.NFC).replace('’', '\'').replace('‘', '\'')
                .replace('ʼ', '\'').replace('´', '\'');
        prepared = GLUED_PUNCTUATION.matcher(spaceAroundEmoji(prepared)).replaceAll("$1 ");
        List<Token> tokens = new ArrayList<>();
        for (String typed : WHITESPACE.split(prepared.strip())) {
            if (!typed.isEmpty()) {
                tokens.add(token(typed));
            }
        }
        return tokens;
    }

    private static Token token(String typed) {
        if (isEmojiStart(typed.codePointAt(0))) {
            return new Token(typed, typed, true, false, false);
        }
        int start = 0;
        int end = typed.length();
        while (start < end && !Character.isLetterOrDigit(typed.charAt(start))) {
            start++;
        }
        while (end > start && !Character.isLetterOrDigit(typed.charAt(end - 1))) {
            end--;
        }
        String bare = typed.substring(start, end);
        String trailing = typed.substring(end);
        boolean endsClause = bare.isEmpty() ? containsAny(typed, CLAUSE_MARKS) : containsAny(trailing, CLAUSE_MARKS);
        return new Token(typed, bare.toLowerCase(Locale.ROOT), false, endsClause, shouted(bare));
    }

    /** Written in capitals for emphasis: at least two letters and no lowercase one ("NOW", "SCHLECHT", not "I" or "A4"). */
    private static boolean shouted(String word) {
        int capitals = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isLowerCase(c) && c != 'ß') {
                return false;
            }
            if (Character.isUpperCase(c)) {
                capitals++;
            }
        }
        return capitals >= 2;
    }

    private static boolean containsAny(String text, String marks) {
        for (int i = 0; i < text.length(); i++) {
            if (marks.indexOf(text.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Puts spaces around each emoji with its modifiers (variation selector, skin tone, U+200D joins, flag pairs). */
    private static String spaceAroundEmoji(String text) {
        StringBuilder spaced = new StringBuilder(text.length() + 16);
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            if (!isEmojiStart(c)) {
                spaced.appendCodePoint(c);
                i += Character.charCount(c);
                continue;
            }
            spaced.append(' ').appendCodePoint(c);
            boolean flag = c >= 0x1F1E6 && c <= 0x1F1FF;
            i += Character.charCount(c);
            while (i < text.length()) {
                int next = text.codePointAt(i);
                boolean joined = next == 0x200D && i + 1 < text.length();
                if (joined) {
                    int after = text.codePointAt(i + 1);
                    spaced.appendCodePoint(next).appendCodePoint(after);
                    i += 1 + Character.charCount(after);
                } else if (isModifier(next) || (flag && next >= 0x1F1E6 && next <= 0x1F1FF)) {
                    spaced.appendCodePoint(next);
                    i += Character.charCount(next);
                    flag = false;
                } else {
                    break;
                }
            }
            spaced.append(' ');
        }
        return spaced.toString();
    }

    private static boolean isModifier(int c) {
        return c == 0xFE0E || c == 0xFE0F || (c >= 0x1F3FB && c <= 0x1F3FF) || c == 0x20E3 || (c >= 0xE0020 && c <= 0xE007F);
    }

    /** Pictographs, emoticons, symbols and dingbats (Java 17 has no Character.isEmoji). */
    static boolean isEmojiStart(int c) {
        return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2300 && c <= 0x23FF)
                || (c >= 0x2B00 && c <= 0x2BFF) || c == 0x203C || c == 0x2049 || c == 0x3030 || c == 0x303D;
    }
}
