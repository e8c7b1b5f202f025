package io.webhookingest.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads event rows straight from Postgres, to check what was really stored. */
public final class EventRows {

    /** One stored event, as the table holds it; its status is pending while it waits in the outbox queue. */
    public record EventRow(UUID id, String source, String identity, String type, String subject, String status,
            String topic, byte[] body, byte[] value, JsonObject headers) {
    }

    private final Pool pool;

    public EventRows(Pool pool) {
        this.pool = pool;
    }

    public EventRow byId(UUID id) {
        return query("where id = $1", Tuple.of(id)).get(0);
    }

    public List<EventRow> bySourceAndIdentity(String source, String identity) {
        return query("where source = $1 and identity = $2 order by id", Tuple.of(source, identity));
    }

    public List<EventRow> byIdentityPrefix(String source, String prefix) {
        return query("where source = $1 and identity like $2 order by id", Tuple.of(source, prefix + "%"));
    }

    public long countBySource(String source) {
        return pool.preparedQuery("select count(*) from event where source = $1").execute(Tuple.of(source))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private List<EventRow> query(String where, Tuple parameters) {
        List<EventRow> rows = new ArrayList<>();
        String select = "select id, source, identity, type, subject,"
                + " case when exists (select 1 from event_outbox o where o.event_id = event.id) then 'pending' else status"
                + " end, topic, body, value, headers from event ";
        for (Row row : pool.preparedQuery(select + where).execute(parameters).await()
                .atMost(Duration.ofSeconds(10))) {
            rows.add(new EventRow(row.getUUID(0), row.getString(1), row.getString(2), row.getString(3),
                    row.getString(4), row.getString(5), row.getString(6), row.getBuffer(7).getBytes(),
                    row.getBuffer(8) == null ? null : row.getBuffer(8).getBytes(),
                    new JsonObject(row.getValue(9).toString())));
        }
        return rows;
    }
}
