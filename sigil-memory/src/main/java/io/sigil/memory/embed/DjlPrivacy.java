package io.sigil.memory.embed;

/**
 * Keeps DJL (the tokenizer library under the ONNX embedder) from opening connections nobody configured. DJL 0.36
 * "calls home" on first use of a tokenizer ({@code ai.djl.util.Ec2Utils.callHome}: the cloud instance-metadata
 * address, then an S3 telemetry URL) unless {@code OPT_OUT_TRACKING} is true, and downloads native libraries
 * missing from its jar unless offline mode ({@code ai.djl.offline}) is on. Both are read as environment variable
 * or system property at the moment of use, so setting the properties before the first tokenizer is created is
 * enough, whether Sigil runs as the CLI, the server or a library.
 */
public final class DjlPrivacy {
    static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";
    static final String OFFLINE = "ai.djl.offline";

    private DjlPrivacy() { }

    /** Sets the opt-out properties; idempotent. A user's explicit {@code ai.djl.offline=false} is overridden too. */
    public static void apply() {
        System.setProperty(OPT_OUT_TRACKING, "true");
        System.setProperty(OFFLINE, "true");
    }
}
