/**
 * {@code bedrock} nodes: AWS Bedrock's Converse and ConverseStream (chat), InvokeModel (Titan and Cohere embeddings)
 * and the control plane (model discovery), through the AWS SDK v2 over the CRT HTTP client (ADR 0008). The only
 * package besides {@code activity.sqs} that may use the AWS SDK. Mapping tables: docs/providers/bedrock.md.
 */
@NullMarked
package io.modelmaestro.provider.bedrock;

import org.jspecify.annotations.NullMarked;
