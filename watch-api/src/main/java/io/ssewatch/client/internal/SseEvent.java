package io.ssewatch.client.internal;

/**
 * One dispatched Server-Sent Event.
 *
 * @param type the event type; {@code message} when the frame had no {@code event:} field
 * @param data the values of the frame's {@code data:} lines joined with LF; empty when the
 *     frame had one data line with no value
 * @param lastEventId the stream's last event ID at dispatch, which is the value of the most
 *     recent {@code id:} field, possibly from an earlier frame; empty when none was set
 */
public record SseEvent(String type, String data, String lastEventId) {
}
