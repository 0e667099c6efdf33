package io.modelmaestro.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * Gateway settings under {@code maestro.*}. The local runtime fills them from environment variables (README); the
 * defaults sit next to the reason for them.
 */
@ConfigurationProperties("maestro")
public class GatewayConfig {

    /** Request bodies over this are refused with 413 before anything is parsed. Base64 images make 10 MB common. */
    private long maxBodyBytes = 32L * 1024 * 1024;

    /** Node selection: {@code priority}, {@code round-robin} or {@code weighted}. */
    private String selectionStrategy = "priority";

    /** At most this many nodes are tried per request (the first plus failovers). */
    private int maxAttempts = 3;

    /** Failover stops once this much time has gone by since the request arrived. */
    private Duration failoverBudget = Duration.ofSeconds(30);

    /** The longest upstream {@code Retry-After} honoured by waiting before the next attempt. */
    private Duration maxRetryAfter = Duration.ofSeconds(5);

    /** How long a node that failed stays out of rotation (passive health). */
    private Duration cooldown = Duration.ofSeconds(30);

    /** How often the in-memory catalog is reloaded from the database (admin changes elsewhere show up after this). */
    private Duration catalogRefresh = Duration.ofSeconds(10);

    private Upstream upstream = new Upstream();

    public long getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public void setMaxBodyBytes(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public String getSelectionStrategy() {
        return selectionStrategy;
    }

    public void setSelectionStrategy(String selectionStrategy) {
        this.selectionStrategy = selectionStrategy;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getFailoverBudget() {
        return failoverBudget;
    }

    public void setFailoverBudget(Duration failoverBudget) {
        this.failoverBudget = failoverBudget;
    }

    public Duration getMaxRetryAfter() {
        return maxRetryAfter;
    }

    public void setMaxRetryAfter(Duration maxRetryAfter) {
        this.maxRetryAfter = maxRetryAfter;
    }

    public Duration getCooldown() {
        return cooldown;
    }

    public void setCooldown(Duration cooldown) {
        this.cooldown = cooldown;
    }

    public Duration getCatalogRefresh() {
        return catalogRefresh;
    }

    public void setCatalogRefresh(Duration catalogRefresh) {
        this.catalogRefresh = catalogRefresh;
    }

    public Upstream getUpstream() {
        return upstream;
    }

    public void setUpstream(Upstream upstream) {
        this.upstream = upstream;
    }

    /** Upstream HTTP client limits. */
    @ConfigurationProperties("upstream")
    public static class Upstream {
        private Duration connectTimeout = Duration.ofSeconds(5);

        /** Time until the upstream's response headers arrive; a cold model load on Ollama can take minutes. */
        private Duration responseTimeout = Duration.ofSeconds(300);

        /** Longest silence between two body chunks before the upstream is considered stuck. */
        private Duration idleTimeout = Duration.ofSeconds(300);

        private int maxConnections = 1000;

        private Duration maxIdleTime = Duration.ofSeconds(60);

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getResponseTimeout() {
            return responseTimeout;
        }

        public void setResponseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
        }

        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        public int getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        public Duration getMaxIdleTime() {
            return maxIdleTime;
        }

        public void setMaxIdleTime(Duration maxIdleTime) {
            this.maxIdleTime = maxIdleTime;
        }
    }
}
