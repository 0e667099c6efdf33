package io.modelmaestro.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Constant-time comparison for secrets (admin token, token ids). */
public final class ConstantTime {
    private ConstantTime() {}

    public static boolean equals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
