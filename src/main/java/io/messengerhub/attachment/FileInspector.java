package io.messengerhub.attachment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.tika.Tika;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MimeTypeException;
import org.apache.tika.mime.MimeTypes;
import org.springframework.stereotype.Component;

/**
 * Decides whether a downloaded file may be kept: its real type from its bytes (Tika's magic detection, never the
 * name), allowed by the policy, matching what Facebook claimed it is and the extension of its name, and not a
 * blocked extension.
 */
@Component
public class FileInspector {

    private final Tika tika = new Tika();
    private final MimeTypes types = MimeTypes.getDefaultMimeTypes();

    /** The detected content type, or a refusal. */
    public String inspect(Path file, String claimedType, String originalName, AttachmentPolicy policy)
            throws IOException, DownloadRefusedException {
        String extension = extensionOf(originalName);
        if (policy.blocks(extension)) {
            throw new DownloadRefusedException("blocked-extension", "." + extension + " files are blocked");
        }
        String detected = detect(file);
        if (!matchesClaim(claimedType, detected)) {
            throw new DownloadRefusedException("type-mismatch", "sent as " + claimedType + " but is " + detected);
        }
        if (extension != null && !extensionFits(extension, detected)) {
            throw new DownloadRefusedException("type-mismatch", "named ." + extension + " but is " + detected);
        }
        if (!policy.allowsType(detected)) {
            throw new DownloadRefusedException("type-not-allowed", detected + " is not an allowed type");
        }
        return detected;
    }

    /**
     * The type from the bytes alone. Given the file, Tika's container detectors look inside ZIP and OLE2 files (the
     * OOXML package parts, the OLE2 directory), so a DOCX is a DOCX whichever order its producer wrote the entries
     * in. The file's own name is never a hint: it is a generated one, and the customer's is not to be trusted.
     */
    String detect(Path file) throws IOException {
        try (InputStream bytes = TikaInputStream.get(file, new Metadata())) {
            return tika.getDetector().detect(bytes, new Metadata()).toString();
        }
    }

    /** The extension a stored file of this type gets (the original name is never used on disk). */
    public String extensionFor(String contentType) {
        try {
            String extension = types.forName(contentType).getExtension();
            return extension == null || extension.isEmpty() ? ".bin" : extension;
        } catch (MimeTypeException e) {
            return ".bin";
        }
    }

    private static boolean matchesClaim(String claimedType, String detected) {
        return switch (claimedType) {
            case "image", "sticker" -> detected.startsWith("image/");
            // Facebook delivers voice clips as MP4 audio, which the magic bytes cannot tell from video.
            case "audio" -> detected.startsWith("audio/") || detected.equals("video/mp4");
            case "video", "reel", "ig_reel" -> detected.startsWith("video/");
            default -> true;
        };
    }

    private boolean extensionFits(String extension, String detected) {
        try {
            var known = types.forName(detected).getExtensions();
            if (known.isEmpty() || detected.equals("application/octet-stream")) {
                return true;
            }
            String dotted = "." + extension;
            return known.contains(dotted) || (detected.equals("image/jpeg") && dotted.matches("\\.(jpg|jpeg|jpe|jfif)"));
        } catch (MimeTypeException e) {
            return false;
        }
    }

    /** The lower-case extension of a name, or null. */
    static String extensionOf(String name) {
        if (name == null) {
            return null;
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 || dot == name.length() - 1 ? null : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** A name safe to show and store as metadata: no path, no control characters, at most 200 characters. */
    public static String displayName(String raw) {
        if (raw == null) {
            return null;
        }
        String name = raw.replaceAll("\\p{Cntrl}", "");
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        name = name.replaceFirst("^\\.+", "").strip();
        return name.isEmpty() ? null : name.length() > 200 ? name.substring(name.length() - 200) : name;
    }
}
