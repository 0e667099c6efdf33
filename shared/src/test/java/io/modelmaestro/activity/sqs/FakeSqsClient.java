package io.modelmaestro.activity.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** An {@link SqsClient} whose {@code SendMessageBatch} is scripted per call; it records what it accepted. */
class FakeSqsClient implements SqsClient {

    /** Decides one call: return a response, or throw. Given the call number (1-based) and the request. */
    interface Script {
        SendMessageBatchResponse answer(int call, SendMessageBatchRequest request);
    }

    final List<SendMessageBatchRequest> calls = new CopyOnWriteArrayList<>();
    final List<SendMessageBatchRequestEntry> accepted = new CopyOnWriteArrayList<>();
    private final Script script;

    FakeSqsClient(Script script) {
        this.script = script;
    }

    static FakeSqsClient acceptingAll() {
        return new FakeSqsClient((call, request) -> ok(request, e -> true));
    }

    /** A response that accepts the entries the filter lets through and fails the others (not the sender's fault). */
    static SendMessageBatchResponse ok(
            SendMessageBatchRequest request, java.util.function.Predicate<SendMessageBatchRequestEntry> accept) {
        return respond(request, e -> accept.test(e) ? null : Boolean.FALSE);
    }

    /** For each entry: null accepts it, otherwise it fails with that senderFault flag. */
    static SendMessageBatchResponse respond(
            SendMessageBatchRequest request, Function<SendMessageBatchRequestEntry, Boolean> outcome) {
        SendMessageBatchResponse.Builder b = SendMessageBatchResponse.builder();
        List<software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry> ok = new ArrayList<>();
        List<software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry> failed = new ArrayList<>();
        for (SendMessageBatchRequestEntry e : request.entries()) {
            Boolean senderFault = outcome.apply(e);
            if (senderFault == null) {
                ok.add(software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry.builder()
                        .id(e.id())
                        .messageId("m-" + e.id())
                        .build());
            } else {
                failed.add(software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry.builder()
                        .id(e.id())
                        .code(senderFault ? "InvalidMessageContents" : "InternalError")
                        .message("scripted")
                        .senderFault(senderFault)
                        .build());
            }
        }
        return b.successful(ok).failed(failed).build();
    }

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        calls.add(request);
        SendMessageBatchResponse response = script.answer(calls.size(), request);
        for (var s : response.successful()) {
            request.entries().stream().filter(e -> e.id().equals(s.id())).forEach(accepted::add);
        }
        return response;
    }

    @Override
    public String serviceName() {
        return "sqs";
    }

    @Override
    public void close() {}
}
