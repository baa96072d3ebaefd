package io.ssewatch.client.internal;

/**
 * A streaming UTF-8 decoder that follows the WHATWG Encoding Standard's UTF-8 decoder.
 *
 * <p>It takes one byte at a time and keeps the state of an unfinished multibyte sequence
 * between calls, so input may be split anywhere. Invalid input becomes U+FFFD REPLACEMENT
 * CHARACTER: one for each byte that cannot start a sequence and one for each sequence cut
 * short, whose breaking byte is then decoded again as the start of the next one. Not
 * thread-safe.
 */
public final class Utf8Decoder {

    /** Receives decoded code points. */
    @FunctionalInterface
    public interface CodePointSink {
        void accept(int codePoint);
    }

    static final int REPLACEMENT = 0xFFFD;

    private int codePoint;
    private int bytesNeeded;
    private int bytesSeen;
    private int lowerBoundary = 0x80;
    private int upperBoundary = 0xBF;

    /** Decodes one byte and passes zero, one or two code points to {@code sink}. */
    public void decode(byte input, CodePointSink sink) {
        int b = input & 0xFF;
        if (bytesNeeded == 0) {
            startSequence(b, sink);
            return;
        }
        if (b < lowerBoundary || b > upperBoundary) {
            reset();
            sink.accept(REPLACEMENT);
            // The byte that broke the sequence starts a new one.
            startSequence(b, sink);
            return;
        }
        lowerBoundary = 0x80;
        upperBoundary = 0xBF;
        codePoint = (codePoint << 6) | (b & 0x3F);
        bytesSeen++;
        if (bytesSeen == bytesNeeded) {
            int decoded = codePoint;
            reset();
            sink.accept(decoded);
        }
    }

    /**
     * Ends the input. An unfinished multibyte sequence becomes one U+FFFD, and the decoder is
     * ready for a new input.
     */
    public void end(CodePointSink sink) {
        if (bytesNeeded != 0) {
            reset();
            sink.accept(REPLACEMENT);
        }
    }

    private void startSequence(int b, CodePointSink sink) {
        if (b <= 0x7F) {
            sink.accept(b);
        } else if (b >= 0xC2 && b <= 0xDF) {
            bytesNeeded = 1;
            codePoint = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            // E0 must not start an overlong form, and ED must not encode a surrogate.
            if (b == 0xE0) {
                lowerBoundary = 0xA0;
            } else if (b == 0xED) {
                upperBoundary = 0x9F;
            }
            bytesNeeded = 2;
            codePoint = b & 0x0F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            // F0 must not start an overlong form, and F4 must stay at or below U+10FFFF.
            if (b == 0xF0) {
                lowerBoundary = 0x90;
            } else if (b == 0xF4) {
                upperBoundary = 0x8F;
            }
            bytesNeeded = 3;
            codePoint = b & 0x07;
        } else {
            sink.accept(REPLACEMENT);
        }
    }

    private void reset() {
        codePoint = 0;
        bytesNeeded = 0;
        bytesSeen = 0;
        lowerBoundary = 0x80;
        upperBoundary = 0xBF;
    }
}
