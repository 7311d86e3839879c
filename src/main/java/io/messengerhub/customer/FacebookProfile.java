package io.messengerhub.customer;

/** The public profile the Graph User Profile API gives for a PSID. */
public record FacebookProfile(String firstName, String lastName, String locale, Double timezone, String profilePic) {
}
