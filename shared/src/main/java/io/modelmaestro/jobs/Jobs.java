package io.modelmaestro.jobs;

import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every job by name, for the schedulers (the local one and the Lambda handler). */
@Singleton
public class Jobs {

    private final Map<String, Job> byName = new TreeMap<>();

    public Jobs(List<Job> jobs) {
        for (Job job : jobs) {
            byName.put(job.name(), job);
        }
    }

    /** The job called {@code name} ({@code health-check}, {@code model-discovery}, {@code warmup}, {@code retention}). */
    public Optional<Job> named(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        if (n.equals("discovery") || n.equals("models-sync")) {
            n = ModelDiscoveryJob.NAME;
        }
        return Optional.ofNullable(byName.get(n));
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
