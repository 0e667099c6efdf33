package io.modelmaestro.bench.load;

import org.jspecify.annotations.Nullable;

/**
 * One request and what came back: times are {@code System.nanoTime()} values taken on the client's event loop. {@code
 * intendedNs} is when the schedule wanted the request sent (open loop); {@code sentNs} is when it was written.
 */
public final class Exchange {
    final Request request;
    final long intendedNs;
    long sentNs;
    long headNs;
    long endNs;
    int status;
    long bodyBytes;

    @Nullable
    String error;

    @Nullable
    FrameScanner frames;

    Exchange(Request request, long intendedNs, boolean keepText) {
        this.request = request;
        this.intendedNs = intendedNs;
        if (request.streaming()) {
            this.frames = new FrameScanner(request.format(), keepText);
        }
    }

    public Request request() {
        return request;
    }

    public long intendedNs() {
        return intendedNs;
    }

    public long sentNs() {
        return sentNs;
    }

    public long headNs() {
        return headNs;
    }

    public long endNs() {
        return endNs;
    }

    public int status() {
        return status;
    }

    public long bodyBytes() {
        return bodyBytes;
    }

    public @Nullable String error() {
        return error;
    }

    public @Nullable FrameScanner frames() {
        return frames;
    }

    /** A 200 that arrived whole (for a stream: with its end marker). */
    public boolean ok() {
        FrameScanner f = frames;
        return error == null && status == 200 && (f == null || f.ended());
    }

    /** Latency from the intended send time: what a user of an open-loop schedule would have waited. */
    public long latencyNs() {
        return endNs - intendedNs;
    }

    /** Latency from the moment the request was written (service time). */
    public long serviceNs() {
        return endNs - sentNs;
    }

    /** Time to the first content frame from the write, or -1. */
    public long ttftNs() {
        FrameScanner f = frames;
        if (f == null || f.contentFrames() == 0) {
            return -1;
        }
        return f.arrivals()[0] - sentNs;
    }

    public String describeError() {
        String e = error;
        if (e != null) {
            return e;
        }
        if (status != 200) {
            return "HTTP " + status;
        }
        return "stream without its end marker";
    }
}
