package io.modelmaestro.routing;

import io.modelmaestro.catalog.CatalogSnapshot;
import io.modelmaestro.catalog.ModelGroup;
import io.modelmaestro.catalog.ModelMapping;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.catalog.NodeModelInfo;
import io.modelmaestro.core.error.GatewayException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a client's model name when it may be a model group; any other name goes to {@link ModelResolver}. The
 * lookup order is: {@code node:CODE:} prefix, enabled group (exact, or with {@code :latest} added or removed), then
 * mapping and real name as in {@link ModelResolver}.
 *
 * <p>A group resolves to a plan: its members in the order they will be tried, each with its candidate targets.
 *
 * <ol>
 *   <li>Every enabled member is resolved like a model name of its own (a display or real name; a member pinned to a
 *       node gets just that node). Members that resolve to nothing right now are left out.
 *   <li>Capability filter: a request with images needs {@code vision}, one with tools needs {@code tools}. A target
 *       whose capabilities are known (the mapping's {@code capabilities}, else the node's {@code node_models} row)
 *       and lack one is dropped; unknown capabilities count as capable. A group none of whose members can serve the
 *       request is a 400 that says what is missing.
 *   <li>Strategy picks the first member among the capable ones: {@code priority} the lowest priority number,
 *       {@code round_robin} takes turns (per group, per instance), {@code weighted} draws by weight from the
 *       injected randomness. The other members follow in priority order.
 *   <li>Context fit: members whose known context length is smaller than the gateway's estimate of the prompt move
 *       to the end (largest context first), so the request goes first to a member it fits.
 * </ol>
 */
public final class GroupResolver {

    private static final Logger LOG = LoggerFactory.getLogger(GroupResolver.class);

    private final RandomGenerator random;
    private final Map<Long, AtomicLong> turns = new ConcurrentHashMap<>();

    public GroupResolver(RandomGenerator random) {
        this.random = random;
    }

    public Resolution resolve(String requested, CatalogSnapshot catalog, RequestNeeds needs) {
        if (!requested.startsWith(ModelResolver.NODE_PREFIX)) {
            ModelGroup group = catalog.group(requested);
            if (group != null && group.enabled()) {
                return resolveGroup(requested, group, catalog, needs);
            }
        }
        return ModelResolver.resolve(requested, catalog);
    }

    private record Candidate(ModelGroup.Member member, List<Target> targets) {}

    private Resolution resolveGroup(String requested, ModelGroup group, CatalogSnapshot catalog, RequestNeeds needs) {
        List<ModelGroup.Member> members = new ArrayList<>(group.enabledMembers());
        members.sort(Comparator.comparingInt(ModelGroup.Member::priority).thenComparingLong(ModelGroup.Member::id));
        List<Candidate> reachable = new ArrayList<>();
        for (ModelGroup.Member m : members) {
            List<Target> targets = targetsOf(m, catalog);
            if (!targets.isEmpty()) {
                reachable.add(new Candidate(m, targets));
            }
        }
        if (reachable.isEmpty()) {
            throw new GatewayException.NoHealthyNode(
                    "No member of model group '" + group.name() + "' is available right now");
        }
        List<Candidate> capable = new ArrayList<>();
        for (Candidate c : reachable) {
            List<Target> fit = new ArrayList<>();
            for (Target t : c.targets()) {
                List<String> caps = capabilities(t, catalog);
                if ((!needs.vision() || caps.isEmpty() || caps.contains("vision"))
                        && (!needs.tools() || caps.isEmpty() || caps.contains("tools"))) {
                    fit.add(t);
                }
            }
            if (!fit.isEmpty()) {
                capable.add(new Candidate(c.member(), fit));
            }
        }
        if (capable.isEmpty()) {
            List<String> missing = new ArrayList<>();
            if (needs.vision()) {
                missing.add("images (vision)");
            }
            if (needs.tools()) {
                missing.add("tools");
            }
            throw new GatewayException.InvalidRequest(
                    "No member of model group '" + group.name() + "' supports " + String.join(" and ", missing),
                    "model");
        }
        int first = pick(group, capable);
        List<Candidate> ordered = new ArrayList<>(capable.size());
        ordered.add(capable.get(first));
        for (int i = 0; i < capable.size(); i++) {
            if (i != first) {
                ordered.add(capable.get(i));
            }
        }
        if (needs.promptTokens() > 0) {
            List<Candidate> fits = new ArrayList<>();
            List<Candidate> tooSmall = new ArrayList<>();
            for (Candidate c : ordered) {
                Integer ctx = contextLength(c.targets(), catalog);
                (ctx != null && ctx < needs.promptTokens() ? tooSmall : fits).add(c);
            }
            if (!tooSmall.isEmpty() && !fits.isEmpty()) {
                LOG.debug(
                        "group {}: {} member(s) too small for a prompt of ~{} tokens go last",
                        group.name(),
                        tooSmall.size(),
                        needs.promptTokens());
            }
            tooSmall.sort(Comparator.comparingInt((Candidate c) -> {
                        Integer ctx = contextLength(c.targets(), catalog);
                        return ctx == null ? 0 : ctx;
                    })
                    .reversed());
            ordered = new ArrayList<>(fits);
            ordered.addAll(tooSmall);
        }
        List<Target> plan = new ArrayList<>();
        for (int rank = 0; rank < ordered.size(); rank++) {
            Candidate c = ordered.get(rank);
            GroupMember gm = new GroupMember(
                    c.member().id(),
                    c.member().model(),
                    rank,
                    contextLength(c.targets(), catalog),
                    memberCapabilities(c.targets(), catalog));
            for (Target t : c.targets()) {
                plan.add(t.asMember(gm));
            }
        }
        Integer limit = group.failoverLimit();
        int memberLimit = limit == null ? ordered.size() : Math.max(1, limit);
        return new Resolution(requested, plan, false, new GroupRoute(group.name(), memberLimit));
    }

    /** Index into {@code capable} (lowest priority first) of the member the strategy tries first. */
    private int pick(ModelGroup group, List<Candidate> capable) {
        int n = capable.size();
        return switch (group.strategy()) {
            case PRIORITY -> 0;
            case ROUND_ROBIN ->
                (int) Math.floorMod(
                        turns.computeIfAbsent(group.id(), k -> new AtomicLong()).getAndIncrement(), (long) n);
            case WEIGHTED -> {
                long total = 0;
                for (Candidate c : capable) {
                    total += Math.max(0, c.member().weight());
                }
                if (total <= 0) {
                    yield 0;
                }
                long r = random.nextLong(total);
                for (int i = 0; i < n; i++) {
                    r -= Math.max(0, capable.get(i).member().weight());
                    if (r < 0) {
                        yield i;
                    }
                }
                yield 0;
            }
        };
    }

    private static List<Target> targetsOf(ModelGroup.Member member, CatalogSnapshot catalog) {
        Long nodeId = member.nodeId();
        if (nodeId != null) {
            Node node = catalog.node(nodeId).orElse(null);
            if (node == null || !node.active()) {
                return List.of();
            }
            ModelMapping mapping = catalog.mapping(member.model());
            if (mapping != null && mapping.appliesTo(node.id())) {
                return List.of(new Target(node, mapping.realName(), mapping));
            }
            return List.of(new Target(node, member.model(), null));
        }
        try {
            return ModelResolver.resolve(member.model(), catalog).candidates();
        } catch (GatewayException e) {
            LOG.debug("group member {} is not available: {}", member.model(), e.getMessage());
            return List.of();
        }
    }

    /** What is known of a target's capabilities: the mapping's when it lists some, else the node's; empty if none. */
    static List<String> capabilities(Target t, CatalogSnapshot catalog) {
        ModelMapping mapping = t.mapping();
        if (mapping != null && !mapping.capabilities().isEmpty()) {
            return mapping.capabilities();
        }
        NodeModelInfo info = catalog.nodeModel(t.node().id(), t.upstreamModel());
        return info == null ? List.of() : info.capabilities();
    }

    /** A target's context window: the mapping's, else what the node reported; null when unknown. */
    static @Nullable Integer contextLength(Target t, CatalogSnapshot catalog) {
        ModelMapping mapping = t.mapping();
        if (mapping != null && mapping.contextLength() != null) {
            return mapping.contextLength();
        }
        NodeModelInfo info = catalog.nodeModel(t.node().id(), t.upstreamModel());
        return info == null ? null : info.contextLength();
    }

    private static @Nullable Integer contextLength(List<Target> targets, CatalogSnapshot catalog) {
        Integer best = null;
        for (Target t : targets) {
            Integer ctx = contextLength(t, catalog);
            if (ctx != null && (best == null || ctx > best)) {
                best = ctx;
            }
        }
        return best;
    }

    private static List<String> memberCapabilities(List<Target> targets, CatalogSnapshot catalog) {
        Set<String> out = new LinkedHashSet<>();
        for (Target t : targets) {
            out.addAll(capabilities(t, catalog));
        }
        return List.copyOf(out);
    }
}
