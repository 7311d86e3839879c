package io.messengerhub.search;

/** An article file the hub cannot read; the message names the file and what is wrong with it. */
public class KnowledgeFileException extends RuntimeException {

    public KnowledgeFileException(String message) {
        super(message);
    }

    public KnowledgeFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
