package io.modelmaestro.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.scheduling.annotation.Scheduled;
import io.modelmaestro.crypto.SecretCipher;
import io.modelmaestro.json.Json;
import io.modelmaestro.limits.DailyLimits;
import io.modelmaestro.persistence.AccessRepository;
import io.modelmaestro.persistence.MappingNodeRow;
import io.modelmaestro.persistence.ModelGroupEntity;
import io.modelmaestro.persistence.ModelGroupMemberEntity;
import io.modelmaestro.persistence.ModelGroupMemberRepository;
import io.modelmaestro.persistence.ModelGroupRepository;
import io.modelmaestro.persistence.ModelMappingEntity;
import io.modelmaestro.persistence.ModelMappingRepository;
import io.modelmaestro.persistence.NodeEntity;
import io.modelmaestro.persistence.NodeModelEntity;
import io.modelmaestro.persistence.NodeModelRepository;
import io.modelmaestro.persistence.NodeRepository;
import io.modelmaestro.persistence.UserEntity;
import io.modelmaestro.persistence.UserLimitEntity;
import io.modelmaestro.persistence.UserLimitRepository;
import io.modelmaestro.persistence.UserRepository;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link CatalogSnapshot}. Admin mutations call {@link #refresh()} right away; a scheduled reload
 * picks up changes made by other instances (Lambda, a second gateway) within {@code maestro.catalog-refresh}.
 */
@Singleton
public class CatalogService {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogService.class);

    private final NodeRepository nodes;
    private final ModelMappingRepository mappings;
    private final NodeModelRepository nodeModels;
    private final UserRepository users;
    private final AccessRepository grants;
    private final UserLimitRepository limits;
    private final SecretCipher cipher;
    private final ModelGroupRepository groups;
    private final ModelGroupMemberRepository groupMembers;
    private final AtomicReference<CatalogSnapshot> current = new AtomicReference<>(CatalogSnapshot.EMPTY);
    private volatile boolean loaded;

    public CatalogService(
            NodeRepository nodes,
            ModelMappingRepository mappings,
            NodeModelRepository nodeModels,
            UserRepository users,
            AccessRepository grants,
            UserLimitRepository limits,
            SecretCipher cipher,
            ModelGroupRepository groups,
            ModelGroupMemberRepository groupMembers) {
        this.groups = groups;
        this.groupMembers = groupMembers;
        this.nodes = nodes;
        this.mappings = mappings;
        this.nodeModels = nodeModels;
        this.users = users;
        this.grants = grants;
        this.limits = limits;
        this.cipher = cipher;
    }

    /** The current snapshot; loads it on first use. */
    public CatalogSnapshot snapshot() {
        if (!loaded) {
            synchronized (this) {
                if (!loaded) {
                    refresh();
                }
            }
        }
        return current.get();
    }

    @Scheduled(fixedDelay = "${maestro.catalog-refresh:10s}", initialDelay = "${maestro.catalog-refresh:10s}")
    void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // Keep serving from the last snapshot: a database blip must not take routing down.
            LOG.warn("catalog refresh failed; keeping the previous snapshot: {}", e.getMessage());
        }
    }

    public synchronized void refresh() {
        Map<Long, Set<String>> modelsByNode = new HashMap<>();
        Map<Long, List<NodeModelInfo>> discovered = new HashMap<>();
        for (NodeModelEntity m : nodeModels.findAll()) {
            Set<String> set = modelsByNode.computeIfAbsent(m.nodeId(), k -> new HashSet<>());
            if (m.isAvailable()) {
                set.add(m.modelName());
                discovered.computeIfAbsent(m.nodeId(), k -> new ArrayList<>()).add(info(m));
            }
        }
        List<Node> nodeList = new ArrayList<>();
        for (NodeEntity e : nodes.findAllOrderByPriorityDescAndId()) {
            toNode(e, modelsByNode.get(Objects.requireNonNull(e.id()))).ifPresent(nodeList::add);
        }
        Map<Long, Set<Long>> links = new HashMap<>();
        for (MappingNodeRow row : mappings.findAllNodeLinks()) {
            links.computeIfAbsent(row.mappingId(), k -> new HashSet<>()).add(row.nodeId());
        }
        List<ModelMapping> mappingList = new ArrayList<>();
        for (ModelMappingEntity e : mappings.findAllOrderByDisplayName()) {
            long id = Objects.requireNonNull(e.id());
            String[] caps = e.capabilities();
            mappingList.add(new ModelMapping(
                    id,
                    e.displayName(),
                    e.realName(),
                    links.getOrDefault(id, Set.of()),
                    e.contextLength(),
                    caps == null ? List.of() : Arrays.asList(caps)));
        }
        Map<Long, UserAccess> access = loadAccess();
        Map<Long, DailyLimits> limitsByUser = new HashMap<>();
        for (UserLimitEntity l : limits.findAll()) {
            Integer r = l.requestLimit();
            limitsByUser.put(l.userId(), new DailyLimits(r == null ? null : r.longValue(), l.tokenLimit()));
        }
        List<UserRecord> userList = new ArrayList<>();
        for (UserEntity u : users.findAll()) {
            long id = Objects.requireNonNull(u.id());
            userList.add(new UserRecord(
                    id,
                    u.username(),
                    u.tokenId(),
                    u.isActive(),
                    access.getOrDefault(id, UserAccess.UNRESTRICTED),
                    limitsByUser.getOrDefault(id, DailyLimits.UNLIMITED)));
        }
        current.set(new CatalogSnapshot(nodeList, mappingList, userList, loadGroups(), discovered));
        loaded = true;
    }

    private List<ModelGroup> loadGroups() {
        Map<Long, List<ModelGroup.Member>> membersByGroup = new HashMap<>();
        for (ModelGroupMemberEntity m : groupMembers.findAllOrdered()) {
            membersByGroup
                    .computeIfAbsent(m.groupId(), k -> new ArrayList<>())
                    .add(new ModelGroup.Member(
                            Objects.requireNonNull(m.id()),
                            m.modelDisplayName(),
                            m.nodeId(),
                            m.priority(),
                            m.weight(),
                            m.isActive()));
        }
        List<ModelGroup> out = new ArrayList<>();
        for (ModelGroupEntity g : groups.findAllOrderByName()) {
            long id = Objects.requireNonNull(g.id());
            ModelGroup.Strategy strategy =
                    ModelGroup.Strategy.parse(g.strategy()).orElse(ModelGroup.Strategy.ROUND_ROBIN);
            out.add(new ModelGroup(
                    id,
                    g.name(),
                    g.description(),
                    strategy,
                    g.isActive(),
                    g.listInCatalog(),
                    g.failoverLimit(),
                    membersByGroup.getOrDefault(id, List.of())));
        }
        return out;
    }

    private static NodeModelInfo info(NodeModelEntity m) {
        String[] caps = m.capabilities();
        ObjectNode entry = null;
        String details = m.details();
        if (details != null && !details.isBlank()) {
            try {
                if (Json.parse(details) instanceof ObjectNode o) {
                    entry = o;
                }
            } catch (RuntimeException e) {
                LOG.debug("node model {} has unreadable details; listed without them", m.modelName());
            }
        }
        return new NodeModelInfo(
                m.modelName(), m.contextLength(), caps == null ? List.of() : Arrays.asList(caps), entry);
    }

    private Map<Long, UserAccess> loadAccess() {
        Map<Long, Boolean> all = new HashMap<>();
        Map<Long, Set<String>> models = new HashMap<>();
        Map<Long, Set<Long>> nodeIds = new HashMap<>();
        Map<Long, Map<Long, Set<String>>> nodeModels = new HashMap<>();
        for (AccessRepository.ModelGrant g : grants.allModelGrants()) {
            if (g.hasAllModels()) {
                all.put(g.userId(), true);
            } else if (g.modelDisplayName() != null) {
                models.computeIfAbsent(g.userId(), k -> new HashSet<>()).add(g.modelDisplayName());
            }
        }
        for (AccessRepository.NodeGrant g : grants.allNodeGrants()) {
            nodeIds.computeIfAbsent(g.userId(), k -> new HashSet<>()).add(g.nodeId());
        }
        for (AccessRepository.NodeModelGrant g : grants.allNodeModelGrants()) {
            nodeModels
                    .computeIfAbsent(g.userId(), k -> new HashMap<>())
                    .computeIfAbsent(g.nodeId(), k -> new HashSet<>())
                    .add(g.modelName());
        }
        Set<Long> userIds = new HashSet<>(all.keySet());
        userIds.addAll(models.keySet());
        userIds.addAll(nodeIds.keySet());
        userIds.addAll(nodeModels.keySet());
        Map<Long, UserAccess> out = new HashMap<>();
        for (long id : userIds) {
            out.put(
                    id,
                    new UserAccess(
                            all.getOrDefault(id, false),
                            models.getOrDefault(id, Set.of()),
                            nodeIds.getOrDefault(id, Set.of()),
                            nodeModels.getOrDefault(id, Map.of())));
        }
        return out;
    }

    private java.util.Optional<Node> toNode(NodeEntity e, @Nullable Set<String> known) {
        NodeType type = NodeType.parse(e.nodeType()).orElse(null);
        if (type == null) {
            LOG.warn("node {} has unknown type {}; skipped", e.name(), e.nodeType());
            return java.util.Optional.empty();
        }
        String apiKey;
        AwsAuth aws = null;
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            apiKey = cipher.decrypt(e.apiKeyEnc());
            if (type == NodeType.BEDROCK) {
                aws = new AwsAuth(
                        e.awsRegion() == null ? "us-east-1" : e.awsRegion(),
                        cipher.decrypt(e.awsAccessKeyEnc()),
                        cipher.decrypt(e.awsSecretKeyEnc()),
                        cipher.decrypt(e.awsSessionTokenEnc()));
            }
            String headerJson = cipher.decrypt(e.headersEnc());
            if (headerJson != null) {
                JsonNode h = Json.parse(headerJson);
                for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    headers.put(f.getKey(), f.getValue().asText());
                }
            }
        } catch (IllegalStateException ex) {
            LOG.error("node {}: {}; the node is left out of routing", e.name(), ex.getMessage());
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Node(
                Objects.requireNonNull(e.id()),
                e.name(),
                e.code(),
                type,
                e.baseUrl(),
                e.priority(),
                e.weight(),
                e.isActive(),
                e.scopedModels(),
                !"unhealthy".equals(e.healthStatus()),
                apiKey,
                headers,
                known,
                aws));
    }
}
