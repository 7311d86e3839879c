package io.messengerhub.send;

/**
 * One request to the Graph API: the Page it is for, its token, and the body (JSON text, or a multipart entity for
 * a file upload) with its content type.
 */
public record GraphCall(String pageId, String pageAccessToken, Object body, String contentType) {
}
