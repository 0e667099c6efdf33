package io.modelmaestro.infra;

import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.InstanceClass;
import software.amazon.awscdk.services.ec2.InstanceSize;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.elasticache.CfnServerlessCache;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.DatabaseProxy;
import software.amazon.awscdk.services.rds.DatabaseProxyOptions;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * State: PostgreSQL (RDS, storage encrypted with the stack's KMS key) behind RDS Proxy (TLS required), a serverless
 * Valkey cache (TLS), and the application's secrets in Secrets Manager, encrypted with the same customer-managed key:
 * the admin token, the JWT signing secret and the key that encrypts node credentials in the database.
 */
public class DataStack extends Construct {

    public static final String DATABASE_NAME = "maestro";

    private final Key key;
    private final DatabaseInstance database;
    private final DatabaseProxy proxy;
    private final CfnServerlessCache cache;
    private final ISecret databaseSecret;
    private final Secret adminToken;
    private final Secret jwtSecret;
    private final Secret encryptionKey;

    public DataStack(Construct scope, String id, NetworkStack network) {
        super(scope, id);
        key = Key.Builder.create(this, "Key")
                .description("Model Maestro: node credentials key material, secrets, queue")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        SecurityGroup dbSg = SecurityGroup.Builder.create(this, "DatabaseSg")
                .vpc(network.vpc())
                .description("PostgreSQL, reachable from the proxy only")
                .allowAllOutbound(false)
                .build();
        SecurityGroup proxySg = SecurityGroup.Builder.create(this, "ProxySg")
                .vpc(network.vpc())
                .description("RDS Proxy, reachable from the functions only")
                .allowAllOutbound(true)
                .build();
        database = DatabaseInstance.Builder.create(this, "Database")
                .engine(DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder()
                        .version(PostgresEngineVersion.VER_17)
                        .build()))
                .instanceType(software.amazon.awscdk.services.ec2.InstanceType.of(
                        InstanceClass.BURSTABLE4_GRAVITON, InstanceSize.MICRO))
                .vpc(network.vpc())
                .vpcSubnets(SubnetSelection.builder()
                        .subnetType(SubnetType.PRIVATE_ISOLATED)
                        .build())
                .securityGroups(List.of(dbSg))
                .credentials(Credentials.fromGeneratedSecret(
                        "maestro",
                        software.amazon.awscdk.services.rds.CredentialsBaseOptions.builder()
                                .encryptionKey(key)
                                .build()))
                .databaseName(DATABASE_NAME)
                .storageEncrypted(true)
                .storageEncryptionKey(key)
                .allocatedStorage(20)
                .maxAllocatedStorage(100)
                .backupRetention(Duration.days(7))
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.SNAPSHOT)
                .build();
        databaseSecret = Objects.requireNonNull(database.getSecret(), "generated credentials have a secret");
        proxy = database.addProxy(
                "Proxy",
                DatabaseProxyOptions.builder()
                        .secrets(List.of(databaseSecret))
                        .vpc(network.vpc())
                        .vpcSubnets(SubnetSelection.builder()
                                .subnetType(SubnetType.PRIVATE_ISOLATED)
                                .build())
                        .securityGroups(List.of(proxySg))
                        .requireTls(true)
                        .build());
        dbSg.addIngressRule(proxySg, Port.tcp(5432), "RDS Proxy to PostgreSQL");
        proxySg.addIngressRule(network.functionsSecurityGroup(), Port.tcp(5432), "functions to RDS Proxy");

        SecurityGroup cacheSg = SecurityGroup.Builder.create(this, "CacheSg")
                .vpc(network.vpc())
                .description("Valkey, reachable from the functions only")
                .allowAllOutbound(false)
                .build();
        cacheSg.addIngressRule(network.functionsSecurityGroup(), Port.tcp(6379), "functions to Valkey");
        cache = CfnServerlessCache.Builder.create(this, "Cache")
                .serverlessCacheName("maestro-limits")
                .engine("valkey")
                .majorEngineVersion("8")
                .kmsKeyId(key.getKeyId())
                .subnetIds(network.vpc()
                        .selectSubnets(SubnetSelection.builder()
                                .subnetType(SubnetType.PRIVATE_ISOLATED)
                                .build())
                        .getSubnetIds())
                .securityGroupIds(List.of(cacheSg.getSecurityGroupId()))
                .build();

        adminToken = generated("AdminToken", "maestro/admin-token", "Static bearer token of the admin API");
        jwtSecret = generated("JwtSecret", "maestro/jwt-secret", "HS256 secret of user tokens");
        encryptionKey = generated(
                "EncryptionKey", "maestro/encryption-key", "Key material encrypting node credentials at rest");
    }

    private Secret generated(String id, String name, String description) {
        return Secret.Builder.create(this, id)
                .secretName(name)
                .description(description)
                .encryptionKey(key)
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(48)
                        .excludePunctuation(true)
                        .build())
                .build();
    }

    public Key key() {
        return key;
    }

    public DatabaseInstance database() {
        return database;
    }

    /** The generated database credentials (JSON: username, password, host, …). */
    public ISecret databaseSecret() {
        return databaseSecret;
    }

    public DatabaseProxy proxy() {
        return proxy;
    }

    /** The JDBC URL through the proxy (TLS). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + proxy.getEndpoint() + ":5432/" + DATABASE_NAME + "?sslmode=require";
    }

    /** The cache URL (TLS). */
    public String redisUrl() {
        return "rediss://" + cache.getAttrEndpointAddress() + ":" + cache.getAttrEndpointPort();
    }

    public Secret adminToken() {
        return adminToken;
    }

    public Secret jwtSecret() {
        return jwtSecret;
    }

    public Secret encryptionKey() {
        return encryptionKey;
    }
}
