package io.modelmaestro.bench.load;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Splits a streamed body into frames as bytes arrive (SSE: a blank line ends a frame; NDJSON: a newline) and records,
 * for every content frame, when it arrived and the mock's emit stamp. Frames split across reads are handled. Created
 * per exchange; confined to the connection's event loop.
 */
public final class FrameScanner {

    private final FrameFormat format;
    private final boolean keepText;
    private byte[] buf = new byte[1024];
    private int len;
    private int scanFrom;
    private int contentFrames;
    private long[] arrivals = new long[64];
    private long[] stamps = new long[64];
    private boolean ended;
    private final StringBuilder text = new StringBuilder();

    public FrameScanner(FrameFormat format, boolean keepText) {
        this.format = format;
        this.keepText = keepText;
    }

    public void feed(ByteBuf data, long nowNs) {
        int n = data.readableBytes();
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
        data.readBytes(buf, len, n);
        len += n;
        drain(nowNs);
    }

    /** Same as {@link #feed(ByteBuf, long)} for a byte array (tests). */
    public void feed(byte[] data, long nowNs) {
        if (len + data.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + data.length));
        }
        System.arraycopy(data, 0, buf, len, data.length);
        len += data.length;
        drain(nowNs);
    }

    private void drain(long nowNs) {
        int start = 0;
        int i = Math.max(scanFrom, 0);
        while (i < len) {
            int end = -1;
            int next = -1;
            if (format.ndjson()) {
                if (buf[i] == '\n') {
                    end = i;
                    next = i + 1;
                }
            } else if (buf[i] == '\n' && i + 1 < len && buf[i + 1] == '\n') {
                end = i;
                next = i + 2;
            } else if (buf[i] == '\n' && i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
                end = i;
                next = i + 3;
            }
            if (end < 0) {
                i++;
                continue;
            }
            if (end > start) {
                frame(FrameFormat.utf8(buf, start, end - start), nowNs);
            }
            start = next;
            i = next;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, len - start);
            len -= start;
        }
        // A blank-line delimiter may straddle reads: look at the last byte again next time.
        scanFrom = Math.max(0, len - 2);
    }

    private void frame(String frame, long nowNs) {
        if (format.isEnd(frame)) {
            ended = true;
            return;
        }
        String content = format.content(frame);
        if (content == null) {
            return;
        }
        if (contentFrames == arrivals.length) {
            arrivals = Arrays.copyOf(arrivals, contentFrames * 2);
            stamps = Arrays.copyOf(stamps, contentFrames * 2);
        }
        arrivals[contentFrames] = nowNs;
        stamps[contentFrames] = FrameFormat.stamp(frame);
        contentFrames++;
        if (keepText) {
            text.append(content);
        }
    }

    public int contentFrames() {
        return contentFrames;
    }

    /** Arrival time ({@code System.nanoTime()}) of each content frame. */
    public long[] arrivals() {
        return Arrays.copyOf(arrivals, contentFrames);
    }

    /** The mock's emit stamp of each content frame, -1 where absent. */
    public long[] stamps() {
        return Arrays.copyOf(stamps, contentFrames);
    }

    /** Whether the format's end marker was seen. */
    public boolean ended() {
        return ended;
    }

    /** The concatenated text of the content frames (when kept). */
    public String text() {
        return text.toString();
    }
}
