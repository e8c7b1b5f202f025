package io.webhookingest.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 requests written byte for byte, one connection each: for what regular clients refuse to send, such as
 * malformed percent-escapes in the path or control characters in header values.
 */
public final class RawHttp {

    /** A status and the body as text, of an answer read until the server closed the connection. */
    public record Answer(int status, String text) {
    }

    private RawHttp() {
    }

    /**
     * As a careful sender of a large body does it: sends the headers with {@code Expect: 100-continue}, and the body
     * only if the server answers 100; otherwise the server's early answer is the answer.
     */
    public static Answer postExpectingContinue(String host, int port, String rawTarget, Map<String, String> headers,
            byte[] body) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder("POST ").append(rawTarget).append(" HTTP/1.1\r\nHost: ")
                    .append(host).append("\r\nConnection: close\r\nExpect: 100-continue\r\nContent-Length: ")
                    .append(body.length).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String first = readHead(in);
            if (!first.startsWith("HTTP/1.1 100")) {
                return new Answer(Integer.parseInt(first.substring(9, 12)),
                        first + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            out.write(body);
            out.flush();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(Integer.parseInt(answer.substring(9, 12)), answer);
        }
    }

    /** The status line and headers, up to and including the blank line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("the connection closed before an answer: " + head);
            }
            head.write(next);
            matched = next == "\r\n\r\n".charAt(matched) ? matched + 1 : next == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Header values go out as their UTF-8 bytes, as a sender writing UTF-8 sends them; the server reads each byte as
     * ISO-8859-1, so a non-ASCII character arrives as several, some of them C1 controls.
     */
    public static Answer post(String host, int port, String rawTarget, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(20_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream(body.length + 512);
            StringBuilder head = new StringBuilder("POST ").append(rawTarget).append(" HTTP/1.1\r\nHost: ")
                    .append(host).append("\r\nConnection: close\r\nContent-Length: ").append(body.length).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n");
            request.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            request.writeBytes(body);
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!answer.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP answer: " + answer);
            }
            return new Answer(Integer.parseInt(answer.substring(9, 12)), answer);
        }
    }
}
