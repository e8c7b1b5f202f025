package io.webhookingest.source;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The managed sources in Postgres. Every change gives the source a new revision, from one sequence for all sources,
 * and notifies {@link #CHANNEL} in the same transaction, so that each instance hears of it once it is committed,
 * reads them all again and rebuilds those whose revision it does not hold.
 */
@ApplicationScoped
public class SourceStore {

    static final String CHANNEL = "ingest_sources";

    /** A managed source as stored; its secrets newest first. */
    public record ManagedSource(String name, Map<String, String> settings, boolean enabled, long revision,
            Instant updatedAt, List<ManagedSecret> secrets) {
    }

    /** A sealed secret and its validity; the plain secret is never stored. */
    public record ManagedSecret(String fingerprint, SecretCipher.Sealed sealed, Optional<Instant> notAfter,
            Instant createdAt) {
    }

    /** What adding a secret did. */
    public enum Added { ADDED, DUPLICATE, NO_SOURCE }

    private static final String LOAD = """
            select s.name, s.settings::text, s.enabled, s.revision, s.updated_at,
                   k.fingerprint, k.key_id, k.sealed, k.not_after, k.created_at
            from source s left join source_secret k on k.source = s.name
            order by s.name, k.created_at desc, k.fingerprint""";
    private static final String PUT = """
            insert into source (name, settings) values ($1, $2::jsonb)
            on conflict (name) do update set settings = excluded.settings, revision = nextval('source_revision'),
                updated_at = now()
            returning xmax::text = '0'""";
    private static final String DELETE = "delete from source where name = $1";
    private static final String FORGET_USE = "delete from secret_use where source = $1";
    private static final String ENABLE = """
            update source set enabled = $2, revision = nextval('source_revision'), updated_at = now() where name = $1""";
    private static final String TOUCH = """
            update source set revision = nextval('source_revision'), updated_at = now() where name = $1""";
    private static final String ADD_SECRET = """
            insert into source_secret (source, fingerprint, key_id, sealed, not_after) values ($1, $2, $3, $4, $5)
            on conflict do nothing""";
    private static final String DELETE_SECRET = "delete from source_secret where source = $1 and fingerprint = $2";
    private static final String FORGET_SECRET_USE = "delete from secret_use where source = $1 and fingerprint = $2";
    /** Only a row still sealed under the key that was read is sealed again, so racing instances cannot clash. */
    private static final String RESEAL = """
            update source_secret set key_id = $3, sealed = $4 where source = $1 and fingerprint = $2 and key_id = $5""";
    private static final String NOTIFY = "select pg_notify('" + CHANNEL + "', $1)";
    /** A managed source's secret is recorded only while it exists: a deletion meanwhile must not bring it back. */
    private static final String RECORD_USE = """
            insert into secret_use (source, fingerprint, last_verified_at)
            select u.source, u.fingerprint, u.at from unnest($1::text[], $2::text[], $3::timestamptz[], $4::bool[])
                as u (source, fingerprint, at, managed)
            where not u.managed
               or exists (select 1 from source_secret k where k.source = u.source and k.fingerprint = u.fingerprint)
            on conflict (source, fingerprint) do update
                set last_verified_at = greatest(secret_use.last_verified_at, excluded.last_verified_at)""";
    private static final String LAST_USES = "select source, fingerprint, last_verified_at from secret_use";

    private static final TypeReference<TreeMap<String, String>> SETTINGS = new TypeReference<>() {
    };

    private final Pool pool;
    private final ObjectMapper mapper;

    SourceStore(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    Pool pool() {
        return pool;
    }

    public Uni<List<ManagedSource>> loadAll() {
        return pool.preparedQuery(LOAD).execute().map(rows -> {
            Map<String, ManagedSource> sources = new LinkedHashMap<>();
            for (Row row : rows) {
                ManagedSource source = sources.computeIfAbsent(row.getString(0), name -> new ManagedSource(name,
                        settings(row.getString(1)), row.getBoolean(2), row.getLong(3), instant(row, 4),
                        new ArrayList<>()));
                if (row.getString(5) != null) {
                    source.secrets().add(new ManagedSecret(row.getString(5),
                            new SecretCipher.Sealed(row.getString(6), row.getBuffer(7).getBytes()),
                            Optional.ofNullable(row.getOffsetDateTime(8)).map(OffsetDateTime::toInstant),
                            instant(row, 9)));
                }
            }
            return sources.values().stream().map(s -> new ManagedSource(s.name(), s.settings(), s.enabled(),
                    s.revision(), s.updatedAt(), List.copyOf(s.secrets()))).toList();
        });
    }

    /** Creates or replaces a source's settings, keeping its secrets; true when it was created. */
    public Uni<Boolean> put(String name, Map<String, String> settings) {
        return changing(name, connection -> connection.preparedQuery(PUT)
                .execute(Tuple.of(name, new JsonObject(new TreeMap<String, Object>(settings))))
                .map(rows -> rows.iterator().next().getBoolean(0)));
    }

    /** Deletes a source with its secrets; its stored events stay. False when there was none. */
    public Uni<Boolean> delete(String name) {
        return changing(name, connection -> connection.preparedQuery(DELETE).execute(Tuple.of(name))
                .call(() -> connection.preparedQuery(FORGET_USE).execute(Tuple.of(name)))
                .map(rows -> rows.rowCount() > 0));
    }

    /** False when there is no such source. */
    public Uni<Boolean> enable(String name, boolean enabled) {
        return changing(name, connection -> connection.preparedQuery(ENABLE).execute(Tuple.of(name, enabled))
                .map(rows -> rows.rowCount() > 0));
    }

    public Uni<Added> addSecret(String name, String fingerprint, SecretCipher.Sealed sealed,
            Optional<Instant> notAfter) {
        return changing(name, connection -> connection.preparedQuery(TOUCH).execute(Tuple.of(name))
                .flatMap(touched -> touched.rowCount() == 0 ? Uni.createFrom().item(Added.NO_SOURCE)
                        : connection.preparedQuery(ADD_SECRET).execute(Tuple.of(name, fingerprint, sealed.keyId(),
                                Buffer.buffer(sealed.bytes()), notAfter.map(t -> t.atOffset(ZoneOffset.UTC))
                                        .orElse(null)))
                                .map(rows -> rows.rowCount() > 0 ? Added.ADDED : Added.DUPLICATE)));
    }

    /** False when the source has no secret with this fingerprint. */
    public Uni<Boolean> deleteSecret(String name, String fingerprint) {
        return changing(name, connection -> connection.preparedQuery(DELETE_SECRET)
                .execute(Tuple.of(name, fingerprint))
                .call(() -> connection.preparedQuery(FORGET_SECRET_USE).execute(Tuple.of(name, fingerprint)))
                .call(deleted -> deleted.rowCount() > 0
                        ? connection.preparedQuery(TOUCH).execute(Tuple.of(name)) : Uni.createFrom().voidItem())
                .map(rows -> rows.rowCount() > 0));
    }

    /** Seals a secret again under the current key; its source's revision stays, nothing a delivery sees changes. */
    Uni<Void> reseal(String name, String fingerprint, String readKeyId, SecretCipher.Sealed sealed) {
        return pool.preparedQuery(RESEAL).execute(Tuple.of(name, fingerprint, sealed.keyId(),
                Buffer.buffer(sealed.bytes()), readKeyId)).replaceWithVoid();
    }

    /** Records when secrets last verified a delivery; a later time recorded by another instance is kept. */
    Uni<Void> recordUse(List<String> sources, List<String> fingerprints, List<OffsetDateTime> times,
            List<Boolean> managed) {
        return pool.preparedQuery(RECORD_USE).execute(Tuple.of(sources.toArray(String[]::new),
                fingerprints.toArray(String[]::new), times.toArray(OffsetDateTime[]::new),
                managed.toArray(Boolean[]::new))).replaceWithVoid();
    }

    /** When each secret last verified a delivery, by source and fingerprint. */
    public Uni<Map<String, Map<String, Instant>>> lastUses() {
        return pool.preparedQuery(LAST_USES).execute().map(rows -> {
            Map<String, Map<String, Instant>> uses = new TreeMap<>();
            for (Row row : rows) {
                uses.computeIfAbsent(row.getString(0), source -> new TreeMap<>()).put(row.getString(1),
                        instant(row, 2));
            }
            return uses;
        });
    }

    private <T> Uni<T> changing(String name, Function<SqlConnection, Uni<T>> change) {
        return pool.withTransaction(connection -> change.apply(connection)
                .call(() -> connection.preparedQuery(NOTIFY).execute(Tuple.of(name))));
    }

    private Map<String, String> settings(String json) {
        try {
            return mapper.readValue(json, SETTINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The stored settings of a source are not a JSON object of strings", e);
        }
    }

    private static Instant instant(Row row, int column) {
        return row.getOffsetDateTime(column).toInstant();
    }
}
