package io.messengerhub.support;

import java.util.HexFormat;

/** Files the tests send and receive. */
public final class TestFiles {

    private static final String ONE_PIXEL_PNG = "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
            + "0000000d4944415478da63f8cfc0f01f0005000201a2ddc6a40000000049454e44ae426082";

    private TestFiles() {
    }

    /** A valid PNG of one pixel (a fresh copy each time). */
    public static byte[] onePixelPng() {
        return HexFormat.of().parseHex(ONE_PIXEL_PNG);
    }
}
