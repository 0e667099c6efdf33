package io.modelmaestro.infra;

import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.ErrorResponse;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;

/**
 * The admin site: a private, encrypted S3 bucket readable only by CloudFront (origin access control), HTTPS only. The
 * site is {@code admin-web/dist}; before it is built, a placeholder page is deployed.
 */
public class AdminSiteStack extends Stack {

    private final Bucket bucket;
    private final Distribution distribution;

    public AdminSiteStack(Construct scope, String id, StackProps props, Artifacts artifacts) {
        super(scope, id, props);
        bucket = Bucket.Builder.create(this, "Site")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .versioned(false)
                .removalPolicy(RemovalPolicy.DESTROY)
                .autoDeleteObjects(false)
                .build();
        distribution = Distribution.Builder.create(this, "Cdn")
                .comment("Model Maestro admin site")
                .defaultRootObject("index.html")
                .defaultBehavior(BehaviorOptions.builder()
                        .origin(S3BucketOrigin.withOriginAccessControl(bucket))
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        .build())
                // A single-page app: unknown paths are the app's routes.
                .errorResponses(List.of(ErrorResponse.builder()
                        .httpStatus(403)
                        .responseHttpStatus(200)
                        .responsePagePath("/index.html")
                        .build()))
                .build();
        BucketDeployment.Builder.create(this, "Deploy")
                .sources(List.of(Source.asset(artifacts.siteDirectory().toString())))
                .destinationBucket(bucket)
                .distribution(distribution)
                .build();
        CfnOutput.Builder.create(this, "AdminSiteUrl")
                .value("https://" + distribution.getDistributionDomainName())
                .build();
    }

    public Bucket bucket() {
        return bucket;
    }

    public Distribution distribution() {
        return distribution;
    }
}
