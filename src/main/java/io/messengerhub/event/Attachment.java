package io.messengerhub.event;

/**
 * One attachment of a message, as Facebook describes it.
 *
 * @param type    the type Facebook sent: image, audio, video, file, location, fallback, template, sticker, reel,
 *                ig_reel, post, ig_post, or anything newer (kept as sent)
 * @param url     where a file can be fetched (files, stickers, reels), or the shared link (fallback); may be null
 * @param title   a shared link's or template's title; may be null
 * @param payload the whole {@code payload} object as JSON, so structured content (coordinates, templates) is kept
 */
public record Attachment(String type, String url, String title, String payload) {

    /** Whether this attachment is a file the hub would fetch from Facebook's CDN. */
    public boolean isFile() {
        return switch (type) {
            case "image", "audio", "video", "file", "sticker", "reel", "ig_reel" -> url != null;
            default -> false;
        };
    }
}
