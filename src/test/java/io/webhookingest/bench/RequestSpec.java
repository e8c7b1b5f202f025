package io.webhookingest.bench;

import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** One request the load generator sends: where it goes, its headers and its body. */
record RequestSpec(RequestOptions options, Map<String, String> headers, byte[] body) {

    /** A request with no byte on the wire for this long has failed; it is counted as an error, never waited on. */
    static final long IDLE_TIMEOUT_MILLIS = 30_000;

    static RequestSpec post(int port, String path, Map<String, String> headers, byte[] body) {
        return new RequestSpec(options(HttpMethod.POST, port, path), headers, body);
    }

    static RequestSpec get(int port, String path) {
        return new RequestSpec(options(HttpMethod.GET, port, path), Map.of(), new byte[0]);
    }

    /** The status and body of an answer. */
    record Answer(int status, Buffer body) {

        boolean succeeded() {
            return status / 100 == 2;
        }
    }

    /** Sends it and reads the whole answer. */
    Future<Answer> send(HttpClient client) {
        return client.request(options)
                .compose(request -> {
                    headers.forEach(request::putHeader);
                    return body.length == 0 ? request.send() : request.send(Buffer.buffer(body));
                })
                .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body)));
    }

    private static RequestOptions options(HttpMethod method, int port, String path) {
        return new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path)
                .setConnectTimeout(10_000).setIdleTimeout(IDLE_TIMEOUT_MILLIS);
    }
}
