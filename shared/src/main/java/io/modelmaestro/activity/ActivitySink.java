package io.modelmaestro.activity;

/**
 * Where finished activity events go. Implementations must not block the caller (the caller may be an event loop) and
 * must not lose accepted events.
 */
public interface ActivitySink {
    void accept(ActivityEvent event);
}
