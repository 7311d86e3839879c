package io.messengerhub.send;

/** One request to the Graph API: the Page it is for, its token, and the JSON body. */
public record GraphCall(String pageId, String pageAccessToken, String body) {
}
